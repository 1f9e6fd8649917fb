package io.candlebus.upstream;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Addresses;
import io.candlebus.Gateway;
import io.candlebus.persistence.PgPools;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.candlebus.testing.StoredCandles;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.candlebus.testing.TradeTape;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Binance sends nothing twice: whatever passes while a socket is down must be fetched. These runs break the
 * upstream in the ways Binance does and check that every trade is published once and the stored candles are
 * Binance's, as in a run without faults.
 */
@ExtendWith(VertxExtension.class)
class UpstreamResilienceTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT");

  private static BinanceSimulator simulator(Vertx vertx, long seed) {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols(SYMBOLS).withSpeed(60)
        .withRate(1).withHistoryMinutes(20).withSeed(seed));
    await(vertx.deployVerticle(sim));
    return sim;
  }

  static double count(Gateway g, String name, String... tags) {
    Counter c = g.registry().find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void twentyDropsLoseNoTradeAndStoreWhatAFaultlessRunStores(Vertx vertx, @TempDir Path dir) {
    BinanceSimulator sim = simulator(vertx, 21);
    String db = TestPostgres.newDatabaseUrl();
    List<TradeTape> tapes = SYMBOLS.stream().map(s -> TradeTape.record(vertx, s)).toList();
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir,
        Map.of("CANDLEBUS_INTERVALS", "1m,5m", "CANDLEBUS_HISTORY_LIMIT", "5"))));
    await(g.backfillDone());

    for (int drop = 1; drop <= 20; drop++) {
      int connects = drop;
      Await.until(vertx, PATIENCE, "connection " + connects, () -> Future.succeededFuture(
          count(g, "candlebus_upstream_connects_total") >= connects && sim.openConnections() == 1));
      long live = sim.history("BTCUSDT").lastAggId();
      // live trades flow on the new connection before it is cut again (and it lived long enough to reset the
      // backoff); the REST fill alone does not count
      Await.until(vertx, PATIENCE, "trades after reconnect " + drop,
          () -> Future.succeededFuture(tapes.get(0).last() >= live + 80));
      sim.dropAllConnections();
    }
    Await.until(vertx, PATIENCE, "the 21st connection", () -> Future.succeededFuture(
        count(g, "candlebus_upstream_connects_total") >= 21));
    long lastAtReconnect = sim.history("BTCUSDT").lastAggId();
    Await.until(vertx, PATIENCE, "trades past the last reconnect",
        () -> Future.succeededFuture(tapes.get(0).last() > lastAtReconnect + 50));
    Await.until(vertx, PATIENCE, "all holes filled", () -> Future.succeededFuture(
        count(g, "candlebus_upstream_gaps_total", "result", "opened") == 0
            || count(g, "candlebus_upstream_gaps_total", "result", "filled")
            == count(g, "candlebus_upstream_gaps_total", "result", "opened")));
    await(g.close());

    for (TradeTape tape : tapes) {
      assertThat(tape.assertEveryTradeOnceInOrder(sim)).isGreaterThan(1000);
    }
    assertThat(count(g, "candlebus_upstream_disconnects_total")).isEqualTo(20);
    assertThat(count(g, "candlebus_upstream_gap_trades_total", "result", "filled")).as("fetched from REST")
        .isPositive();
    assertThat(count(g, "candlebus_upstream_gap_trades_total", "result", "missing")).isZero();
    assertThat(count(g, "candlebus_kline_checks_total", "result", "mismatch")).isZero();
    Pool pool = PgPools.create(vertx, PgPools.fromUrl(db));
    for (String s : SYMBOLS) {
      assertThat(StoredCandles.assertContiguousAndEqualToBinance(pool, sim, s, "1m", 60_000, 0))
          .isGreaterThan(30);
      assertThat(StoredCandles.assertContiguousAndEqualToBinance(pool, sim, s, "5m", 300_000, 0))
          .isGreaterThan(5);
    }
    await(pool.close());
  }

  @Test
  void serverShutdownAndAgeRotationsAreMakeBeforeBreak(Vertx vertx, @TempDir Path dir) {
    BinanceSimulator sim = simulator(vertx, 22);
    List<TradeTape> tapes = SYMBOLS.stream().map(s -> TradeTape.record(vertx, s)).toList();
    List<JsonObject> status = Collections.synchronizedList(new ArrayList<>());
    vertx.eventBus().<JsonObject>consumer(Addresses.MARKET_STATUS, m -> status.add(m.body()));
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, TestPostgres.newDatabaseUrl(), dir,
        Map.of("CANDLEBUS_INTERVALS", "1m", "CANDLEBUS_HISTORY_LIMIT", "2",
            // Binance's 24 h, made short: rotate every 3 s
            "CANDLEBUS_UPSTREAM_MAX_AGE_MS", "3000"))));
    Await.until(vertx, PATIENCE, "trades", () -> Future.succeededFuture(tapes.get(0).size() > 100));
    sim.injectRaw("{\"stream\":\"!serverShutdown\",\"data\":{\"e\":\"serverShutdown\",\"E\":" + sim.now() + "}}");
    Await.until(vertx, PATIENCE, "a rotation for serverShutdown", () -> Future.succeededFuture(
        count(g, "candlebus_upstream_rotations_total", "reason", "server_shutdown") == 1));
    Await.until(vertx, PATIENCE, "four rotations for age", () -> Future.succeededFuture(
        count(g, "candlebus_upstream_rotations_total", "reason", "age") >= 4));
    int seen = tapes.get(0).size();
    Await.until(vertx, PATIENCE, "trades after the rotations", () -> Future.succeededFuture(
        tapes.get(0).size() > seen + 50 && sim.openConnections() == 1));
    await(g.close());

    for (TradeTape tape : tapes) {
      tape.assertEveryTradeOnceInOrder(sim);
    }
    assertThat(count(g, "candlebus_upstream_disconnects_total")).as("never without a live connection").isZero();
    assertThat(count(g, "candlebus_upstream_gaps_total", "result", "opened")).as("no hole").isZero();
    assertThat(count(g, "candlebus_upstream_fill_requests_total")).as("nothing needed from REST").isZero();
    assertThat(count(g, "candlebus_upstream_duplicates_total")).as("the overlap was dropped").isPositive();
    assertThat(status).noneMatch(s -> "DISCONNECTED".equals(s.getString("state")));
  }
}
