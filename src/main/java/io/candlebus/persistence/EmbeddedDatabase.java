package io.candlebus.persistence;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zero-setup PostgreSQL used when no {@code CANDLEBUS_PG_URL} is configured: zonky's embedded server with a
 * persistent data directory, on 127.0.0.1 and a free port. Unlike zonky's test defaults it keeps {@code fsync}
 * and {@code synchronous_commit} on: a stored candle stays stored.
 */
public final class EmbeddedDatabase {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  /** Directories in use by this JVM; a second server on one of them must not even touch its lock file. */
  private static final Set<Path> IN_USE = ConcurrentHashMap.newKeySet();

  private final EmbeddedPostgres server;
  private final Path dataDirectory;

  private EmbeddedDatabase(EmbeddedPostgres server, Path dataDirectory) {
    this.server = server;
    this.dataDirectory = dataDirectory;
  }

  /** Starts (creating the cluster on first use) on a worker thread. */
  public static Future<EmbeddedDatabase> start(Vertx vertx, Path dataDirectory) {
    return vertx.executeBlocking(() -> startBlocking(dataDirectory));
  }

  /** Blocking; for {@code main}s and tests outside an event loop. */
  public static EmbeddedDatabase startBlocking(Path dataDirectory) throws IOException {
    Path dir = dataDirectory.toAbsolutePath().normalize();
    if (!IN_USE.add(dir)) {
      throw new IllegalStateException("the PostgreSQL data directory " + dir + " is already in use by this process");
    }
    try {
      Files.createDirectories(dir);
      StalePostmaster.clear(dir);
      EmbeddedPostgres server = EmbeddedPostgres.builder()
          .setDataDirectory(dir)
          .setCleanDataDirectory(false)
          .setServerConfig("listen_addresses", "127.0.0.1")
          .setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on")
          .setPGStartupWait(Duration.ofSeconds(60))
          .start();
      LOG.info("embedded PostgreSQL on 127.0.0.1:{}, data in {}", server.getPort(), dir);
      return new EmbeddedDatabase(server, dir);
    } catch (IOException | RuntimeException e) {
      IN_USE.remove(dir);
      throw e;
    }
  }

  /**
   * Connect options for the embedded server another candlebus process is running on {@code dataDirectory}, so
   * that a command like {@code user add} can work while the gateway runs; empty when none runs.
   */
  public static Optional<PgConnectOptions> running(Path dataDirectory) throws IOException {
    return StalePostmaster.runningPort(dataDirectory.toAbsolutePath().normalize()).map(port -> new PgConnectOptions()
        .setHost("127.0.0.1").setPort(port).setDatabase("postgres").setUser("postgres").setPassword("postgres"));
  }

  public int port() {
    return server.getPort();
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /** Superuser {@code postgres} on database {@code postgres}; the server trusts local connections. */
  public PgConnectOptions connectOptions() {
    return new PgConnectOptions()
        .setHost("127.0.0.1")
        .setPort(port())
        .setDatabase("postgres")
        .setUser("postgres")
        .setPassword("postgres");
  }

  /** Fast shutdown on a worker thread; the data directory stays. */
  public Future<Void> stop(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      stopBlocking();
      return null;
    });
  }

  public void stopBlocking() throws IOException {
    try {
      server.close();
      LOG.info("embedded PostgreSQL stopped, data kept in {}", dataDirectory);
    } finally {
      IN_USE.remove(dataDirectory);
    }
  }
}
