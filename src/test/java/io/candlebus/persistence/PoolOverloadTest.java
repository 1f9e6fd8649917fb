package io.candlebus.persistence;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Addresses;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.config.ConfigLoader;
import io.candlebus.testing.Await;
import io.candlebus.testing.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * More requests than the pool lets wait is overload, not an outage: those beyond the wait queue fail with 503
 * "busy", the others are answered once connections free up, and PostgreSQL is never marked unreachable (which
 * would refuse everyone's requests and fail readiness).
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class PoolOverloadTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  /** Beyond the pool's connections and its whole wait queue. */
  private static final int FLOOD = PgPools.MAX_SIZE + PgPools.MAX_WAIT_QUEUE + 40;

  @Test
  void aFullWaitQueueIsNotAConnectionFailure() {
    assertThat(Outage.isOverload(new ConnectionPoolTooBusyException("full"))).isTrue();
    assertThat(Outage.isConnectionFailure(new ConnectionPoolTooBusyException("full"))).isFalse();
    assertThat(Outage.isConnectionFailure(new java.net.ConnectException("refused"))).isTrue();
    assertThat(Outage.isConnectionFailure(new PgException("bad", "ERROR", "22P02", "x"))).isFalse();
    assertThat(Outage.isOverload(new java.net.ConnectException("refused"))).isFalse();
  }

  @Test
  void requestsBeyondTheWaitQueueFailAloneAndPingStillAnswers(Vertx vertx, @TempDir Path dir) {
    String db = TestPostgres.newDatabase();
    String url = "postgresql://postgres:postgres@127.0.0.1:" + TestPostgres.port() + "/" + db;
    CandlebusConfig config = ConfigLoader.fromJson(ConfigLoader.builtInDefaults().put("data.dir", dir.toString())
        .put("pg.url", url), "test", Map.of());
    await(vertx.deployVerticle(new PersistenceVerticle(config, new SimpleMeterRegistry())));
    await(query(vertx)); // migrated, statement prepared

    // every candle query blocks behind this lock: the verticle's connections stay busy and its queue fills
    Pool direct = PgPools.create(vertx, PgPools.fromUrl(url), 1);
    SqlConnection conn = await(direct.getConnection());
    Transaction tx = await(conn.begin());
    await(conn.query("LOCK TABLE exchange.price_history IN ACCESS EXCLUSIVE MODE").execute());

    AtomicInteger busy = new AtomicInteger();
    List<ReplyException> otherFailures = new ArrayList<>();
    List<Future<?>> answers = new ArrayList<>();
    for (int i = 0; i < FLOOD; i++) {
      answers.add(query(vertx).onFailure(e -> {
        if (e instanceof ReplyException r && r.failureCode() == PersistenceVerticle.UNAVAILABLE
            && r.getMessage().startsWith("PostgreSQL is busy")) {
          busy.incrementAndGet();
        } else {
          synchronized (otherFailures) {
            otherFailures.add((ReplyException) e);
          }
        }
      }));
    }
    // at least those beyond the connections and the queue (a few more while connections were still being made)
    int beyond = FLOOD - PgPools.MAX_SIZE - PgPools.MAX_WAIT_QUEUE;
    Await.until(vertx, DEADLINE, "the requests beyond the wait queue are refused",
        () -> Future.succeededFuture(busy.get() >= beyond));
    Await.until(vertx, DEADLINE, "all the pool's connections wait on the lock", () -> conn.query(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
        .execute().map(rows -> rows.iterator().next().getLong(0) == PgPools.MAX_SIZE));
    // the connections are made and busy: fill the places they freed in the queue, then it is full
    for (int i = busy.get() - beyond; i > 0; i--) {
      answers.add(query(vertx));
    }
    // sent after them, so it finds the queue full: PostgreSQL answers, it is only busy
    JsonObject ping = await(vertx.eventBus().<JsonObject>request(Addresses.DB_PING, null)).body();
    assertThat(ping.getBoolean("busy")).isTrue();
    ReplyException oneMore = (ReplyException) Await.failure(query(vertx));
    assertThat(oneMore.failureCode()).isEqualTo(PersistenceVerticle.UNAVAILABLE);
    assertThat(oneMore).hasMessageStartingWith("PostgreSQL is busy, try again");

    await(tx.rollback());
    await(conn.close());
    Await.until(vertx, DEADLINE, "every request answered", () -> Future.succeededFuture(
        answers.stream().allMatch(Future::isComplete)));
    synchronized (otherFailures) {
      assertThat(otherFailures).as("no request failed but those beyond the queue").isEmpty();
    }
    assertThat(busy.get()).isBetween(beyond, beyond + PgPools.MAX_SIZE);
    assertThat(await(vertx.eventBus().<JsonObject>request(Addresses.DB_PING, null)).body())
        .isEqualTo(new JsonObject());
    await(query(vertx));
    await(direct.close());
  }

  private static Future<Object> query(Vertx vertx) {
    return vertx.eventBus().request(Addresses.DB_CANDLES_QUERY, new JsonObject().put("symbol", "BTCUSDT")
        .put("interval", "1m").put("limit", 5)).map(m -> m.body());
  }
}
