package io.candlebus;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.domain.Interval;
import io.candlebus.domain.Trade;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.candlebus.testing.Http;
import io.candlebus.testing.HttpSession;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.candlebus.testing.TestUsers;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spine end to end on real sockets and a real PostgreSQL: simulator (a simulated minute per real second)
 * → upstream → candles → store → HTTP, and the bus messages on the way.
 */
@ExtendWith(VertxExtension.class)
class GatewaySpineTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  @TempDir
  static Path dir;
  static Vertx vertx;
  static BinanceSimulator sim;
  static Gateway gateway;
  static String base;
  static HttpSession web;
  static final List<JsonObject> trades = Collections.synchronizedList(new ArrayList<>());
  static final List<JsonObject> candles = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    sim = new BinanceSimulator(SimulatorOptions.defaults().withSpeed(60).withRate(2).withHistoryMinutes(60)
        .withSeed(7).withPingIntervalMs(300));
    await(vertx.deployVerticle(sim));
    vertx.eventBus().<JsonObject>consumer(Addresses.trade("BTCUSDT"), m -> trades.add(m.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.candle("BTCUSDT", Interval.M1), m -> candles.add(m.body()));
    String db = TestPostgres.newDatabaseUrl();
    gateway = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir,
        Map.of("CANDLEBUS_INTERVALS", "1m,5m", "CANDLEBUS_HISTORY_LIMIT", "30"))));
    base = "http://127.0.0.1:" + gateway.httpPort();
    TestUsers.create(vertx, db, "trader");
    web = HttpSession.login(base, "trader", TestUsers.PASSWORD);
  }

  @AfterAll
  static void stop() {
    await(gateway.close().compose(v -> vertx.close()));
  }

  private static double count(String name, String tag, String value) {
    Counter c = gateway.registry().find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  private static void until(String what, java.util.function.BooleanSupplier check) {
    Await.until(vertx, PATIENCE, what, () -> Future.succeededFuture(check.getAsBoolean()));
  }

  @Test
  void binanceClosedKlinesMatchOurCandles() {
    until("6 kline checks matched", () -> count("candlebus_kline_checks_total", "result", "match") >= 6);
    assertThat(count("candlebus_kline_checks_total", "result", "mismatch")).isZero();
    assertThat(count("candlebus_candles_closed_total", "provenance", "complete")).isGreaterThanOrEqualTo(6);
  }

  @Test
  void storedCandlesEqualBinanceRestKlinesFieldByField() {
    await(gateway.backfillDone());
    // the backfill asked for the last 30 windows at some moment before this (at 60x, seconds are minutes)
    long simTimeAfterBackfill = sim.now();
    // 30 from the backfill, then the window joined mid-way, then at least 5 built from trades alone
    until("36 closed BTCUSDT 1m candles", () -> web.getArray("/api/candles?symbol=BTCUSDT&interval=1m")
        .stream().filter(c -> ((JsonObject) c).getBoolean("closed")).count() >= 36);
    JsonArray ours = web.getArray("/api/candles?symbol=BTCUSDT&interval=1m&limit=1000");
    Map<Long, JsonArray> binance = new HashMap<>();
    JsonArray rows = Http.getArray(sim.restBaseUrl() + "/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1000");
    rows.forEach(r -> binance.put(((JsonArray) r).getLong(0), (JsonArray) r));
    int compared = 0;
    for (int i = 0; i < ours.size(); i++) {
      JsonObject c = ours.getJsonObject(i);
      if (!c.getBoolean("closed")) {
        continue;
      }
      JsonArray b = binance.get(c.getLong("openTime"));
      assertThat(b).as("Binance has the window %s", c.getLong("openTime")).isNotNull();
      assertThat(c.getLong("closeTime")).isEqualTo(b.getLong(6));
      assertDecimal(c, "open", b.getString(1));
      assertDecimal(c, "high", b.getString(2));
      assertDecimal(c, "low", b.getString(3));
      assertDecimal(c, "close", b.getString(4));
      assertDecimal(c, "volume", b.getString(5));
      assertDecimal(c, "quoteVolume", b.getString(7));
      assertThat(c.getLong("trades")).isEqualTo(b.getLong(8));
      assertDecimal(c, "takerBuyVolume", b.getString(9));
      assertDecimal(c, "takerBuyQuoteVolume", b.getString(10));
      compared++;
    }
    assertThat(ours.getJsonObject(0).getLong("openTime")).as("the history reaches 30 windows back from the start")
        .isLessThanOrEqualTo(Interval.M1.openTime(simTimeAfterBackfill) - 29 * 60_000L);
    assertThat(compared).as("%s", ours.stream().map(o -> ((JsonObject) o).getLong("openTime") + ":"
        + ((JsonObject) o).getBoolean("closed")).toList()).isGreaterThanOrEqualTo(36);
  }

  private static void assertDecimal(JsonObject c, String field, String binance) {
    String ours = c.getString(field);
    assertThat(new BigDecimal(ours)).as("%s of %s", field, c.getLong("openTime"))
        .isEqualByComparingTo(new BigDecimal(binance));
    assertThat(ours).as("trailing zeros removed").doesNotMatch(".*\\.\\d*0$");
  }

  @Test
  void tradesArePublishedInTheSpecShapeWithExactValues() {
    until("20 trades on the bus", () -> trades.size() >= 20);
    List<JsonObject> seen;
    synchronized (trades) {
      seen = new ArrayList<>(trades.subList(0, 20));
    }
    Map<Long, Trade> history = new HashMap<>();
    sim.history("BTCUSDT").between(0, sim.now()).forEach(t -> history.put(t.aggId(), t));
    for (JsonObject t : seen) {
      assertThat(t.fieldNames()).containsExactlyInAnyOrder("symbol", "tradeId", "firstTradeId", "lastTradeId",
          "price", "qty", "time", "buyerMaker");
      Trade real = history.get(t.getLong("tradeId"));
      assertThat(real).isNotNull();
      assertThat(t.getString("symbol")).isEqualTo("BTCUSDT");
      assertThat(new BigDecimal(t.getString("price"))).isEqualByComparingTo(real.price());
      assertThat(t.getString("price")).isEqualTo(real.price().stripTrailingZeros().toPlainString());
      assertThat(new BigDecimal(t.getString("qty"))).isEqualByComparingTo(real.qty());
      assertThat(t.getLong("firstTradeId")).isEqualTo(real.firstTradeId());
      assertThat(t.getLong("lastTradeId")).isEqualTo(real.lastTradeId());
      assertThat(t.getLong("time")).isEqualTo(real.time());
      assertThat(t.getBoolean("buyerMaker")).isEqualTo(real.buyerMaker());
    }
  }

  @Test
  void everyWindowIsPublishedOnChangesThenOnceClosed() {
    until("4 closed 1m candles on the bus", () -> closedOnBus().size() >= 4);
    List<JsonObject> seen;
    synchronized (candles) {
      seen = new ArrayList<>(candles);
    }
    TreeMap<Long, Integer> closedCount = new TreeMap<>();
    TreeMap<Long, Integer> updates = new TreeMap<>();
    Map<Long, Integer> lastIndexOfUpdate = new HashMap<>();
    Map<Long, Integer> indexOfClose = new HashMap<>();
    for (int i = 0; i < seen.size(); i++) {
      JsonObject c = seen.get(i);
      long open = c.getLong("openTime");
      assertThat(c.getString("symbol")).isEqualTo("BTCUSDT");
      assertThat(c.getString("interval")).isEqualTo("1m");
      assertThat(c.getLong("closeTime")).isEqualTo(open + 59_999);
      if (c.getBoolean("closed")) {
        closedCount.merge(open, 1, Integer::sum);
        indexOfClose.putIfAbsent(open, i);
      } else {
        updates.merge(open, 1, Integer::sum);
        lastIndexOfUpdate.put(open, i);
      }
    }
    // the first window was joined mid-way (Binance's values may replace ours once); the later ones are whole
    List<Long> whole = new ArrayList<>(closedCount.keySet()).subList(1, closedCount.size());
    for (long open : whole) {
      assertThat(closedCount.get(open)).as("closed once: %d", open).isEqualTo(1);
      assertThat(updates.get(open)).as("updates of %d", open).isGreaterThan(1);
      assertThat(lastIndexOfUpdate.get(open)).isLessThan(indexOfClose.get(open));
    }
  }

  private static Set<Long> closedOnBus() {
    synchronized (candles) {
      Set<Long> s = new java.util.HashSet<>();
      candles.stream().filter(c -> c.getBoolean("closed")).forEach(c -> s.add(c.getLong("openTime")));
      return s;
    }
  }

  @Test
  void theUpstreamAnswersPings() {
    until("3 pongs at the simulator", () -> sim.pongsReceived() >= 3);
  }

  @Test
  void malformedFramesAreCountedAndSkippedAndTheStreamGoesOn() {
    until("trades flowing", () -> trades.size() >= 5);
    int before = trades.size();
    Map<String, Integer> injected = Map.of(
        "invalid_json", 30, "unknown_event", 20, "missing_field", 10, "wrong_type", 10, "wrong_value", 10);
    for (int round = 0; round < 10; round++) {
      for (int i = 0; i < 3; i++) {
        sim.injectRaw("{\"stream\":\"btcusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",");
      }
      sim.injectRaw("{\"e\":\"mystery\",\"E\":1}");
      sim.injectRaw("{\"stream\":\"x\",\"data\":{\"e\":\"nothingKnown\"}}");
      sim.injectRaw("{\"e\":\"aggTrade\",\"E\":1,\"s\":\"BTCUSDT\",\"a\":5}");
      sim.injectRaw("{\"e\":\"aggTrade\",\"E\":1,\"s\":\"BTCUSDT\",\"a\":5,\"p\":1.5,\"q\":\"1\",\"f\":1,\"l\":1,"
          + "\"T\":1,\"m\":true}");
      sim.injectRaw("{\"e\":\"kline\",\"E\":1,\"s\":\"BTCUSDT\",\"k\":{\"t\":1,\"T\":60000,\"i\":\"1m\",\"f\":1,"
          + "\"L\":1,\"o\":\"1\",\"c\":\"1\",\"h\":\"1\",\"l\":\"1\",\"v\":\"1\",\"n\":1,\"x\":true,\"q\":\"1\","
          + "\"V\":\"1\",\"Q\":\"1\"}}");
    }
    until("all malformed frames counted", () -> injected.entrySet().stream().allMatch(
        e -> count("candlebus_upstream_malformed_total", "kind", e.getKey()) >= e.getValue()));
    injected.forEach((kind, n) -> assertThat(count("candlebus_upstream_malformed_total", "kind", kind))
        .as(kind).isEqualTo((double) n));
    until("trades keep coming", () -> trades.size() > before + 20);
    assertThat(sim.openConnections()).isEqualTo(1);
    assertThat(gateway.registry().find("candlebus_upstream_connects_total").counter().count()).isEqualTo(1);
  }

  @Test
  void httpAnswersBadParametersWith400NamingThemAndUnknownSymbolsWith404() {
    record Case(String query, int status, String mention) {}
    List<Case> cases = List.of(
        new Case("interval=1m", 400, "symbol"),
        new Case("symbol=BTCUSDT", 400, "interval"),
        new Case("symbol=BTCUSDT&interval=7m", 400, "interval"),
        new Case("symbol=BTCUSDT&interval=1h", 400, "interval"),
        new Case("symbol=BTCUSDT&interval=1m&limit=0", 400, "limit"),
        new Case("symbol=BTCUSDT&interval=1m&limit=1001", 400, "limit"),
        new Case("symbol=BTCUSDT&interval=1m&limit=ten", 400, "limit"),
        new Case("symbol=BTCUSDT&interval=1m&startTime=yesterday", 400, "startTime"),
        new Case("symbol=BTCUSDT&interval=1m&endTime=-5", 400, "endTime"),
        new Case("symbol=BTCUSDT&interval=1m&startTime=10&endTime=5", 400, "startTime"),
        new Case("symbol=DOGEUSDT&interval=1m", 404, "DOGEUSDT"));
    for (Case c : cases) {
      for (String path : List.of("/api/candles?", "/api/candles.csv?")) {
        HttpResponse<String> r = web.get(path + c.query());
        assertThat(r.statusCode()).as(path + c.query()).isEqualTo(c.status());
        assertThat(new JsonObject(r.body()).getString("error")).as(path + c.query()).contains(c.mention());
      }
    }
    assertThat(web.get("/api/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void csvHoldsTheSameCandlesAsJson() {
    until("some candles", () -> web.getArray("/api/candles?symbol=ETHUSDT&interval=5m&limit=5").size() == 5);
    long end = web.getArray("/api/candles?symbol=ETHUSDT&interval=5m&limit=5").getJsonObject(3)
        .getLong("openTime");
    String q = "?symbol=ETHUSDT&interval=5m&limit=4&endTime=" + end;
    JsonArray json = web.getArray("/api/candles" + q);
    HttpResponse<String> csv = web.get("/api/candles.csv" + q);
    assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
    String[] lines = csv.body().split("\n");
    assertThat(lines[0]).isEqualTo("symbol,interval,openTime,closeTime,open,high,low,close,volume,quoteVolume,"
        + "takerBuyVolume,takerBuyQuoteVolume,trades,closed");
    assertThat(lines).hasSize(json.size() + 1);
    for (int i = 0; i < json.size(); i++) {
      JsonObject c = json.getJsonObject(i);
      assertThat(lines[i + 1]).isEqualTo(String.join(",", "ETHUSDT", "5m", c.getLong("openTime").toString(),
          c.getLong("closeTime").toString(), c.getString("open"), c.getString("high"), c.getString("low"),
          c.getString("close"), c.getString("volume"), c.getString("quoteVolume"), c.getString("takerBuyVolume"),
          c.getString("takerBuyQuoteVolume"), c.getLong("trades").toString(), c.getBoolean("closed").toString()));
    }
  }

  @Test
  void healthReadySymbolsAndMetrics() {
    assertThat(Http.getObject(base + "/health")).isEqualTo(new JsonObject().put("status", "UP"));
    until("ready", () -> Http.get(base + "/ready").statusCode() == 200);
    until("prices known", () -> web.getArray("/api/symbols").stream()
        .allMatch(s -> ((JsonObject) s).getString("price") != null));
    JsonArray symbols = web.getArray("/api/symbols");
    assertThat(symbols.stream().map(s -> ((JsonObject) s).getString("symbol"))).containsExactly("BTCUSDT",
        "ETHUSDT");
    HttpResponse<String> metrics = web.get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("candlebus_upstream_frames_total{kind=\"aggTrade\"}")
        .contains("candlebus_candles_stored_total").contains("candlebus_kline_checks_total");
  }
}
