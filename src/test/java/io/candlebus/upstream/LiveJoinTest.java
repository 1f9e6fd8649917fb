package io.candlebus.upstream;

import static io.candlebus.testing.Await.await;
import static io.candlebus.upstream.UpstreamResilienceTest.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Gateway;
import io.candlebus.persistence.PgPools;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.candlebus.testing.CutProxy;
import io.candlebus.testing.StoredCandles;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
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

/**
 * The start-up backfill asks REST for what has closed "now"; the stream joins later. Windows closing in between
 * are seen by neither unless the backfill looks again once the stream is live. Here the stream is held off for a
 * few exchange minutes to make that gap wide.
 */
@ExtendWith(VertxExtension.class)
class LiveJoinTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @Test
  void windowsClosingBetweenTheBackfillAndTheStreamJoiningAreStored(Vertx vertx, @TempDir Path dir) {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT").withSpeed(60)
        .withRate(1).withHistoryMinutes(20).withSeed(41));
    await(vertx.deployVerticle(sim));
    CutProxy proxy = CutProxy.start(vertx);
    proxy.target(sim.port());
    proxy.cut();
    String db = TestPostgres.newDatabaseUrl();
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir, Map.of(
        "CANDLEBUS_BINANCE_WS_URL", "ws://127.0.0.1:" + proxy.port(),
        "CANDLEBUS_INTERVALS", "1m", "CANDLEBUS_HISTORY_LIMIT", "5"))));
    Await.until(vertx, PATIENCE, "the first backfill pass", () -> Future.succeededFuture(
        count(g, "candlebus_backfill_candles_total") >= 5));
    long firstPass = sim.now();
    Await.until(vertx, PATIENCE, "four exchange minutes without the stream", () -> Future.succeededFuture(
        sim.now() > firstPass + 4 * 60_000));
    assertThat(g.backfillDone().isComplete()).as("the second pass waits for the stream").isFalse();

    proxy.restore();
    await(g.backfillDone());
    Await.until(vertx, PATIENCE, "live candles", () -> Future.succeededFuture(
        count(g, "candlebus_candles_closed_total", "provenance", "complete") >= 3));
    await(g.close());

    Pool pool = PgPools.create(vertx, PgPools.fromUrl(db));
    assertThat(StoredCandles.assertContiguousAndEqualToBinance(pool, sim, "BTCUSDT", "1m", 60_000, 0))
        .isGreaterThan(5 + 4 + 3);
    await(pool.close());
    proxy.close();
  }
}
