package io.candlebus.upstream;

import static io.candlebus.testing.Await.await;
import static io.candlebus.upstream.UpstreamResilienceTest.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Addresses;
import io.candlebus.Gateway;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.LongRange;
import io.candlebus.simulator.MalformedFrames;
import io.candlebus.simulator.RestCall;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.candlebus.testing.TradeTape;
import io.candlebus.upstream.StreamEvent.Malformed;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's faults, one at a time, against a whole gateway. */
@ExtendWith(VertxExtension.class)
class UpstreamFaultsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static BinanceSimulator simulator(Vertx vertx, SimulatorOptions options) {
    BinanceSimulator sim = new BinanceSimulator(options);
    await(vertx.deployVerticle(sim));
    return sim;
  }

  private static SimulatorOptions fast(String... symbols) {
    return SimulatorOptions.defaults().withSymbols(symbols).withSpeed(60).withRate(1).withHistoryMinutes(10);
  }

  private static Gateway gateway(Vertx vertx, BinanceSimulator sim, Path dir, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("CANDLEBUS_INTERVALS", "1m", "CANDLEBUS_HISTORY_LIMIT", "2"));
    env.putAll(extra);
    return await(Gateway.deploy(vertx, TestConfigs.against(sim, TestPostgres.newDatabaseUrl(), dir, env)));
  }

  private static List<JsonObject> statusEvents(Vertx vertx) {
    List<JsonObject> events = Collections.synchronizedList(new ArrayList<>());
    vertx.eventBus().<JsonObject>consumer(Addresses.MARKET_STATUS, m -> {
      if (m.body().containsKey("event")) {
        events.add(m.body());
      }
    });
    return events;
  }

  private static JsonObject find(List<JsonObject> events, String event) {
    synchronized (events) {
      return events.stream().filter(e -> event.equals(e.getString("event"))).findFirst().orElse(null);
    }
  }

  @Test
  void aHoleOnTheStreamIsFilledFromRestWithinFiveSeconds(Vertx vertx, @TempDir Path dir) {
    BinanceSimulator sim = simulator(vertx, fast("BTCUSDT"));
    TradeTape tape = TradeTape.record(vertx, "BTCUSDT");
    List<JsonObject> events = statusEvents(vertx);
    Gateway g = gateway(vertx, sim, dir, Map.of());
    Await.until(vertx, PATIENCE, "trades", () -> Future.succeededFuture(tape.size() > 50));

    LongRange skipped = await(sim.skipNextTrades("BTCUSDT", 40));
    long asked = System.nanoTime();
    Await.until(vertx, Duration.ofSeconds(5), "the hole filled", () -> Future.succeededFuture(
        find(events, "gap-filled") != null && tape.last() > skipped.last()));
    long tookMs = (System.nanoTime() - asked) / 1_000_000;
    assertThat(tookMs).isLessThan(5_000);
    // seen either by the next trade after the hole or, earlier, by Binance's kline counting trades we lack
    JsonObject gap = find(events, "gap");
    assertThat(gap.getLong("fromId")).isEqualTo(skipped.first());
    assertThat(gap.getLong("toId")).isIn(skipped.last(), -1L);
    assertThat(gap.getString("symbol")).isEqualTo("BTCUSDT");
    JsonObject filled = find(events, "gap-filled");
    assertThat(filled.getLong("fromId")).isEqualTo(skipped.first());
    assertThat(filled.getLong("missing")).isZero();
    assertThat(filled.getString("state")).isEqualTo("CONNECTED");
    // a kline can reveal the hole while the simulator is still leaving trades out: then it takes several fills
    long fetched;
    synchronized (events) {
      fetched = events.stream().filter(e -> "gap-filled".equals(e.getString("event")))
          .mapToLong(e -> e.getLong("filled")).sum();
    }
    assertThat(fetched).isGreaterThanOrEqualTo(40);
    await(g.close());
    tape.assertEveryTradeOnceInOrder(sim);
    assertThat(count(g, "candlebus_upstream_gap_trades_total", "result", "filled")).isEqualTo(fetched);
    assertThat(count(g, "candlebus_upstream_gaps_total", "result", "unfilled")).isZero();
    assertThat(count(g, "candlebus_kline_checks_total", "result", "mismatch")).as("no window closed short")
        .isZero();
  }

  @Test
  void aHoleRestCannotFillIsReportedAndTheRestFlows(Vertx vertx, @TempDir Path dir) {
    BinanceSimulator sim = simulator(vertx, fast("BTCUSDT"));
    TradeTape tape = TradeTape.record(vertx, "BTCUSDT");
    List<JsonObject> events = statusEvents(vertx);
    Gateway g = gateway(vertx, sim, dir, Map.of());
    Await.until(vertx, PATIENCE, "trades", () -> Future.succeededFuture(tape.size() > 50));

    LongRange lost = await(sim.loseNextTrades("BTCUSDT", 12));
    Await.until(vertx, Duration.ofSeconds(15), "the hole reported", () -> Future.succeededFuture(
        find(events, "gap-unfilled") != null));
    JsonObject report = find(events, "gap-unfilled");
    assertThat(report.getLong("missing")).isEqualTo(12);
    assertThat(report.getLong("fromId")).isEqualTo(lost.first());
    assertThat(report.getString("detail")).contains("missing").contains("REST has no aggTrades");
    Await.until(vertx, PATIENCE, "trades after the hole", () -> Future.succeededFuture(
        tape.last() > lost.last() + 50));
    await(g.close());
    assertThat(count(g, "candlebus_upstream_gap_trades_total", "result", "missing")).isEqualTo(12);
    assertThat(count(g, "candlebus_upstream_gaps_total", "result", "unfilled")).isEqualTo(1);
    List<Long> ids = tape.ids();
    assertThat(ids).doesNotContain(lost.first(), lost.last()).contains(lost.first() - 1, lost.last() + 1);
    assertThat(ids).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void retryAfterOf429And418IsObeyed(Vertx vertx, @TempDir Path dir) {
    BinanceSimulator sim = simulator(vertx, fast("BTCUSDT"));
    TradeTape tape = TradeTape.record(vertx, "BTCUSDT");
    Gateway g = gateway(vertx, sim, dir, Map.of());
    Await.until(vertx, PATIENCE, "trades", () -> Future.succeededFuture(tape.size() > 50));

    for (int status : new int[] {429, 418}) {
      int calls = sim.restCalls().size();
      sim.restFault(status, 2, 1);
      LongRange skipped = await(sim.skipNextTrades("BTCUSDT", 5));
      Await.until(vertx, PATIENCE, "the hole filled after the " + status, () -> Future.succeededFuture(
          tape.last() > skipped.last()));
      List<RestCall> log = sim.restCalls().subList(calls, sim.restCalls().size());
      RestCall refused = log.stream().filter(c -> c.status() == status).findFirst().orElseThrow();
      RestCall next = log.get(log.indexOf(refused) + 1);
      assertThat(next.atMillis() - refused.atMillis()).as("no call within Retry-After (2 s) of the " + status)
          .isGreaterThanOrEqualTo(2_000);
      assertThat(next.status()).isEqualTo(200);
    }
    assertThat(sim.stats().restViolations()).isZero();
    assertThat(count(g, "candlebus_rest_rate_limited_total", "status", "429")).isEqualTo(1);
    assertThat(count(g, "candlebus_rest_rate_limited_total", "status", "418")).isEqualTo(1);
    await(g.close());
    tape.assertEveryTradeOnceInOrder(sim);
  }

  @Test
  void theWeightLimitIsNeverPassed(Vertx vertx, @TempDir Path dir) {
    BinanceSimulator sim = simulator(vertx, fast("BTCUSDT").withRequestWeightLimit(100));
    TradeTape tape = TradeTape.record(vertx, "BTCUSDT");
    Gateway g = gateway(vertx, sim, dir, Map.of());
    Await.until(vertx, PATIENCE, "trades", () -> Future.succeededFuture(tape.size() > 20));
    // 25 separate holes need 25 REST calls of weight 4: more than the 90 % of 100 left after start-up
    for (int i = 0; i < 25; i++) {
      LongRange r = await(sim.skipNextTrades("BTCUSDT", 1));
      Await.until(vertx, PATIENCE, "the stream past hole " + i, () -> Future.succeededFuture(
          sim.history("BTCUSDT").lastAggId() > r.last() + 2));
    }
    Await.until(vertx, PATIENCE, "the limiter held calls back", () -> Future.succeededFuture(
        count(g, "candlebus_rest_waits_total") > 0));
    assertThat(sim.stats().maxWeightUsed()).isLessThanOrEqualTo(90);
    assertThat(sim.stats().restRefused()).isZero();
    assertThat(sim.stats().weightLimit()).isEqualTo(100);
    assertThat(g.registry().get("candlebus_rest_weight_limit").gauge().value()).isEqualTo(100);
    await(g.close());
  }

  @Test
  void tenThousandMalformedFramesAreCountedAndSkipped(Vertx vertx, @TempDir Path dir) {
    // the frames name BTCUSDT; ETHUSDT's real trades flow around them
    BinanceSimulator sim = simulator(vertx, fast("BTCUSDT", "ETHUSDT"));
    TradeTape tape = TradeTape.record(vertx, "ETHUSDT");
    Gateway g = gateway(vertx, sim, dir, Map.of("CANDLEBUS_SYMBOLS", "ETHUSDT"));
    Await.until(vertx, PATIENCE, "trades", () -> Future.succeededFuture(tape.size() > 20));

    List<String> frames = MalformedFrames.generate(10_000, 99);
    BinanceStreamParser judge = new BinanceStreamParser();
    Map<String, Long> expected = new HashMap<>();
    for (String f : frames) {
      if (judge.parse(f) instanceof Malformed m) {
        expected.merge(m.kind(), 1L, Long::sum);
      }
    }
    assertThat(expected.values().stream().mapToLong(Long::longValue).sum()).as("most generated frames are unusable")
        .isGreaterThan(9_000);
    assertThat(expected.keySet()).as("of many kinds").hasSizeGreaterThanOrEqualTo(8);
    // and frames over the size bound, one of them far over it (but under the transport's 16 MB)
    expected.merge("too_large", 3L, Long::sum);
    long bad = expected.values().stream().mapToLong(Long::longValue).sum();

    await(sim.injectMalformed(10_000, 99));
    sim.injectRaw(MalformedFrames.oversize(100_000));
    sim.injectRaw(MalformedFrames.oversize(100_000));
    sim.injectRaw(MalformedFrames.oversize(2_000_000));
    Await.until(vertx, PATIENCE, "all counted", () -> Future.succeededFuture(malformed(g) == bad));
    long after = sim.history("ETHUSDT").lastAggId();
    Await.until(vertx, PATIENCE, "trades after the flood", () -> Future.succeededFuture(tape.last() > after + 20));
    expected.forEach((kind, n) -> assertThat(count(g, "candlebus_upstream_malformed_total", "kind", kind))
        .as(kind).isEqualTo(n.doubleValue()));
    assertThat(count(g, "candlebus_upstream_disconnects_total")).as("the connection lived").isZero();
    assertThat(count(g, "candlebus_upstream_gaps_total", "result", "opened")).isZero();
    await(g.close());
    tape.assertEveryTradeOnceInOrder(sim);
  }

  private static double malformed(Gateway g) {
    return g.registry().find("candlebus_upstream_malformed_total").counters().stream()
        .mapToDouble(Counter::count).sum();
  }
}
