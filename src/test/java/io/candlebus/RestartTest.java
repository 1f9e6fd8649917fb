package io.candlebus;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.persistence.PgPools;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.candlebus.testing.StoredCandles;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Restarting candlebus writes no duplicate rows and fills the candles missed while it was down. */
@ExtendWith(VertxExtension.class)
class RestartTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @Test
  void aRestartFillsTheGapWithoutDuplicates(Vertx vertx, @TempDir Path dir) {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT").withSpeed(60)
        .withRate(2).withHistoryMinutes(30).withSeed(11));
    await(vertx.deployVerticle(sim));
    String db = TestPostgres.newDatabaseUrl();
    Map<String, String> env = Map.of("CANDLEBUS_INTERVALS", "1m", "CANDLEBUS_HISTORY_LIMIT", "10");

    Gateway first = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir, env)));
    await(first.backfillDone());
    waitForClosedCandles(vertx, first, 3);
    await(first.close());
    Pool pool = PgPools.create(vertx, PgPools.fromUrl(db));
    long lastStoredByFirst = newestOpenTime(pool);

    // candlebus is down for at least five minutes of exchange time
    Await.until(vertx, PATIENCE, "five minutes pass at the exchange",
        () -> Future.succeededFuture(sim.now() > lastStoredByFirst + 6 * 60_000));

    Gateway second = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir, env)));
    await(second.backfillDone());
    waitForClosedCandles(vertx, second, 2);

    Row stats = await(pool.query("SELECT count(*) AS n, count(DISTINCT date_open) AS d, "
        + "extract(epoch FROM min(date_open)) * 1000 AS lo, extract(epoch FROM max(date_open)) * 1000 AS hi "
        + "FROM exchange.price_history WHERE \"interval\" = '1m'").execute()).iterator().next();
    long rows = stats.getLong("n");
    long lo = stats.getBigDecimal("lo").longValue();
    long hi = stats.getBigDecimal("hi").longValue();
    assertThat(stats.getLong("d")).as("no duplicate windows").isEqualTo(rows);
    assertThat(rows).as("no missing window from %d to %d", lo, hi).isEqualTo((hi - lo) / 60_000 + 1);
    assertThat(hi).isGreaterThan(lastStoredByFirst + 6 * 60_000);

    // and every stored row is Binance's kline of that window
    assertThat(StoredCandles.assertContiguousAndEqualToBinance(pool, sim, "BTCUSDT", "1m", 60_000, lo))
        .isEqualTo(rows);
    await(second.close());
    await(pool.close());
  }

  private static void waitForClosedCandles(Vertx vertx, Gateway g, int n) {
    Await.until(vertx, PATIENCE, n + " candles built from trades", () -> {
      Counter c = g.registry().find("candlebus_candles_closed_total").tag("provenance", "complete").counter();
      return Future.succeededFuture(c != null && c.count() >= n);
    });
  }

  private static long newestOpenTime(Pool pool) {
    Row r = await(pool.query("SELECT extract(epoch FROM max(date_open)) * 1000 AS t FROM exchange.price_history")
        .execute()).iterator().next();
    return r.getBigDecimal("t").longValue();
  }
}
