package io.candlebus.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Run in a separate JVM by {@link EmbeddedDatabaseTest}: starts the embedded database on {@code args[0]}, writes a
 * marker row, prints {@code READY <port>} and waits to be killed with SIGKILL, leaving its postmaster orphaned.
 */
public final class KilledJvmChild {
  private KilledJvmChild() {}

  public static void main(String[] args) throws Exception {
    EmbeddedDatabase db = EmbeddedDatabase.startBlocking(Path.of(args[0]));
    String jdbc = "jdbc:postgresql://127.0.0.1:" + db.port() + "/postgres";
    try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE marker (v text)");
      s.execute("INSERT INTO marker VALUES ('written before the kill')");
    }
    System.out.println("READY " + db.port());
    System.out.flush();
    System.in.read(); // blocks until the parent kills us (or closes our stdin)
  }
}
