package io.candlebus.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A PostgreSQL server of its own (the machine's embedded binaries) on a fixed port and data directory, so a test
 * can stop it and start it again: an "external" database that goes away and comes back.
 *
 * <p>Blocking: call from test threads, never from an event loop.
 */
public final class RestartablePostgres implements AutoCloseable {
  private final Path dataDirectory;
  private final int port;
  private EmbeddedPostgres server;

  public RestartablePostgres(Path dataDirectory) {
    this.dataDirectory = dataDirectory;
    this.port = Ports.free();
  }

  /** {@code postgresql://postgres:postgres@127.0.0.1:<port>/postgres}. */
  public String url() {
    return "postgresql://postgres:postgres@127.0.0.1:" + port + "/postgres";
  }

  public synchronized RestartablePostgres start() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder()
            .setPort(port)
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(false)
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setPGStartupWait(Duration.ofSeconds(60))
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException("PostgreSQL did not start on port " + port, e);
      }
    }
    return this;
  }

  /** Fast shutdown; the data stays for the next {@link #start()}. */
  public synchronized void stop() {
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        server = null;
      }
    }
  }

  @Override
  public void close() {
    stop();
  }

}
