package io.candlebus.upstream;

import static io.candlebus.testing.Await.await;
import static io.candlebus.upstream.UpstreamResilienceTest.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Gateway;
import io.candlebus.persistence.PgPools;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.candlebus.testing.StoredCandles;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.candlebus.testing.TradeTape;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A connection that stays open but sends nothing, not even pings, is replaced; one that only pings is kept. */
@ExtendWith(VertxExtension.class)
class UpstreamWatchdogTest {
  @Test
  void aSilentUpstreamIsReplacedWithinThirtyFiveSeconds(Vertx vertx, @TempDir Path dir) {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT").withSpeed(60)
        .withRate(1).withHistoryMinutes(10).withSeed(31));
    await(vertx.deployVerticle(sim));
    TradeTape tape = TradeTape.record(vertx, "BTCUSDT");
    String db = TestPostgres.newDatabaseUrl();
    // the default 30 s silence limit
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir,
        Map.of("CANDLEBUS_INTERVALS", "1m", "CANDLEBUS_HISTORY_LIMIT", "3"))));
    Await.until(vertx, Duration.ofSeconds(30), "trades", () -> Future.succeededFuture(tape.size() > 50));

    assertThat(await(sim.silenceOpenConnections())).isEqualTo(1);
    long silencedAt = System.nanoTime();
    Await.until(vertx, Duration.ofSeconds(40), "the silent connection replaced", () -> Future.succeededFuture(
        count(g, "candlebus_upstream_rotations_total", "reason", "silence") == 1));
    long tookMs = (System.nanoTime() - silencedAt) / 1_000_000;
    assertThat(tookMs).isBetween(29_000L, 35_000L);
    long resumed = sim.history("BTCUSDT").lastAggId();
    Await.until(vertx, Duration.ofSeconds(30), "trades on the new connection", () -> Future.succeededFuture(
        tape.last() > resumed + 50 && sim.stats().silencedConnections() == 0));
    await(g.close());

    tape.assertEveryTradeOnceInOrder(sim);
    assertThat(count(g, "candlebus_upstream_gap_trades_total", "result", "filled")).as("the silent half hour")
        .isGreaterThan(1_000);
    Pool pool = PgPools.create(vertx, PgPools.fromUrl(db));
    assertThat(StoredCandles.assertContiguousAndEqualToBinance(pool, sim, "BTCUSDT", "1m", 60_000, 0))
        .isGreaterThan(30);
    await(pool.close());
  }

  @Test
  void pingsAloneKeepAQuietConnection(Vertx vertx, @TempDir Path dir) {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT")
        .withRate(0.0001).withHistoryMinutes(0).withPingIntervalMs(250).withPongTimeoutMs(1000));
    await(vertx.deployVerticle(sim));
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, TestPostgres.newDatabaseUrl(), dir,
        Map.of("CANDLEBUS_INTERVALS", "1d", "CANDLEBUS_HISTORY_LIMIT", "0", "CANDLEBUS_UPSTREAM_SILENCE_MS", "1000"))));
    Await.until(vertx, Duration.ofSeconds(30), "connected", () -> Future.succeededFuture(sim.openConnections() == 1));
    long pongs = sim.pongsReceived();
    // four silence limits' worth of pings, nothing else
    Await.until(vertx, Duration.ofSeconds(30), "16 pings answered", () -> Future.succeededFuture(
        sim.pongsReceived() >= pongs + 16));
    assertThat(count(g, "candlebus_upstream_rotations_total", "reason", "silence")).isZero();
    assertThat(count(g, "candlebus_upstream_connects_total")).isEqualTo(1);
    // every pong echoed its ping's payload: the simulator closes a connection whose pings go unanswered for 1 s
    assertThat(sim.stats().pongTimeoutCloses()).isZero();

    await(sim.silenceOpenConnections());
    Await.until(vertx, Duration.ofSeconds(10), "then silence is noticed", () -> Future.succeededFuture(
        count(g, "candlebus_upstream_rotations_total", "reason", "silence") >= 1));
    await(g.close());
  }
}
