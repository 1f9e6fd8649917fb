package io.candlebus.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL per test JVM, started on first use and stopped by a shutdown hook; every caller gets
 * its own fresh database on it, so test classes are isolated but share the server's start-up cost.
 *
 * <p>Blocking: call from test threads ({@code @BeforeAll}, {@code @BeforeEach}), never from an event loop.
 */
public final class TestPostgres {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestPostgres() {}

  /** A new empty database, as {@code postgresql://postgres:postgres@127.0.0.1:<port>/t_<n>}. */
  public static String newDatabaseUrl() {
    String name = newDatabase();
    return "postgresql://postgres:postgres@127.0.0.1:" + port() + "/" + name;
  }

  /** A new empty database; its name. */
  public static String newDatabase() {
    String name = "t_" + DATABASES.incrementAndGet();
    execute("postgres", "CREATE DATABASE " + name);
    return name;
  }

  public static synchronized int port() {
    return server().getPort();
  }

  /** Runs {@code sql} as superuser on {@code database}, e.g. to break or inspect things from outside. */
  public static void execute(String database, String sql) {
    try (Connection c = server().getDatabase("postgres", database).getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        EmbeddedPostgres started = EmbeddedPostgres.builder()
            .setServerConfig("listen_addresses", "127.0.0.1")
            .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            started.close();
          } catch (IOException ignored) {
            // the JVM is exiting; zonky's own hook tries again
          }
        }, "test-postgres-stop"));
        server = started;
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not start", e);
      }
    }
    return server;
  }
}
