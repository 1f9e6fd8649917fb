package io.candlebus.capture;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Addresses;
import io.candlebus.Gateway;
import io.candlebus.domain.Interval;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.candlebus.testing.TestUsers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code capture --url}: from a running candlebus over its bridge, logged in like a browser. What the gateway
 * published meanwhile (heard by a consumer on its own event bus) is in the files: every aggTrade once, every
 * closed candle, every book's top 5 levels, in the columns Binance's frames give, in 10 s slices. A wrong
 * password ends it with one line and exit 3; {@code trade}, which a gateway does not relay, is refused with 2.
 */
class CaptureGatewayTest {
  static final String PASSWORD_ENV = "CANDLEBUS_PASSWORD";
  @TempDir
  static Path data;
  static Vertx vertx;
  static Gateway gateway;
  static String base;
  record Heard(long at, JsonObject body) {}

  static final List<Heard> trades = Collections.synchronizedList(new ArrayList<>());
  static final List<Heard> candles = Collections.synchronizedList(new ArrayList<>());
  static final List<Heard> books = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT", "ETHUSDT")
        .withSpeed(10).withRate(5).withHistoryMinutes(30).withSeed(21));
    await(vertx.deployVerticle(sim));
    String db = TestPostgres.newDatabaseUrl();
    TestUsers.create(vertx, db, "rec");
    gateway = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, data, Map.of("CANDLEBUS_INTERVALS", "1m",
        "CANDLEBUS_HISTORY_LIMIT", "30", "CANDLEBUS_DEPTH_SYMBOLS", "BTCUSDT"))));
    base = "http://127.0.0.1:" + gateway.httpPort();
    vertx.eventBus().<JsonObject>consumer(Addresses.trade("BTCUSDT"), m -> trades.add(heard(m.body())));
    vertx.eventBus().<JsonObject>consumer(Addresses.candle("BTCUSDT", Interval.M1), m -> candles.add(heard(m.body())));
    vertx.eventBus().<JsonObject>consumer(Addresses.depth("BTCUSDT"), m -> books.add(heard(m.body())));
  }

  private static Heard heard(JsonObject body) {
    return new Heard(System.currentTimeMillis(), body);
  }

  @AfterAll
  static void stop() {
    await(gateway.close().compose(v -> vertx.close()));
  }

  private static int capture(Map<String, String> env, ByteArrayOutputStream out, ByteArrayOutputStream err,
      String... args) {
    return CaptureCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  @Timeout(120)
  void whatTheGatewayPublishedIsInTheFiles(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = capture(Map.of(PASSWORD_ENV, TestUsers.PASSWORD), out, err, "--symbols", "BTCUSDT", "--streams",
        "aggTrade,kline_1m,depth5", "--minutes", "0.5", "--rotate", "10s", "--out", dir.toString(), "--url", base,
        "--user", "rec");
    assertThat(code).as("exit code; stderr %s", err).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("candlebus capture: after 0.5 min: ");
    assertThat(CapturedFiles.names(dir)).allMatch(n -> n.endsWith("Z.csv"), "complete files only");

    List<CapturedFiles.Row> tradeRows = CapturedFiles.rows(dir, "BTCUSDT", "aggTrade");
    assertThat(tradeRows.stream().map(CapturedFiles.Row::file).distinct().count()).as("10 s slices over 30 s")
        .isBetween(3L, 4L);
    for (CapturedFiles.Row r : tradeRows) {
      assertThat(r.receiveTime()).isBetween(r.sliceStart(), r.sliceStart() + 9_999);
    }
    long first = tradeRows.get(0).receiveTime() + 1_000;
    long last = tradeRows.get(tradeRows.size() - 1).receiveTime() - 1_000;
    List<List<String>> tradeCells = tradeRows.stream().map(CapturedFiles.Row::cells).toList();
    assertThat(new HashSet<>(tradeCells)).as("no trade twice").hasSize(tradeCells.size());
    List<List<String>> published = during(trades, first, last).stream().map(b -> List.of("", b.getString("symbol"),
        String.valueOf(b.getLong("tradeId")), b.getString("price"), b.getString("qty"),
        String.valueOf(b.getLong("firstTradeId")), String.valueOf(b.getLong("lastTradeId")),
        String.valueOf(b.getLong("time")), String.valueOf(b.getBoolean("buyerMaker")))).toList();
    assertThat(published).as("trades published meanwhile").hasSizeGreaterThan(50);
    assertThat(tradeCells).containsAll(published);

    List<List<String>> candleCells = CapturedFiles.rows(dir, "BTCUSDT", "kline_1m").stream()
        .map(CapturedFiles.Row::cells).toList();
    List<List<String>> closed = during(candles, first, last).stream().filter(b -> b.getBoolean("closed"))
        .map(CaptureGatewayTest::klineCells).toList();
    assertThat(closed).as("closed candles meanwhile").isNotEmpty();
    assertThat(candleCells).containsAll(closed);
    Set<List<String>> anyCandle;
    synchronized (candles) { // the gateway's loop still adds to it
      anyCandle = candles.stream().map(h -> klineCells(h.body())).collect(Collectors.toSet());
    }
    assertThat(candleCells).as("every candle row one the gateway published").allMatch(anyCandle::contains);

    List<List<String>> bookCells = CapturedFiles.rows(dir, "BTCUSDT", "depth5").stream()
        .map(CapturedFiles.Row::cells).toList();
    List<List<String>> booksMeanwhile = during(books, first, last).stream()
        .filter(b -> "LIVE".equals(b.getString("state"))).map(CaptureGatewayTest::top5).toList();
    assertThat(booksMeanwhile).as("books published meanwhile").hasSizeGreaterThan(20);
    assertThat(bookCells).containsAll(booksMeanwhile);
  }

  @Test
  void aWrongPasswordEndsItWithOneLineAndTradeIsRefused(@TempDir Path dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = capture(Map.of(PASSWORD_ENV, "not the password"), out, err, "--symbols", "BTCUSDT", "--streams",
        "aggTrade", "--out", dir.toString(), "--url", base, "--user", "rec");
    assertThat(code).isEqualTo(3);
    assertThat(err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("login refused")).toList())
        .containsExactly("candlebus capture: login refused for user \"rec\" at " + base + ": wrong name or password");

    ByteArrayOutputStream err2 = new ByteArrayOutputStream();
    assertThat(capture(Map.of(PASSWORD_ENV, TestUsers.PASSWORD), new ByteArrayOutputStream(), err2, "--symbols",
        "BTCUSDT", "--streams", "trade", "--out", dir.toString(), "--url", base)).isEqualTo(2);
    assertThat(err2.toString(StandardCharsets.UTF_8).trim()).startsWith("candlebus capture: --streams: \"trade\" is "
        + "not relayed by a candlebus");
  }

  private static List<JsonObject> during(List<Heard> heard, long from, long to) {
    synchronized (heard) {
      return heard.stream().filter(h -> h.at() >= from && h.at() <= to).map(Heard::body).toList();
    }
  }

  private static List<String> klineCells(JsonObject b) {
    List<String> c = new ArrayList<>(List.of("", b.getString("symbol")));
    for (String f : List.of("openTime", "closeTime", "interval", "firstTradeId", "lastTradeId", "open", "close",
        "high", "low", "volume", "trades", "closed", "quoteVolume", "takerBuyVolume", "takerBuyQuoteVolume")) {
      c.add(b.getValue(f) == null ? "" : String.valueOf(b.getValue(f)));
    }
    return c;
  }

  private static List<String> top5(JsonObject b) {
    return List.of(String.valueOf(b.getLong("updateId")), side(b.getJsonArray("bids")), side(b.getJsonArray("asks")));
  }

  private static String side(JsonArray levels) {
    return IntStream.range(0, Math.min(5, levels.size())).mapToObj(i -> levels.getJsonArray(i).getString(0) + ":"
        + levels.getJsonArray(i).getString(1)).collect(Collectors.joining(";"));
  }
}
