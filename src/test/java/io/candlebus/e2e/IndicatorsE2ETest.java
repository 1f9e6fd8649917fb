package io.candlebus.e2e;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Gateway;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.HttpSession;
import io.candlebus.testing.Ports;
import io.candlebus.testing.RsiLevels;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.candlebus.testing.TestUsers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.Select;

/**
 * Indicators in headless Chromium, on a simulator running a minute per 2 s: enabling RSI adds a pane whose values
 * are /api/indicators' exactly; the chosen symbol, interval and indicators come back after a reload and in a
 * second browser of the same user (a fresh profile: only the server could have kept them); an RSI alert set in the
 * page fires once per crossing, with a note and a beep, each firing the crossing /api/indicators shows.
 */
class IndicatorsE2ETest {
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  @TempDir
  static Path dir;
  static Vertx vertx;
  static Gateway gateway;
  static String base;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT", "ETHUSDT")
        .withSpeed(30).withRate(4).withHistoryMinutes(600).withSeed(12));
    await(vertx.deployVerticle(sim));
    String db = TestPostgres.newDatabaseUrl();
    int port = Ports.free();
    base = "http://localhost:" + port; // the browser's origin: the one candlebus must allow
    gateway = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir, Map.of("CANDLEBUS_INTERVALS", "1m,5m",
        "CANDLEBUS_HISTORY_LIMIT", "600", "CANDLEBUS_HTTP_PORT", String.valueOf(port),
        "CANDLEBUS_PUBLIC_ORIGIN", base))));
    TestUsers.create(vertx, db, "trader");
    await(gateway.backfillDone());
  }

  @AfterAll
  static void stop() {
    await(gateway.close().compose(v -> vertx.close()));
  }

  @Test
  void rsiPaneEqualsTheApiSettingsFollowTheUserAndAnRsiAlertFiresOncePerCrossing() {
    HttpSession api = HttpSession.login(base, "trader", TestUsers.PASSWORD);
    try (Browser first = new Browser()) {
      TradingPage page = new TradingPage(first, base);
      page.login("trader", TestUsers.PASSWORD);
      new Select(first.byTestId("symbol-select")).selectByValue("ETHUSDT");
      first.until("ETHUSDT shown", d -> "ETHUSDT".equals(first.js("return window.candlebus.symbol()")));
      page.waitLoaded();

      first.byTestId("indicator-rsi").click();
      first.until("an RSI pane of its own with its history", d -> {
        Map<String, Object> drawn = first.js("return window.candlebus.indicatorDrawn('rsi:14')");
        return drawn != null && ((Number) drawn.get("pane")).intValue() == 2
            && ((Number) drawn.get("panes")).intValue() == 3 && ((Number) drawn.get("points")).intValue() > 400;
      });
      assertPaneEqualsApi(first, api, "ETHUSDT", "rsi:14", "name=rsi&period=14", "value");

      first.byTestId("indicator-sma-params").clear();
      first.byTestId("indicator-sma-params").sendKeys("10");
      first.byTestId("indicator-sma").click();
      first.until("SMA(10) on the price pane", d -> {
        Map<String, Object> drawn = first.js("return window.candlebus.indicatorDrawn('sma:10')");
        return drawn != null && ((Number) drawn.get("pane")).intValue() == 0
            && ((Number) drawn.get("points")).intValue() > 400;
      });
      assertPaneEqualsApi(first, api, "ETHUSDT", "sma:10", "name=sma&period=10", "value");
      JsonObject saved = new JsonObject().put("symbol", "ETHUSDT").put("interval", "1m").put("indicators",
          new JsonArray().add(new JsonObject().put("name", "sma").put("period", 10))
              .add(new JsonObject().put("name", "rsi").put("period", 14)));
      first.until("the settings saved on the server", d -> new JsonObject(api.get("/api/settings").body())
          .equals(saved));

      // a reload without the address's #ETHUSDT/1m: the settings say what to show
      first.open(base + "/");
      page.waitLoaded();
      first.until("the RSI pane back after a reload", d -> first.js(
          "return window.candlebus.indicatorDrawn('rsi:14')?.points > 400"));
      assertThat((String) first.js("return window.candlebus.symbol()")).isEqualTo("ETHUSDT");
      assertThat((Boolean) first.js("return document.querySelector('[data-testid=indicator-rsi]').checked")).isTrue();

      // a second browser of the same user (a fresh profile, nothing in localStorage): the same settings
      try (Browser second = new Browser()) {
        TradingPage other = new TradingPage(second, base);
        other.login("trader", TestUsers.PASSWORD);
        assertThat((String) second.js("return window.candlebus.symbol()")).isEqualTo("ETHUSDT");
        assertThat((String) second.js("return window.candlebus.interval()")).isEqualTo("1m");
        second.until("RSI and SMA drawn in the second session", d -> ((List<?>) second.js(
            "return window.candlebus.indicatorKeys()")).size() == 2);
        assertThat((List<String>) second.js("return window.candlebus.indicatorKeys()"))
            .containsExactlyInAnyOrder("sma:10", "rsi:14");
        assertThat((String) second.js("return document.querySelector('[data-testid=indicator-sma-params]').value"))
            .isEqualTo("10");

        // an RSI alert at a level RSI crosses often, both ways: the median of its recent values
        // RSI(2) swings across its recent median every few candles (RSI(14) can stay on one side for dozens): the
        // trader switches the pane to RSI(2), and the alert box follows the RSI drawn
        second.byTestId("indicator-rsi-params").clear();
        second.byTestId("indicator-rsi-params").sendKeys("2\t");
        second.until("RSI(2) drawn", d -> ((List<?>) second.js("return window.candlebus.indicatorKeys()"))
            .contains("rsi:2"));
        second.until("the alert box on RSI(2)", d -> second.byTestId("rsi-alert-box").getText().contains("RSI(2)"));
        BigDecimal level = RsiLevels.recentMedian(api, "ETHUSDT", 2);
        second.byTestId("rsi-above").clear();
        second.byTestId("rsi-above").sendKeys(level.toPlainString());
        second.byTestId("rsi-below").clear();
        second.byTestId("rsi-below").sendKeys(level.toPlainString());
        long beepsBefore = ((Number) second.js("return window.candlebus.beeps()")).longValue();
        second.byTestId("rsi-set").click();
        second.until("the alert listed", d -> "true".equals(second.byTestId("rsi-alert-box").getDomAttribute(
            "data-set")));
        second.until("an RSI firing", PATIENCE, d -> firings(second).size() >= 1);
        List<Map<String, Object>> fired = firings(second);
        long last = ((Number) fired.get(fired.size() - 1).get("time")).longValue();
        // once per crossing: the candles after it closed, nothing fired twice
        second.until("two more candles closed", PATIENCE, d -> other.lastCandle().openTime() > last + 120_000);
        fired = firings(second);
        Set<String> once = new HashSet<>();
        for (Map<String, Object> f : fired) {
          assertThat(once.add(f.get("time") + " " + f.get("direction"))).as("fired twice: " + f).isTrue();
          assertCrossing(api, f, level);
        }
        assertThat(((Number) second.js("return window.candlebus.beeps()")).longValue() - beepsBefore)
            .isGreaterThanOrEqualTo(fired.size());
        assertThat((String) second.js("return [...document.querySelectorAll('.toast')].map(t => t.textContent)"
            + ".join('\\n')")).contains("ETHUSDT RSI(2) 1m crossed");
        // the first browser is the same user: it heard the same firings, each once
        first.until("the first browser heard them too", d -> firings(first).size() >= 1);
      }
    }
  }

  /** Every closed candle's value the page drew equals the API's, to the last digit. */
  private static void assertPaneEqualsApi(Browser b, HttpSession api, String symbol, String key, String query,
      String field) {
    JsonArray expected = api.getArray("/api/indicators?symbol=" + symbol + "&interval=1m&limit=500&" + query);
    List<Map<String, Object>> shown = b.js("return window.candlebus.indicatorValues(arguments[0])", key);
    Map<Long, Object> byTime = new HashMap<>();
    shown.forEach(p -> byTime.put(((Number) p.get("time")).longValue(), p.get(field)));
    int compared = 0;
    for (int i = 0; i < expected.size() - 2; i++) { // the newest two may still change
      JsonObject p = expected.getJsonObject(i);
      assertThat(byTime).as(key + " at " + p.getLong("time")).containsEntry(p.getLong("time"), p.getString(field));
      compared++;
    }
    assertThat(compared).isGreaterThan(400);
  }

  /** The firing is the crossing of the level that /api/indicators shows between its candle and the one before. */
  private static void assertCrossing(HttpSession api, Map<String, Object> f, BigDecimal level) {
    long time = ((Number) f.get("time")).longValue();
    JsonArray two = api.getArray("/api/indicators?symbol=ETHUSDT&interval=1m&name=rsi&period=2&startTime="
        + (time - 60_000) + "&endTime=" + time);
    assertThat(two).hasSize(2);
    BigDecimal previous = new BigDecimal(two.getJsonObject(0).getString("value"));
    BigDecimal value = new BigDecimal(two.getJsonObject(1).getString("value"));
    assertThat(f.get("previous")).isEqualTo(two.getJsonObject(0).getString("value"));
    assertThat(f.get("value")).isEqualTo(two.getJsonObject(1).getString("value"));
    if ("above".equals(f.get("direction"))) {
      assertThat(previous).isLessThanOrEqualTo(level);
      assertThat(value).isGreaterThan(level);
    } else {
      assertThat(previous).isGreaterThanOrEqualTo(level);
      assertThat(value).isLessThan(level);
    }
  }

  private static List<Map<String, Object>> firings(Browser b) {
    return b.js("return window.candlebus.rsiFirings()");
  }
}
