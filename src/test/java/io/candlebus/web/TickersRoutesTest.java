package io.candlebus.web;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Gateway;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.candlebus.testing.HttpSession;
import io.candlebus.testing.SockJsClient;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.candlebus.testing.TestUsers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/tickers} (filters, sorts, 400s), {@code market.ticker} over the bridge, a trading-status change from
 * exchangeInfo, and carrying a market of the board ({@code POST /api/symbols}) up to {@code symbols.max}.
 */
@ExtendWith(VertxExtension.class)
class TickersRoutesTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static double count(Gateway g, String name) {
    return g.registry().find(name).counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count)
        .sum();
  }

  @Test
  void theBoardIsQueriedBridgedUpdatedFromExchangeInfoAndItsMarketsCarried(Vertx vertx, @TempDir Path dir) {
    String[] quotes = {"USDT", "BTC", "ETH"};
    List<String> symbols = IntStream.rangeClosed(1, 30)
        .mapToObj(i -> String.format("M%04d%s", i, quotes[i % 3])).toList();
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols(symbols.toArray(String[]::new))
        .withRate(1).withHistoryMinutes(30));
    await(vertx.deployVerticle(sim));
    String pg = TestPostgres.newDatabaseUrl();
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, pg, dir, Map.of("CANDLEBUS_TICKERS", "true",
        "CANDLEBUS_SYMBOLS", symbols.get(0), "CANDLEBUS_INTERVALS", "1m", "CANDLEBUS_HISTORY_LIMIT", "10",
        "CANDLEBUS_SYMBOLS_MAX", "2", "CANDLEBUS_EXCHANGE_INFO_REFRESH_MS", "1000",
        "CANDLEBUS_TICKERS_WINDOWS", "1h"))));
    TestUsers.create(vertx, pg, "alice");
    HttpSession alice = HttpSession.login("http://127.0.0.1:" + g.httpPort(), "alice", TestUsers.PASSWORD);
    Await.until(vertx, PATIENCE, "30 markets on the board", () -> Future.succeededFuture(
        alice.get("/api/tickers").headers().firstValue("X-Markets-Covered").orElse("").equals("30")));

    // bad parameters: 400 naming them
    for (String bad : List.of("quote=US-DT", "sort=price", "limit=0", "limit=x", "window=2h", "window=4h")) {
      HttpResponse<String> r = alice.get("/api/tickers?" + bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getString("error")).as(bad).contains(bad.substring(0, bad.indexOf('=')));
    }
    assertThat(new HttpSession("http://127.0.0.1:" + g.httpPort()).get("/api/tickers").statusCode())
        .isEqualTo(401);

    JsonArray btc = alice.getArray("/api/tickers?quote=BTC&sort=change&limit=5");
    assertThat(btc).hasSize(5);
    List<BigDecimal> changes = btc.stream().map(o -> new BigDecimal(((JsonObject) o).getString("changePercent")))
        .toList();
    assertThat(changes).isSortedAccordingTo((a, b) -> b.compareTo(a));
    assertThat(btc.stream().map(o -> ((JsonObject) o).getString("quoteAsset"))).containsOnly("BTC");
    JsonObject first = btc.getJsonObject(0);
    assertThat(new BigDecimal(first.getString("change")))
        .isEqualByComparingTo(new BigDecimal(first.getString("last")).subtract(new BigDecimal(first.getString("open"))));
    JsonArray bySymbol = alice.getArray("/api/tickers?sort=symbol");
    assertThat(bySymbol.stream().map(o -> ((JsonObject) o).getString("symbol")).toList())
        .isEqualTo(symbols.stream().sorted().toList());
    List<BigDecimal> volumes = alice.getArray("/api/tickers").stream()
        .map(o -> new BigDecimal(((JsonObject) o).getString("quoteVolume"))).toList();
    assertThat(volumes).isSortedAccordingTo((a, b) -> b.compareTo(a)); // by quote volume unless asked otherwise

    // the configured rolling window has its own board, from its stream only
    Await.until(vertx, PATIENCE, "markets on the 1h board", () -> Future.succeededFuture(
        alice.getArray("/api/tickers?window=1h").stream().anyMatch(o -> "1h".equals(((JsonObject) o)
            .getString("window")))));
    assertThat(alice.getArray("/api/tickers?window=24h")).hasSize(30);

    // bad frames on the ticker connection are counted and skipped; the board goes on
    double framesBefore = count(g, "candlebus_tickers_frames_total");
    int injected = await(sim.injectMalformed(30, 7));
    assertThat(injected).isPositive();
    Await.until(vertx, PATIENCE, "the bad frames counted", () -> Future.succeededFuture(
        count(g, "candlebus_tickers_malformed_total") >= 25));
    Await.until(vertx, PATIENCE, "good frames again", () -> Future.succeededFuture(
        count(g, "candlebus_tickers_frames_total") > framesBefore + 1));
    assertThat(alice.getArray("/api/tickers")).hasSize(30);

    // market.ticker reaches a browser; a market put on BREAK shows so there and on the route
    SockJsClient browser = await(SockJsClient.connect(vertx, g.httpPort(), alice.sessionCookie(),
        "http://localhost:" + g.httpPort(), 0));
    await(browser.register("market.ticker"));
    Await.until(vertx, PATIENCE, "a market.ticker message", () -> Future.succeededFuture(
        browser.received("rec").stream().anyMatch(m -> m.getJsonArray("body").size() > 0)));
    String halted = symbols.get(4);
    sim.setSymbolStatus(halted, "BREAK");
    Await.until(vertx, PATIENCE, halted + " on BREAK on the board", () -> Future.succeededFuture(
        alice.getArray("/api/tickers").stream().anyMatch(o -> ((JsonObject) o).getString("symbol").equals(halted)
            && "BREAK".equals(((JsonObject) o).getString("status")))));
    Await.until(vertx, PATIENCE, halted + " on BREAK over the bridge", () -> Future.succeededFuture(
        browser.received("rec").stream().flatMap(m -> m.getJsonArray("body").stream())
            .anyMatch(o -> ((JsonObject) o).getString("symbol").equals(halted)
                && "BREAK".equals(((JsonObject) o).getString("status")))));

    // carrying a market of the board: bad, unknown, added with history, and the limit
    assertThat(alice.postJson("/api/symbols", new JsonObject().put("symbol", "no way")).statusCode()).isEqualTo(400);
    assertThat(alice.postJson("/api/symbols", new JsonObject().put("symbol", "ZZZUSDT")).statusCode()).isEqualTo(404);
    assertThat(alice.get("/api/candles?symbol=" + symbols.get(2) + "&interval=1m").statusCode()).isEqualTo(404);
    HttpResponse<String> added = alice.postJson("/api/symbols", new JsonObject().put("symbol", symbols.get(2)));
    assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
    assertThat(new JsonObject(added.body()).getBoolean("added")).isTrue();
    Await.until(vertx, PATIENCE, "stored history of the carried market", () -> Future.succeededFuture(
        alice.getArray("/api/candles?symbol=" + symbols.get(2) + "&interval=1m").size() >= 10));
    assertThat(alice.getArray("/api/symbols").stream().map(o -> ((JsonObject) o).getString("symbol")))
        .contains(symbols.get(2));
    await(browser.register("market.trade." + symbols.get(2)));
    Await.until(vertx, PATIENCE, "trades of the carried market over the bridge", () -> Future.succeededFuture(
        browser.received("rec").stream().anyMatch(m -> m.getString("address").equals("market.trade."
            + symbols.get(2)))));
    assertThat(browser.received("err")).isEmpty();
    HttpResponse<String> full = alice.postJson("/api/symbols", new JsonObject().put("symbol", symbols.get(3)));
    assertThat(full.statusCode()).isEqualTo(409);
    assertThat(new JsonObject(full.body()).getString("error")).contains("symbols.max");
    await(browser.close());
    await(g.close());
  }
}
