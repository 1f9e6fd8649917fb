package io.candlebus.e2e;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Gateway;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.CutProxy;
import io.candlebus.testing.HttpSession;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.candlebus.testing.TestUsers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The all-market board in headless Chromium: it lists the simulator's markets, sorts them as the server does,
 * flashes live changes, and opening a market candlebus does not carry yet carries it and shows its candles with
 * their history. A gateway of its own, since carrying changes what the other page tests expect.
 */
class TickerBoardE2ETest {
  private static final List<String> MARKETS = List.of("BTCUSDT", "ETHUSDT", "BNBBTC", "SOLUSDT", "XRPETH",
      "ADAUSDT", "DOGEBTC", "LTCETH");
  @TempDir
  static Path dir;
  static Vertx vertx;
  static BinanceSimulator sim;
  static CutProxy proxy;
  static Gateway gateway;
  static String base;
  static Browser browser;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols(MARKETS.toArray(String[]::new))
        .withSpeed(60).withRate(1).withHistoryMinutes(180).withSeed(5));
    await(vertx.deployVerticle(sim));
    proxy = CutProxy.start(vertx);
    base = "http://localhost:" + proxy.port();
    String db = TestPostgres.newDatabaseUrl();
    gateway = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir, Map.of("CANDLEBUS_SYMBOLS", "BTCUSDT",
        "CANDLEBUS_INTERVALS", "1m", "CANDLEBUS_HISTORY_LIMIT", "60", "CANDLEBUS_PUBLIC_ORIGIN", base,
        "CANDLEBUS_TICKERS", "true"))));
    proxy.target(gateway.httpPort());
    TestUsers.create(vertx, db, "board");
    await(gateway.backfillDone());
    browser = new Browser();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    proxy.close();
    await(gateway.close().compose(v -> vertx.close()));
  }

  private List<String> shown() {
    return browser.js("return window.candlebus.boardShown()");
  }

  @Test
  void theBoardListsSortsAndOpensAnUncarriedMarketWithItsHistory() {
    TradingPage page = new TradingPage(browser, base);
    page.login("board", TestUsers.PASSWORD);
    browser.until("every market on the board", d -> shown().size() == MARKETS.size());
    assertThat(shown()).containsExactlyInAnyOrderElementsOf(MARKETS);

    HttpSession api = HttpSession.login(base, "board", TestUsers.PASSWORD);
    browser.byTestId("board-sort-symbol").click();
    browser.until("sorted by symbol", d -> shown().equals(MARKETS.stream().sorted().toList()));
    browser.byTestId("board-sort-change").click();
    browser.until("sorted by change, as the server sorts", d -> {
      List<String> server = api.getArray("/api/tickers?sort=change").stream()
          .map(o -> ((JsonObject) o).getString("symbol")).toList();
      return shown().equals(server);
    });
    // read in one script: the rows are redrawn every second
    List<String> shownChanges = browser.js("return [...document.querySelectorAll('[data-testid=board-rows] td.change')]"
        + ".map(td => td.textContent)");
    List<BigDecimal> changes = shownChanges.stream().map(t -> new BigDecimal(t.replace("%", ""))).toList();
    assertThat(changes).isSortedAccordingTo(Comparator.reverseOrder());

    new org.openqa.selenium.support.ui.Select(browser.byTestId("board-quote")).selectByValue("BTC");
    browser.until("only BTC markets", d -> java.util.Set.copyOf(shown()).equals(java.util.Set.of("BNBBTC", "DOGEBTC")));
    new org.openqa.selenium.support.ui.Select(browser.byTestId("board-quote")).selectByValue("");
    browser.byTestId("board-search").sendKeys("sol");
    browser.until("the search finds SOLUSDT", d -> shown().equals(List.of("SOLUSDT")));
    browser.until("a live change flashes", Duration.ofSeconds(30), d -> Boolean.TRUE.equals(
        browser.js("return document.querySelectorAll('[data-testid=board-rows] tr[data-flash]').length > 0")));

    // SOLUSDT is not carried: opening it carries it, and its chart shows its history from the backfill
    assertThat(api.get("/api/candles?symbol=SOLUSDT&interval=1m").statusCode()).isEqualTo(404);
    browser.js("document.querySelector('[data-testid=board-rows] tr[data-symbol=SOLUSDT] button').click()");
    browser.until("the chart of SOLUSDT with its history", Duration.ofSeconds(60), d -> Boolean.TRUE.equals(
        browser.js("return window.candlebus.symbol() === 'SOLUSDT' && window.candlebus.historyLoaded()"
            + " && window.candlebus.candles().length >= 30")));
    JsonArray stored = api.getArray("/api/candles?symbol=SOLUSDT&interval=1m&limit=1000");
    assertThat(stored.size()).isGreaterThanOrEqualTo(30);
    assertThat(page.candles().get(0).openTime()).isLessThanOrEqualTo(stored.getJsonObject(0).getLong("openTime"));
    assertThat(page.symbols().getOptions()).extracting(WebElement::getText).contains("SOLUSDT");
    assertThat(browser.currentUrl()).endsWith("#SOLUSDT/1m");
    browser.js("document.querySelector('[data-testid=board-search]').value = ''; "
        + "document.querySelector('[data-testid=board-search]').dispatchEvent(new Event('input'))");
    browser.until("the whole board again", d -> shown().size() == MARKETS.size());
    browser.js("document.querySelector('[data-testid=ticker-board]').scrollIntoView()");
    browser.screenshot(Path.of("target/board-screenshot.png"));
  }
}
