package io.candlebus.persistence;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;

/** How candlebus connects to PostgreSQL. */
public final class PgPools {
  public static final int MAX_SIZE = 4;
  /** Requests waiting for a connection beyond this fail at once instead of piling up in memory. */
  public static final int MAX_WAIT_QUEUE = 256;

  private PgPools() {}

  /**
   * Parses {@code postgresql://user:pass@host:port/db}. The error never repeats the URL, which holds a
   * password.
   */
  public static PgConnectOptions fromUrl(String url) {
    try {
      return PgConnectOptions.fromUri(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("CANDLEBUS_PG_URL is not a postgresql://user:pass@host:port/db URL");
    }
  }

  public static Pool create(Vertx vertx, PgConnectOptions connect) {
    return create(vertx, connect, MAX_SIZE);
  }

  public static Pool create(Vertx vertx, PgConnectOptions connect, int maxSize) {
    PgConnectOptions options = new PgConnectOptions(connect)
        .setCachePreparedStatements(true)
        .setReconnectAttempts(2)
        .setReconnectInterval(500);
    PoolOptions pool = new PoolOptions()
        .setMaxSize(maxSize)
        .setMaxWaitQueueSize(MAX_WAIT_QUEUE)
        .setConnectionTimeout(10)
        .setConnectionTimeoutUnit(TimeUnit.SECONDS)
        .setIdleTimeout(5)
        .setIdleTimeoutUnit(TimeUnit.MINUTES);
    return PgBuilder.pool().with(pool).connectingTo(options).using(vertx).build();
  }
}
