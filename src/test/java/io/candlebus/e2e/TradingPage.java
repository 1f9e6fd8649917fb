package io.candlebus.e2e;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The candlebus page as the tests see it: its data-testid hooks and {@code window.candlebus}. */
final class TradingPage {
  /** One candle of the chart, as {@code window.candlebus.candles()} lists it. */
  record ChartCandle(long openTime, long closeTime, String close, boolean closed) {
    static ChartCandle of(Map<String, Object> m) {
      return new ChartCandle(((Number) m.get("openTime")).longValue(), ((Number) m.get("closeTime")).longValue(),
          (String) m.get("close"), Boolean.TRUE.equals(m.get("closed")));
    }
  }

  private final Browser browser;
  private final String base;

  TradingPage(Browser browser, String base) {
    this.browser = browser;
    this.base = base;
    browser.describe(this::describe);
  }

  /** The page's state in one line, for the message of a failed wait. */
  String describe() {
    try {
      return browser.driver().getCurrentUrl() + " " + browser.js("""
          const c = window.candlebus;
          if (!c) return 'no window.candlebus';
          const all = c.candles();
          return JSON.stringify({symbol: c.symbol(), interval: c.interval(), history: c.historyLoaded(),
            bridge: c.bridgeOpen(), candles: all.length, first: all[0], last: all[all.length - 1],
            lastPrice: c.lastPrice(), minimum: c.minimum(), ignored: c.ignoredCandles().length,
            alert: document.querySelector('[data-testid=min-price-box]').dataset.alert});
          """);
    } catch (RuntimeException e) {
      return "(not readable: " + e.getMessage() + ")";
    }
  }

  /** Logs in through the server-rendered form and waits until the page has drawn its first candles. */
  void login(String username, String password) {
    browser.open(base + "/login");
    browser.byTestId("login-username").sendKeys(username);
    browser.byTestId("login-password").sendKeys(password);
    browser.byTestId("login-submit").click();
    browser.until("the page after logging in as " + username, d -> Objects.requireNonNull(d.getCurrentUrl())
        .startsWith(base + "/#") || d.getCurrentUrl().equals(base + "/"));
    waitLoaded();
  }

  /** Until the page knows its session, drew its history and has the bridge open. */
  void waitLoaded() {
    browser.until("history drawn and the bridge open", d -> Boolean.TRUE.equals(browser.js(
        "return !!window.candlebus && window.candlebus.historyLoaded() && window.candlebus.bridgeOpen()"
            + " && window.candlebus.candles().length > 0")));
  }

  List<ChartCandle> candles() {
    List<Map<String, Object>> raw = browser.js("return window.candlebus.candles()");
    return raw.stream().map(ChartCandle::of).toList();
  }

  ChartCandle lastCandle() {
    List<ChartCandle> all = candles();
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  List<Map<String, Object>> ignoredCandles() {
    return browser.js("return window.candlebus.ignoredCandles()");
  }

  /** The text of {@code last-price}, "" before the first price. */
  String lastPrice() {
    String text = browser.byTestId("last-price").getText().trim();
    return text.equals("—") ? "" : text;
  }

  BigDecimal waitForLastPrice() {
    String text = browser.until("a last price", d -> lastPrice().isEmpty() ? null : lastPrice());
    return new BigDecimal(text);
  }

  String alert() {
    return browser.byTestId("min-price-box").getAttribute("data-alert");
  }

  void waitAlert(String state) {
    browser.until("min-price-box data-alert=" + state, d -> state.equals(alert()));
  }

  /** Types a minimum (empty clears it) and presses Enter; returns when the page has stored it. */
  void setMinimum(String price) {
    WebElement input = browser.byTestId("min-price-input");
    input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    input.sendKeys(price, Keys.ENTER);
    String expected = price.isEmpty() ? null : new BigDecimal(price).stripTrailingZeros().toPlainString();
    browser.until("the minimum " + price + " saved", d -> Objects.equals(expected,
        browser.js("return window.candlebus.minimum()")));
  }

  /** Beeps the page asked for (muted or not): one per crossing into "on". */
  long beeps() {
    return ((Number) browser.js("return window.candlebus.beeps()")).longValue();
  }

  /** The texts of the toasts shown now (read in one go: they come and go by themselves). */
  List<String> toasts() {
    return browser.js("return [...document.querySelectorAll('.toast')].map(t => t.textContent)");
  }

  String minimumInput() {
    return browser.byTestId("min-price-input").getAttribute("value");
  }

  /** A data attribute of the depth panel by its dataset name ({@code state}, {@code bestBid}, ...); "" if unset. */
  String depth(String name) {
    String v = browser.byTestId("depth-panel").getAttribute("data-" + name.replaceAll("([A-Z])", "-$1")
        .toLowerCase(java.util.Locale.ROOT));
    return v == null ? "" : v;
  }

  String depthText() {
    return browser.byTestId("depth-panel").getText();
  }

  String state(String testId) {
    return browser.byTestId(testId).getAttribute("data-state");
  }

  void waitState(String testId, String state) {
    browser.until(testId + " data-state=" + state, d -> state.equals(state(testId)));
  }

  /** {@code markets-new-count} once the markets have loaded. */
  int marketsNewCount() {
    String text = browser.until("the markets loaded", d -> {
      String t = browser.byTestId("markets-new-count").getText().trim();
      return t.matches("\\d+") ? t : null;
    });
    return Integer.parseInt(text);
  }

  /** Rows of the markets table matching the CSS class selector (e.g. ".is-new"; "" for all). */
  int marketRows(String classes) {
    return browser.driver().findElements(By.cssSelector(".markets-rows tr" + classes)).size();
  }

  Select symbols() {
    return new Select(browser.byTestId("symbol-select"));
  }

  Select intervals() {
    return new Select(browser.byTestId("interval-select"));
  }

  /** Status and body of a GET from inside the page (its cookies, its origin). */
  Map<String, Object> fetch(String path) {
    return browser.driver().executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        fetch(arguments[0], {credentials: 'same-origin', redirect: 'manual'})
          .then(async r => done({status: r.status, body: await r.text()}))
          .catch(e => done({status: -1, body: String(e)}));
        """, path) instanceof Map<?, ?> m ? cast(m) : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
