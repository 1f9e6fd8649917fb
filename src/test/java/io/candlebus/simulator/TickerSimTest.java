package io.candlebus.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The all-market tickers over real sockets: {@code !miniTicker@arr} frames hold only the symbols that changed and
 * equal REST {@code /api/v3/ticker/24hr} at the same simulated time; REST equals a computation from aggTrades;
 * weights, shapes and errors are Binance's.
 */
@ExtendWith(VertxExtension.class)
class TickerSimTest {
  private static final long START = 1_704_067_200_000L;  // 2024-01-01T00:00Z
  private static final long DAY = 86_400_000L;

  @Test
  void framesHoldOnlyTheSymbolsThatChangedSinceTheLastFrame(Vertx vertx) throws Exception {
    List<String> symbols = IntStream.rangeClosed(1, 30).mapToObj(i -> String.format("S%02dUSDT", i)).toList();
    // 0.5 trades/s: in a second about 40 % of the symbols trade, and the rest must not be in the frame
    BinanceSimulator sim = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols(symbols).withRate(0.5)
        .withSeed(9).withStartTime(START).withHistoryMinutes(5));
    SimClient client = new SimClient(vertx, sim.port());
    SimClient.Ws ws = client.connect("/ws/!miniTicker@arr");
    long previousE = -1;
    int checked = 0;
    int partial = 0;
    while (checked < 4) {
      JsonArray frame = new JsonArray(ws.next());
      long e = frame.getJsonObject(0).getLong("E");
      Set<String> inFrame = new LinkedHashSet<>();
      for (Object o : frame) {
        JsonObject item = (JsonObject) o;
        assertThat(item.getString("e")).isEqualTo("24hrMiniTicker");
        assertThat(item.getLong("E")).as("one E per frame").isEqualTo(e);
        assertThat(inFrame.add(item.getString("s"))).as("a symbol once").isTrue();
        TickerStats want = TickerStatsTest.expected(sim.history(item.getString("s")), e, DAY);
        assertThat(item).as(item.getString("s") + " at " + e).isEqualTo(want.miniTickerEvent());
      }
      assertThat(new ArrayList<>(inFrame)).as("in symbol order").isSorted();
      if (previousE >= 0) {
        // the history is shorter than 24 h: the window changed exactly when a trade came in
        long from = previousE;
        Set<String> traded = new TreeSet<>();
        symbols.forEach(s -> {
          if (!sim.history(s).between(from + 1, e).isEmpty()) {
            traded.add(s);
          }
        });
        assertThat(inFrame).as("frame at " + e + " after " + previousE).containsExactlyInAnyOrderElementsOf(traded);
        checked++;
        partial += inFrame.size() < symbols.size() ? 1 : 0;
      }
      previousE = e;
    }
    assertThat(partial).as("frames leave out symbols that did not change").isEqualTo(checked);
  }

  @Test
  void streamAndRestAgreeAtTheSameSimulatedTime(Vertx vertx) throws Exception {
    // a simulated ms per real second and 2 trades per simulated ms: every frame has news, and a REST call made
    // right after a frame usually lands in the frame's very ms
    BinanceSimulator sim = SimClient.deploy(vertx, SimulatorOptions.defaults()
        .withSymbols("BTCUSDT", "ETHUSDT", "SOLUSDT").withRate(2_000).withSeed(4).withStartTime(START)
        .withSpeed(0.001).withHistoryMinutes(1));
    SimClient client = new SimClient(vertx, sim.port());
    SimClient.Ws ws = client.connect("/stream?streams=!miniTicker@arr");
    boolean mini = false;
    boolean full = false;
    int frames = 0;
    while (!(mini && full)) {
      assertThat(frames++).as("a REST answer in a frame's ms").isLessThan(15);
      JsonObject wrapped = new JsonObject(ws.next());
      assertThat(wrapped.getString("stream")).isEqualTo("!miniTicker@arr");
      JsonArray frame = wrapped.getJsonArray("data");
      long e = frame.getJsonObject(0).getLong("E");
      Map<String, JsonObject> rest = bySymbol(client.get(mini ? "/api/v3/ticker/24hr"
          : "/api/v3/ticker/24hr?type=MINI").body());
      assertThat(rest).hasSize(3);
      long closeTime = rest.get("BTCUSDT").getLong("closeTime");
      assertThat(closeTime).isGreaterThanOrEqualTo(e);
      if (closeTime != e) {
        continue;
      }
      for (Object o : frame) {
        JsonObject item = (JsonObject) o;
        JsonObject r = rest.get(item.getString("s"));
        assertThat(r.getLong("closeTime")).isEqualTo(item.getLong("E"));
        assertThat(r.getLong("openTime")).isEqualTo(item.getLong("E") - DAY);
        assertThat(List.of(r.getString("lastPrice"), r.getString("openPrice"), r.getString("highPrice"),
            r.getString("lowPrice"), r.getString("volume"), r.getString("quoteVolume")))
            .as(item.getString("s") + " at " + e)
            .containsExactly(item.getString("c"), item.getString("o"), item.getString("h"), item.getString("l"),
                item.getString("v"), item.getString("q"));
      }
      if (mini) {
        full = true;
      }
      mini = true;
    }
  }

  @Test
  void subscribeAndEncodedPathsAndRollingWindowsStreamToo(Vertx vertx) throws Exception {
    // 2 trades/s for 70 minutes: the 1 h window drops trades at its back as new ones come in
    BinanceSimulator sim = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols("BTCUSDT", "ETHUSDT")
        .withRate(2).withSeed(4).withStartTime(START).withHistoryMinutes(70));
    SimClient client = new SimClient(vertx, sim.port());
    SimClient.Ws subscribed = client.connect("/ws");
    subscribed.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"!miniTicker@arr\",\"!ticker_1h@arr\","
        + "\"!ticker_4h@arr\",\"!ticker_1d@arr\"],\"id\":1}");
    assertThat(new JsonObject(subscribed.next())).isEqualTo(new JsonObject("{\"result\":null,\"id\":1}"));
    SimClient.Ws encoded = client.connect("/ws/%21miniTicker%40arr");
    Set<String> kinds = new TreeSet<>();
    Map<String, Long> widths = Map.of("1hTicker", 3_600_000L, "4hTicker", 4 * 3_600_000L, "1dTicker", DAY);
    while (kinds.size() < 4) {
      JsonArray frame = new JsonArray(subscribed.next());
      JsonObject item = frame.getJsonObject(0);
      String type = item.getString("e");
      kinds.add(type);
      if (widths.containsKey(type)) {
        long e = item.getLong("E");
        long width = widths.get(type);
        assertThat(item.getLong("O")).isEqualTo(e - width);
        assertThat(item.getLong("C")).isEqualTo(e);
        for (Object o : frame) {
          JsonObject it = (JsonObject) o;
          TickerStats want = TickerStatsTest.expected(sim.history(it.getString("s")), e, width);
          assertThat(it).as(type).isEqualTo(want.rollingTickerEvent(type));
          // 70 minutes of history: only the 1 h window has dropped trades at its back
          assertThat(want.prevClose().signum() > 0).as(type).isEqualTo(type.equals("1hTicker"));
        }
      }
    }
    assertThat(kinds).containsExactly("1dTicker", "1hTicker", "24hrMiniTicker", "4hTicker");
    assertThat(new JsonArray(encoded.next()).getJsonObject(0).getString("e")).isEqualTo("24hrMiniTicker");
    assertThat(sim.subscriptions()).contains("!miniTicker@arr", "!ticker_1h@arr");
  }

  @Test
  void restTickerIsTheStatisticsOfTheAggTradesInItsWindow(Vertx vertx) {
    BinanceSimulator sim = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols("BTCUSDT", "ETHUSDT")
        .withRate(1).withSeed(5).withStartTime(START).withSpeed(1e-6).withHistoryMinutes(30));  // frozen clock
    SimClient client = new SimClient(vertx, sim.port());
    JsonObject t = new JsonObject(client.get("/api/v3/ticker/24hr?symbol=BTCUSDT").body());
    long close = t.getLong("closeTime");
    assertThat(close).isEqualTo(START);
    assertThat(t.getLong("openTime")).isEqualTo(close - DAY);

    List<JsonObject> trades = new ArrayList<>();
    for (long from = t.getLong("firstId"); ; ) {
      JsonArray page = new JsonArray(client.get("/api/v3/aggTrades?symbol=BTCUSDT&fromId=" + from + "&limit=1000")
          .body());
      page.forEach(o -> trades.add((JsonObject) o));
      if (page.size() < 1000) {
        break;
      }
      from = page.getJsonObject(999).getLong("a") + 1;
    }
    trades.removeIf(a -> a.getLong("T") <= close - DAY || a.getLong("T") > close);
    assertThat(trades.get(0).getLong("a")).isEqualTo(t.getLong("firstId"));
    assertThat(trades.get(trades.size() - 1).getLong("a")).isEqualTo(t.getLong("lastId"));
    assertThat(t.getLong("count")).isEqualTo(trades.size()).isGreaterThan(1_500);

    BigDecimal open = new BigDecimal(trades.get(0).getString("p"));
    BigDecimal last = new BigDecimal(trades.get(trades.size() - 1).getString("p"));
    BigDecimal high = open;
    BigDecimal low = open;
    BigDecimal volume = BigDecimal.ZERO;
    BigDecimal quote = BigDecimal.ZERO;
    for (JsonObject a : trades) {
      BigDecimal p = new BigDecimal(a.getString("p"));
      BigDecimal q = new BigDecimal(a.getString("q"));
      high = high.max(p);
      low = low.min(p);
      volume = volume.add(q);
      quote = quote.add(p.multiply(q));
    }
    Map<String, String> want = new HashMap<>();
    want.put("openPrice", BinanceJson.dec8(open));
    want.put("highPrice", BinanceJson.dec8(high));
    want.put("lowPrice", BinanceJson.dec8(low));
    want.put("lastPrice", BinanceJson.dec8(last));
    want.put("lastQty", trades.get(trades.size() - 1).getString("q"));
    want.put("volume", BinanceJson.dec8(volume));
    want.put("quoteVolume", BinanceJson.dec8(quote));
    want.put("priceChange", BinanceJson.dec8(last.subtract(open)));
    want.put("priceChangePercent", last.subtract(open).multiply(BigDecimal.valueOf(100))
        .divide(open, 3, RoundingMode.HALF_UP).toPlainString());
    want.put("weightedAvgPrice", BinanceJson.dec8(quote.divide(volume, 8, RoundingMode.DOWN)));
    want.put("prevClosePrice", "0.00000000");  // the history starts inside the window
    // nobody looked at the book: bid and ask are the last price, quantity 0
    want.put("bidPrice", BinanceJson.dec8(last));
    want.put("askPrice", BinanceJson.dec8(last));
    want.put("bidQty", "0.00000000");
    want.put("askQty", "0.00000000");
    want.forEach((k, v) -> assertThat(t.getString(k)).as(k).isEqualTo(v));

    JsonObject mini = new JsonObject(client.get("/api/v3/ticker/24hr?symbol=BTCUSDT&type=MINI").body());
    assertThat(mini.fieldNames()).containsExactly("symbol", "openPrice", "highPrice", "lowPrice", "lastPrice",
        "volume", "quoteVolume", "openTime", "closeTime", "firstId", "lastId", "count");
    mini.fieldNames().forEach(k -> assertThat(mini.getValue(k)).as(k).isEqualTo(t.getValue(k)));

    // once the book is live, bid and ask are its best levels
    client.get("/api/v3/depth?symbol=BTCUSDT&limit=5");
    JsonObject withBook = new JsonObject(client.get("/api/v3/ticker/24hr?symbol=BTCUSDT").body());
    assertThat(new BigDecimal(withBook.getString("bidPrice"))).isLessThan(new BigDecimal(withBook
        .getString("askPrice")));
    assertThat(new BigDecimal(withBook.getString("bidQty")).signum()).isPositive();
    assertThat(new BigDecimal(withBook.getString("askQty")).signum()).isPositive();
  }

  @Test
  void weightsShapesAndErrorsAreBinances(Vertx vertx) {
    List<String> symbols = IntStream.rangeClosed(1, 120).mapToObj(i -> String.format("W%03dUSDT", i)).toList();
    BinanceSimulator sim = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols(symbols).withRate(0.1)
        .withStartTime(START).withSpeed(1e-6).withHistoryMinutes(5));
    SimClient client = new SimClient(vertx, sim.port());
    int w = client.get("/api/v3/ping").weight();
    record Call(String uri, int weight, int entries) {}
    List<Call> calls = List.of(
        new Call("/api/v3/ticker/24hr?symbol=W001USDT", 2, -1),
        new Call("/api/v3/ticker/24hr?symbols=" + list(symbols, 1), 2, 1),
        new Call("/api/v3/ticker/24hr?symbols=" + list(symbols, 20), 2, 20),
        new Call("/api/v3/ticker/24hr?symbols=" + list(symbols, 21), 40, 21),
        new Call("/api/v3/ticker/24hr?symbols=" + list(symbols, 100) + "&type=MINI", 40, 100),
        new Call("/api/v3/ticker/24hr?symbols=" + list(symbols, 101), 80, 101),
        new Call("/api/v3/ticker/24hr", 80, 120),
        new Call("/api/v3/ticker/24hr?type=MINI", 80, 120));
    for (Call c : calls) {
      SimClient.Response r = client.get(c.uri());
      assertThat(r.status()).as(c.uri()).isEqualTo(200);
      assertThat(r.weight() - w).as("weight of " + c.uri()).isEqualTo(c.weight());
      w = r.weight();
      if (c.entries() >= 0) {
        JsonArray a = new JsonArray(r.body());
        assertThat(a).hasSize(c.entries());
        assertThat(a.getJsonObject(0).getString("symbol")).isEqualTo("W001USDT");
        assertThat(a.getJsonObject(0).size()).isEqualTo(c.uri().contains("MINI") ? 12 : 21);
      }
    }
    assertThat(sim.stats().maxWeightUsed()).isEqualTo(w);
    assertThat(sim.tickerSnapshotCalls()).isEqualTo(2);
    assertThat(sim.tickerSymbolCalls()).isEqualTo(6);

    assertError(client, "/api/v3/ticker/24hr?symbol=NOPEUSDT", -1121, "Invalid symbol.");
    assertError(client, "/api/v3/ticker/24hr?symbol=w001usdt", -1121, "Invalid symbol.");
    assertError(client, "/api/v3/ticker/24hr?symbols=%5B%22W001USDT%22,%22NOPE%22%5D", -1121, "Invalid symbol.");
    assertError(client, "/api/v3/ticker/24hr?symbol=", -1102,
        "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
    assertError(client, "/api/v3/ticker/24hr?symbol=W001USDT&symbols=%5B%22W001USDT%22%5D", -1128,
        "Combination of optional parameters invalid.");
    assertError(client, "/api/v3/ticker/24hr?type=HUGE", -1130, "Data sent for parameter 'type' is not valid.");
  }

  private static String list(List<String> symbols, int n) {
    return "%5B" + String.join(",", symbols.subList(0, n).stream().map(s -> "%22" + s + "%22").toList()) + "%5D";
  }

  private static Map<String, JsonObject> bySymbol(String body) {
    Map<String, JsonObject> out = new HashMap<>();
    new JsonArray(body).forEach(o -> out.put(((JsonObject) o).getString("symbol"), (JsonObject) o));
    return out;
  }

  private static void assertError(SimClient client, String uri, int code, String msg) {
    SimClient.Response r = client.get(uri);
    assertThat(r.status()).as(uri).isEqualTo(400);
    assertThat(new JsonObject(r.body())).as(uri).isEqualTo(new JsonObject().put("code", code).put("msg", msg));
  }
}
