package io.candlebus.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.domain.Interval;
import io.candlebus.domain.Trade;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** REST shapes, Binance's window rules, parameter errors and request weight, over real HTTP. */
@ExtendWith(VertxExtension.class)
class RestApiTest {
  private static final long START = 1_704_067_200_000L;  // 2024-01-01T00:00Z
  private BinanceSimulator sim;
  private SimClient client;

  @BeforeEach
  void start(Vertx vertx) {
    sim = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols("BTCUSDT", "ETHUSDT").withRate(1)
        .withSeed(5).withStartTime(START).withSpeed(1e-6).withHistoryMinutes(30));  // a frozen clock: no race
    client = new SimClient(vertx, sim.port());
  }

  @Test
  void badParametersGetBinanceErrors() {
    assertError("/api/v3/klines?interval=1m", -1102,
        "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
    assertError("/api/v3/klines?symbol=&interval=1m", -1102,
        "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
    assertError("/api/v3/klines?symbol=BTCUSDT", -1102,
        "Mandatory parameter 'interval' was not sent, was empty/null, or malformed.");
    assertError("/api/v3/klines?symbol=NOPEUSDT&interval=1m", -1121, "Invalid symbol.");
    assertError("/api/v3/klines?symbol=btcusdt&interval=1m", -1121, "Invalid symbol.");
    assertError("/api/v3/klines?symbol=BTCUSDT&interval=1x", -1120, "Invalid interval.");
    assertError("/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=ten", -1100,
        "Illegal characters found in parameter 'limit'; legal range is '^[0-9]{1,20}$'.");
    assertError("/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=-5", -1100,
        "Illegal characters found in parameter 'startTime'; legal range is '^[0-9]{1,20}$'.");
    assertError("/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=0", -1130,
        "Data sent for parameter 'limit' is not valid.");
    assertError("/api/v3/aggTrades?symbol=BTCUSDT&fromId=1&startTime=1", -1128,
        "Combination of optional parameters invalid.");
    assertError("/api/v3/ticker/price?symbol=XUSDT", -1121, "Invalid symbol.");
    assertError("/api/v3/exchangeInfo?symbols=%5B%22BTCUSDT%22,%22NOPE%22%5D", -1121, "Invalid symbol.");
  }

  @Test
  void everyAnswerCarriesTheUsedWeight() {
    int w0 = client.get("/api/v3/ping").weight();
    assertThat(client.get("/api/v3/time").weight()).isEqualTo(w0 + 1);
    assertThat(client.get("/api/v3/klines?symbol=BTCUSDT&interval=1m").weight()).isEqualTo(w0 + 3);
    assertThat(client.get("/api/v3/aggTrades?symbol=BTCUSDT").weight()).isEqualTo(w0 + 7);
    assertThat(client.get("/api/v3/ticker/price?symbol=BTCUSDT").weight()).isEqualTo(w0 + 9);
    assertThat(client.get("/api/v3/ticker/price").weight()).isEqualTo(w0 + 13);
    assertThat(client.get("/api/v3/exchangeInfo").weight()).isEqualTo(w0 + 33);
    SimClient.Response bad = client.get("/api/v3/klines?symbol=NOPE&interval=1m");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.weight()).isEqualTo(w0 + 35);
    assertThat(client.get("/no/such/path").weight()).isEqualTo(w0 + 36);
  }

  @Test
  void overTheWeightLimitAnswers429WithRetryAfter(Vertx vertx) {
    BinanceSimulator small = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols("BTCUSDT")
        .withStartTime(START).withHistoryMinutes(1).withRequestWeightLimit(30));
    SimClient c = new SimClient(vertx, small.port());
    SimClient.Response info = c.get("/api/v3/exchangeInfo");
    assertThat(info.status()).isEqualTo(200);
    assertThat(new JsonObject(info.body()).getJsonArray("rateLimits").getJsonObject(0).getInteger("limit"))
        .isEqualTo(30);
    assertThat(c.get("/api/v3/klines?symbol=BTCUSDT&interval=1m").weight()).isEqualTo(22);
    SimClient.Response refused = c.get("/api/v3/exchangeInfo");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.weight()).isEqualTo(22);
    assertThat(Integer.parseInt(refused.headers().get("Retry-After"))).isBetween(1, 60);
    JsonObject body = new JsonObject(refused.body());
    assertThat(body.getInteger("code")).isEqualTo(-1003);
    assertThat(body.getString("msg")).contains("current limit is 30 request weight per 1 MINUTE");
    // a refused request costs nothing; coming back before Retry-After is Binance's 418 ban, also free
    SimClient.Response early = c.get("/api/v3/ping");
    assertThat(early.status()).isEqualTo(418);
    assertThat(early.weight()).isEqualTo(22);
    assertThat(small.stats().restViolations()).isEqualTo(1);
  }

  @Test
  void klineWindowsFollowBinanceRules() {
    long now = sim.now();
    long firstOpen = Interval.M1.openTime(sim.history("BTCUSDT").firstTradeTime());
    JsonArray all = klines("");
    assertThat(all.getJsonArray(0).getLong(0)).isEqualTo(firstOpen);
    assertThat(all.getJsonArray(all.size() - 1).getLong(0)).isGreaterThanOrEqualTo(Interval.M1.openTime(now));
    assertThat(all.size()).isBetween(30, 32);
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.getJsonArray(i).getLong(0)).isEqualTo(all.getJsonArray(i - 1).getLong(0) + 60_000);
      assertThat(all.getJsonArray(i).getLong(6)).isEqualTo(all.getJsonArray(i).getLong(0) + 59_999);
      assertThat(all.getJsonArray(i)).hasSize(12);
    }
    long t5 = all.getJsonArray(5).getLong(0);
    assertThat(klines("&limit=3")).isEqualTo(new JsonArray(all.getList().subList(all.size() - 3, all.size())));
    assertThat(klines("&startTime=" + t5 + "&limit=2")).isEqualTo(slice(all, 5, 7));
    assertThat(klines("&startTime=" + (t5 - 1) + "&limit=2")).isEqualTo(slice(all, 5, 7));
    assertThat(klines("&startTime=" + (t5 + 1) + "&limit=2")).isEqualTo(slice(all, 6, 8));
    assertThat(klines("&endTime=" + t5 + "&limit=2")).isEqualTo(slice(all, 4, 6));
    assertThat(klines("&endTime=" + (t5 + 59_999) + "&limit=2")).isEqualTo(slice(all, 4, 6));
    assertThat(klines("&startTime=" + t5 + "&endTime=" + (t5 + 120_000))).isEqualTo(slice(all, 5, 8));
    assertThat(klines("&startTime=0&limit=1")).isEqualTo(slice(all, 0, 1));
    assertThat(klines("&endTime=" + (firstOpen - 1))).isEmpty();
    assertThat(klines("&startTime=" + t5 + "000&limit=1")).as("µs timestamps").isEqualTo(slice(all, 5, 6));
    assertThat(new JsonArray(client.get("/api/v3/klines?symbol=BTCUSDT&interval=1h").body()).getJsonArray(0)
        .getLong(0)).isEqualTo(Interval.H1.openTime(firstOpen));
  }

  @Test
  void aggTradesByIdAndTime() {
    List<Trade> trades = sim.history("BTCUSDT").between(0, START);
    Trade t = trades.get(20);
    JsonArray fromId = aggTrades("&fromId=" + t.aggId() + "&limit=3");
    assertThat(fromId).hasSize(3);
    assertThat(fromId.getJsonObject(0).getLong("a")).isEqualTo(t.aggId());
    assertThat(fromId.getJsonObject(0).getString("p")).isEqualTo(BinanceJson.dec8(t.price()));
    assertThat(fromId.getJsonObject(0).getString("q")).isEqualTo(BinanceJson.dec8(t.qty()));
    assertThat(fromId.getJsonObject(0).getLong("f")).isEqualTo(t.firstTradeId());
    assertThat(fromId.getJsonObject(0).getLong("l")).isEqualTo(t.lastTradeId());
    assertThat(fromId.getJsonObject(0).getLong("T")).isEqualTo(t.time());
    assertThat(fromId.getJsonObject(0).getBoolean("m")).isEqualTo(t.buyerMaker());
    assertThat(fromId.getJsonObject(2).getLong("a")).isEqualTo(t.aggId() + 2);
    JsonArray byTime = aggTrades("&startTime=" + t.time() + "&endTime=" + trades.get(30).time());
    assertThat(byTime.getJsonObject(0).getLong("T")).isEqualTo(t.time());
    assertThat(byTime.getJsonObject(byTime.size() - 1).getLong("T")).isEqualTo(trades.get(30).time());
    JsonArray upTo = aggTrades("&endTime=" + t.time() + "&limit=5");
    assertThat(upTo).hasSize(5);
    assertThat(upTo.getJsonObject(4).getLong("T")).isEqualTo(t.time());
    JsonArray latest = aggTrades("&limit=1");
    assertThat(latest.getJsonObject(0).getLong("a")).isGreaterThanOrEqualTo(trades.get(trades.size() - 1).aggId());
    assertThat(aggTrades("&fromId=" + (sim.history("BTCUSDT").lastAggId() + 1000))).isEmpty();
  }

  @Test
  void tickerPriceIsTheLastTrade() {
    JsonObject one = new JsonObject(client.get("/api/v3/ticker/price?symbol=ETHUSDT").body());
    assertThat(one.getString("symbol")).isEqualTo("ETHUSDT");
    assertThat(one.getString("price")).matches("\\d+\\.\\d{8}");
    JsonArray all = new JsonArray(client.get("/api/v3/ticker/price").body());
    assertThat(all).hasSize(2);
    JsonArray some = new JsonArray(client.get("/api/v3/ticker/price?symbols=[%22BTCUSDT%22]").body());
    assertThat(some.getJsonObject(0).getString("symbol")).isEqualTo("BTCUSDT");
    assertThat(new JsonObject(client.get("/api/v3/time").body()).getLong("serverTime"))
        .isBetween(START, sim.now());
    assertThat(client.get("/api/v3/ping").body()).isEqualTo("{}");
  }

  @Test
  void recordedExchangeInfoWithTheSimulatedSymbolsAdded(Vertx vertx) {
    Path file = Path.of(System.getProperty("candlebus.shared", "../shared"))
        .resolve("data/binance-real/cryptofeed_binance_2021-10-12/BINANCE.0");
    BinanceSimulator real = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols("BTCUSDT", "SIMUSDT")
        .withStartTime(START).withHistoryMinutes(1).withExchangeInfoFile(file));
    SimClient c = new SimClient(vertx, real.port());
    JsonObject info = new JsonObject(c.get("/api/v3/exchangeInfo").body());
    assertThat(info.getLong("serverTime")).isBetween(START, real.now());
    JsonArray symbols = info.getJsonArray("symbols");
    assertThat(symbols.size()).isEqualTo(1696);
    assertThat(symbols.stream().map(o -> ((JsonObject) o).getString("symbol"))).contains("ETHBTC", "SIMUSDT");
    assertThat(info.getJsonArray("rateLimits").getJsonObject(0).getInteger("limit")).isEqualTo(6000);
    JsonObject eth = new JsonObject(c.get("/api/v3/exchangeInfo?symbol=ETHBTC").body());
    assertThat(eth.getJsonArray("symbols")).hasSize(1);
    assertThat(eth.getJsonArray("symbols").getJsonObject(0).getString("quoteAsset")).isEqualTo("BTC");
  }

  private JsonArray klines(String extra) {
    return new JsonArray(client.get("/api/v3/klines?symbol=BTCUSDT&interval=1m" + extra).body());
  }

  private JsonArray aggTrades(String extra) {
    return new JsonArray(client.get("/api/v3/aggTrades?symbol=BTCUSDT" + extra).body());
  }

  private static JsonArray slice(JsonArray a, int from, int to) {
    return new JsonArray(a.getList().subList(from, to));
  }

  private void assertError(String uri, int code, String msg) {
    SimClient.Response r = client.get(uri);
    assertThat(r.status()).as(uri).isEqualTo(400);
    assertThat(new JsonObject(r.body())).as(uri).isEqualTo(new JsonObject().put("code", code).put("msg", msg));
  }
}
