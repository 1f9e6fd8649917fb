package io.candlebus.e2e;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Gateway;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.HttpSession;
import io.candlebus.testing.Ports;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.candlebus.testing.TestUsers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The alerts panel in headless Chromium: a crossing-up alert made in its form is drawn as a line on the chart,
 * fires with its note and its sound, ends done, and is in the history after a reload; a bad symbol gets the
 * server's 400 naming the field; pausing an alert takes its line off the chart.
 */
class AlertsPanelE2ETest {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  @TempDir
  static Path dir;
  static Vertx vertx;
  static Gateway gateway;
  static String base;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT", "ETHUSDT")
        .withRate(10).withHistoryMinutes(30).withSeed(13));
    await(vertx.deployVerticle(sim));
    String db = TestPostgres.newDatabaseUrl();
    int port = Ports.free();
    base = "http://localhost:" + port;
    gateway = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir, Map.of("CANDLEBUS_INTERVALS", "1m",
        "CANDLEBUS_HTTP_PORT", String.valueOf(port), "CANDLEBUS_PUBLIC_ORIGIN", base))));
    TestUsers.create(vertx, db, "alerter");
    await(gateway.backfillDone());
  }

  @AfterAll
  static void stop() {
    await(gateway.close().compose(v -> vertx.close()));
  }

  @Test
  void anAlertMadeInThePanelFiresWithItsNoteAndSoundAndIsInTheHistoryAfterAReload() {
    try (Browser browser = new Browser()) {
      TradingPage page = new TradingPage(browser, base);
      page.login("alerter", TestUsers.PASSWORD);
      BigDecimal price = page.waitForLastPrice();
      assertThat(browser.byTestId("alert-symbol").getAttribute("value")).isEqualTo("BTCUSDT");

      // a symbol not carried: the server's 400, shown next to the field it names
      fill(browser, "FOOBAR", "crossing_up", "1", "nope");
      browser.byTestId("alert-save").click();
      browser.until("the error naming symbol", d -> "symbol".equals(browser.byTestId("alert-error")
          .getAttribute("data-field")));
      assertThat(browser.<List<?>>js("return window.candlebus.alerts()")).isEmpty();

      // just above the last price: the walk crosses it within a few trades
      String level = price.add(new BigDecimal("0.01")).toPlainString();
      fill(browser, "BTCUSDT", "crossing_up", level, "breakout test");
      new Select(browser.byTestId("alert-sound")).selectByVisibleText("chime");
      assertThat(browser.byTestId("alert-note-count").getText()).isEqualTo("13/250");
      long chimes = sounds(browser, "chime");
      browser.byTestId("alert-save").click();
      browser.until("the alert listed and drawn", d -> lines(browser).contains(level));
      Map<String, Object> alert = browser.<List<Map<String, Object>>>js("return window.candlebus.alerts()").get(0);
      long id = ((Number) alert.get("id")).longValue();
      assertThat(alert.get("kind")).isEqualTo("crossing_up");
      assertThat(alert.get("note")).isEqualTo("breakout test");

      browser.until("the alert fired", PATIENCE, d -> !firings(browser, id).isEmpty());
      Map<String, Object> fired = firings(browser, id).get(0);
      String firingId = (String) fired.get("id");
      assertThat(fired.get("note")).isEqualTo("breakout test");
      assertThat(new BigDecimal((String) fired.get("price"))).isGreaterThanOrEqualTo(new BigDecimal(level));
      browser.until("the banner shows the note", d -> browser.byTestId("alert-banner").getText()
          .contains("breakout test"));
      browser.until("the chime played", d -> sounds(browser, "chime") == chimes + 1);
      browser.until("the alert done, its line gone", d -> "done".equals(browser.byTestId("alert-" + id)
          .getAttribute("data-state")) && !lines(browser).contains(level));
      browser.until("on top of the history", d -> firingId.equals(history(browser).get(0).get("id")));

      // another device's truth: the server's history, after a reload
      browser.driver().navigate().refresh();
      page.waitLoaded();
      browser.until("the history read back", d -> !history(browser).isEmpty());
      Map<String, Object> stored = history(browser).get(0);
      assertThat(stored.get("id")).isEqualTo(firingId);
      assertThat(stored.get("note")).isEqualTo("breakout test");
      assertThat(stored.get("price")).isEqualTo(fired.get("price"));
      assertThat(stored.get("webhook")).isEqualTo("none");
      WebElement row = browser.driver().findElement(org.openqa.selenium.By.cssSelector(
          "[data-testid=alert-firing][data-firing-id='" + firingId + "']"));
      assertThat(row.getText()).contains("breakout test");
      assertThat(browser.byTestId("alert-" + id).getAttribute("data-state")).isEqualTo("done");
      assertThat(firings(browser, id)).as("nothing fired again: it was once").isEmpty();

      // a paused alert keeps its row and loses its line; the server agrees
      String far = price.multiply(new BigDecimal("2")).toPlainString();
      fill(browser, "BTCUSDT", "price_above", far, "far away");
      browser.byTestId("alert-save").click();
      browser.until("the far line drawn", d -> lines(browser).contains(new BigDecimal(far).stripTrailingZeros()
          .toPlainString()));
      long farId = browser.<List<Map<String, Object>>>js("return window.candlebus.alerts()").stream()
          .filter(a -> "far away".equals(a.get("note"))).mapToLong(a -> ((Number) a.get("id")).longValue())
          .findFirst().orElseThrow();
      browser.byTestId("alert-" + farId).findElement(org.openqa.selenium.By.cssSelector(
          "[data-testid=alert-pause]")).click();
      browser.until("paused, line gone", d -> "paused".equals(browser.byTestId("alert-" + farId)
          .getAttribute("data-state")) && lines(browser).size() == 0);
      JsonArray all = HttpSession.login(base, "alerter", TestUsers.PASSWORD).getArray("/api/alerts");
      assertThat(all.stream().map(JsonObject.class::cast).filter(a -> a.getLong("id") == farId)
          .findFirst().orElseThrow().getString("state")).isEqualTo("paused");
    }
  }

  private static void fill(Browser browser, String symbol, String kind, String level, String note) {
    new Select(browser.byTestId("alert-kind")).selectByValue(kind);
    type(browser, "alert-symbol", symbol);
    type(browser, "alert-level", level);
    type(browser, "alert-note", note);
  }

  private static void type(Browser browser, String testId, String text) {
    WebElement e = browser.byTestId(testId);
    e.clear();
    e.sendKeys(text);
  }

  private static long sounds(Browser browser, String name) {
    Map<String, Object> s = browser.js("return window.candlebus.sounds()");
    return ((Number) s.get(name)).longValue();
  }

  private static List<String> lines(Browser browser) {
    return browser.js("return window.candlebus.alertLines().map(l => l.price)");
  }

  private static List<Map<String, Object>> firings(Browser browser, long alertId) {
    return browser.<List<Map<String, Object>>>js("return window.candlebus.alertFirings()").stream()
        .filter(f -> ((Number) f.get("alertId")).longValue() == alertId).toList();
  }

  private static List<Map<String, Object>> history(Browser browser) {
    return browser.js("return window.candlebus.alertHistory()");
  }
}
