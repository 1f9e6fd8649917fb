package io.candlebus.upstream;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Addresses;
import io.candlebus.Gateway;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.candlebus.testing.HttpSession;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.candlebus.testing.TestUsers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A gateway keeping three order books against the simulator: publishing, the route, and per-symbol resyncs. */
@ExtendWith(VertxExtension.class)
class DepthVerticleTest {
  private static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT", "BNBUSDT");

  private Vertx vertx;
  private BinanceSimulator sim;
  private Gateway gateway;
  private String pgUrl;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) {
    this.vertx = vertx;
    sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols(SYMBOLS.toArray(String[]::new))
        .withRate(20).withHistoryMinutes(5));
    await(vertx.deployVerticle(sim));
    pgUrl = TestPostgres.newDatabaseUrl();
    gateway = await(Gateway.deploy(vertx, TestConfigs.against(sim, pgUrl, dir, Map.of(
        "CANDLEBUS_INTERVALS", "1m", "CANDLEBUS_HISTORY_LIMIT", "2",
        "CANDLEBUS_DEPTH_SYMBOLS", String.join(",", SYMBOLS), "CANDLEBUS_DEPTH_SNAPSHOT_LIMIT", "500"))));
    for (String s : SYMBOLS) {
      awaitLive(s, Duration.ofSeconds(30));
    }
  }

  @AfterEach
  void stop() {
    await(gateway.close());
  }

  private void awaitLive(String symbol, Duration timeout) {
    Await.until(vertx, timeout, symbol + "'s book live", () -> book(symbol).map(b -> true).otherwise(false));
  }

  private Future<JsonObject> book(String symbol) {
    return vertx.eventBus().<JsonObject>request(Addresses.depthBook(symbol), new JsonObject().put("limit", 5))
        .map(m -> m.body());
  }

  private double resyncs(String symbol, String reason) {
    Counter c = gateway.registry().find("candlebus_depth_resyncs_total").tag("symbol", symbol)
        .tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  private double allResyncs(String symbol) {
    MeterRegistry r = gateway.registry();
    return r.find("candlebus_depth_resyncs_total").tag("symbol", symbol).counters().stream()
        .mapToDouble(Counter::count).sum();
  }

  @Test
  void publishesTheTopLevelsAtMostEvery100msAndAnswersTheRoute() {
    List<JsonObject> published = Collections.synchronizedList(new ArrayList<>());
    var consumer = vertx.eventBus().<JsonObject>consumer(Addresses.depth("BTCUSDT"), m -> published.add(m.body()));
    long from = System.currentTimeMillis();
    Await.until(vertx, Duration.ofSeconds(10), "20 books published", () -> Future.succeededFuture(
        published.size() >= 20));
    long elapsed = System.currentTimeMillis() - from;
    await(consumer.unregister());
    List<JsonObject> seen = List.copyOf(published);
    // one per 100 ms tick at most: 20 messages cannot come faster than 19 ticks
    assertThat(elapsed).isGreaterThanOrEqualTo(19 * 100 - 100);
    long lastId = -1;
    for (JsonObject b : seen) {
      assertThat(b.getString("symbol")).isEqualTo("BTCUSDT");
      assertThat(b.getString("state")).isEqualTo("LIVE");
      assertThat(b.getLong("updateId")).isGreaterThan(lastId);
      lastId = b.getLong("updateId");
      assertThat(b.getLong("time")).isPositive();
      assertBestFirst(b, 5);
    }

    TestUsers.create(vertx, pgUrl, "alice");
    HttpSession alice = HttpSession.login("http://127.0.0.1:" + gateway.httpPort(), "alice", TestUsers.PASSWORD);
    var ok = alice.get("/api/depth?symbol=btcusdt&limit=20");
    assertThat(ok.statusCode()).isEqualTo(200);
    JsonObject full = new JsonObject(ok.body());
    assertThat(full.getString("symbol")).isEqualTo("BTCUSDT");
    assertThat(full.getJsonArray("bids").size()).isBetween(6, 20);
    assertBestFirst(full, 20);
    assertThat(alice.get("/api/depth?symbol=BTCUSDT").statusCode()).isEqualTo(200);
    assertError(alice.get("/api/depth"), 400, "parameter symbol");
    assertError(alice.get("/api/depth?symbol=BTCUSDT&limit=abc"), 400, "parameter limit");
    assertError(alice.get("/api/depth?symbol=BTCUSDT&limit=0"), 400, "parameter limit");
    assertError(alice.get("/api/depth?symbol=BTCUSDT&limit=5001"), 400, "parameter limit");
    assertError(alice.get("/api/depth?symbol=XRPUSDT"), 404, "XRPUSDT");
    assertThat(new HttpSession("http://127.0.0.1:" + gateway.httpPort()).get("/api/depth?symbol=BTCUSDT")
        .statusCode()).isEqualTo(401);
  }

  private static void assertError(java.net.http.HttpResponse<String> r, int status, String names) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(new JsonObject(r.body()).getString("error")).contains(names);
  }

  private static void assertBestFirst(JsonObject book, int max) {
    JsonArray bids = book.getJsonArray("bids");
    JsonArray asks = book.getJsonArray("asks");
    assertThat(bids.size()).isBetween(1, max);
    assertThat(asks.size()).isBetween(1, max);
    for (int i = 1; i < bids.size(); i++) {
      assertThat(price(bids, i)).isLessThan(price(bids, i - 1));
    }
    for (int i = 1; i < asks.size(); i++) {
      assertThat(price(asks, i)).isGreaterThan(price(asks, i - 1));
    }
    assertThat(price(bids, 0)).isLessThan(price(asks, 0));
    String q = bids.getJsonArray(0).getString(1);
    assertThat(new BigDecimal(q).signum()).isPositive();
    assertThat(q).doesNotEndWith("0"); // exact decimals, trailing zeros removed
  }

  private static BigDecimal price(JsonArray side, int i) {
    return new BigDecimal(side.getJsonArray(i).getString(0));
  }

  @Test
  void aHoleResyncsOnlyThatSymbolWithin2s() {
    List<JsonObject> others = Collections.synchronizedList(new ArrayList<>());
    List<JsonObject> eth = Collections.synchronizedList(new ArrayList<>());
    vertx.eventBus().<JsonObject>consumer(Addresses.depth("BTCUSDT"), m -> others.add(m.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.depth("BNBUSDT"), m -> others.add(m.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.depth("ETHUSDT"), m -> eth.add(m.body()));

    await(sim.skipDepthDiffs("ETHUSDT", 1));
    long injected = System.nanoTime();
    Await.until(vertx, Duration.ofSeconds(5), "ETHUSDT's gap seen",
        () -> Future.succeededFuture(resyncs("ETHUSDT", "gap") == 1));
    awaitLive("ETHUSDT", Duration.ofSeconds(5));
    long tookMs = (System.nanoTime() - injected) / 1_000_000;
    System.out.println("ETHUSDT: hole seen and book rebuilt " + tookMs + " ms after the simulator left a diff out");
    assertThat(tookMs).isLessThan(2_000);
    assertThat(eth).anyMatch(b -> "RESYNCING".equals(b.getString("state")));
    Await.until(vertx, Duration.ofSeconds(5), "ETHUSDT published live again",
        () -> Future.succeededFuture(!eth.isEmpty() && "LIVE".equals(eth.get(eth.size() - 1).getString("state"))));

    assertThat(allResyncs("BTCUSDT")).isZero();
    assertThat(allResyncs("BNBUSDT")).isZero();
    assertThat(List.copyOf(others)).isNotEmpty().allMatch(b -> "LIVE".equals(b.getString("state")));
  }

  @Test
  void aStaleSnapshotIsRefetched() {
    await(sim.staleDepthSnapshots("BNBUSDT", 1)); // the next snapshot is the book as it is now
    Await.until(vertx, Duration.ofSeconds(5), "the book moved on", () -> book("BNBUSDT").compose(first ->
        vertx.timer(200).compose(v -> book("BNBUSDT")).map(b -> b.getLong("updateId") > first.getLong("updateId"))));
    await(sim.skipDepthDiffs("BNBUSDT", 1));
    Await.until(vertx, Duration.ofSeconds(5), "the stale snapshot refused",
        () -> Future.succeededFuture(resyncs("BNBUSDT", "stale_snapshot") >= 1));
    awaitLive("BNBUSDT", Duration.ofSeconds(5));
    assertThat(resyncs("BNBUSDT", "gap")).isEqualTo(1);
    assertThat(allResyncs("BTCUSDT") + allResyncs("ETHUSDT")).isZero();
  }

  @Test
  void aThousandMalformedDepthFramesAreCountedAndSkippedAndTheBookGoesOn() {
    long before = await(book("BTCUSDT")).getLong("updateId");
    int connections = await(sim.injectMalformedDepth("BTCUSDT", 1_000, 7));
    assertThat(connections).as("connections carrying btcusdt@depth@100ms").isEqualTo(1);
    Await.until(vertx, Duration.ofSeconds(10), "1000 bad depth frames counted", () -> Future.succeededFuture(
        malformed() >= 1_000));
    // frames built to continue the book: had one been taken, the next real diff would be a hole
    Await.until(vertx, Duration.ofSeconds(5), "the book moved on", () -> book("BTCUSDT").compose(first ->
        vertx.timer(300).compose(v -> book("BTCUSDT")).map(b -> b.getLong("updateId") > first.getLong("updateId")
            && first.getLong("updateId") > before)));
    assertThat(malformed()).isEqualTo(1_000);
    Map<String, Double> byKind = new java.util.TreeMap<>();
    gateway.registry().find("candlebus_depth_malformed_total").counters()
        .forEach(c -> byKind.put(c.getId().getTag("kind"), c.count()));
    System.out.println("1000 malformed depth frames skipped, by kind: " + byKind);
    assertThat(byKind).containsKeys("invalid_json", "bad_field", "bad_decimal", "unknown_symbol");
    for (String s : SYMBOLS) {
      assertThat(allResyncs(s)).as(s + " resyncs").isZero();
    }
  }

  private double malformed() {
    return gateway.registry().find("candlebus_depth_malformed_total").counters().stream()
        .mapToDouble(Counter::count).sum();
  }
}
