package io.candlebus.e2e;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Addresses;
import io.candlebus.Gateway;
import io.candlebus.domain.Interval;
import io.candlebus.domain.Trade;
import io.candlebus.e2e.TradingPage.ChartCandle;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Http;
import io.candlebus.testing.CutProxy;
import io.candlebus.testing.HttpSession;
import io.candlebus.testing.SharedData;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.candlebus.testing.TestUsers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Cookie;

/**
 * The page in headless Chromium against candlebus on the simulator (a 1m candle per real second) and a real
 * PostgreSQL, logged in through the server's form. The browser reaches candlebus through a {@link CutProxy}, so
 * a test can take the network away from it. Tests that change a user's state log in as a user of their own; the
 * others share one login ({@value #VIEWER}), since each login costs a deliberately slow password check.
 */
class TradingPageE2ETest {
  private static final long MINUTE = 60_000;
  private static final String VIEWER = "alice";
  @TempDir
  static Path dir;
  static Vertx vertx;
  static BinanceSimulator sim;
  static CutProxy proxy;
  static Gateway gateway;
  static String base;
  static Browser browser;
  static final List<JsonObject> candleMessages = Collections.synchronizedList(new ArrayList<>());
  static final AtomicLong latestTradeId = new AtomicLong();
  static String loggedIn; // whose session the browser holds
  /** The simulator's bookTickers of BTCUSDT: book update id → "bestBid/bestAsk". */
  static final java.util.concurrent.ConcurrentSkipListMap<Long, String> simBest =
      new java.util.concurrent.ConcurrentSkipListMap<>();
  /** Held: Vert.x 5 closes a client nothing refers to any more (and its connections with it). */
  static io.vertx.core.http.WebSocketClient bookTickers;
  TradingPage page;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    sim = new BinanceSimulator(SimulatorOptions.defaults().withSpeed(60).withRate(1).withHistoryMinutes(180)
        .withSeed(11).withPingIntervalMs(300)
        .withExchangeInfoFile(SharedData.real("cryptofeed_binance_2021-10-12/BINANCE.0"))); // 1695 symbols
    await(vertx.deployVerticle(sim));
    proxy = CutProxy.start(vertx);
    base = "http://localhost:" + proxy.port(); // the browser's origin: the one candlebus must allow
    String db = TestPostgres.newDatabaseUrl();
    gateway = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir, Map.of(
        "CANDLEBUS_INTERVALS", "1m,5m", "CANDLEBUS_HISTORY_LIMIT", "120", "CANDLEBUS_PUBLIC_ORIGIN", base,
        "CANDLEBUS_DEPTH_SYMBOLS", "BTCUSDT"))));
    proxy.target(gateway.httpPort());
    vertx.eventBus().<JsonObject>consumer(Addresses.candle("BTCUSDT", Interval.M1), m -> candleMessages.add(m.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.trade("BTCUSDT"),
        m -> latestTradeId.accumulateAndGet(m.body().getLong("tradeId", 0L), Math::max));
    // the simulator's own word on its best levels, on every change: what the depth panel must show
    bookTickers = vertx.createWebSocketClient();
    await(bookTickers.connect(sim.port(), "127.0.0.1", "/stream?streams=btcusdt@bookTicker"))
        .textMessageHandler(text -> {
          JsonObject t = new JsonObject(text).getJsonObject("data");
          simBest.put(t.getLong("u"), plain(new BigDecimal(t.getString("b"))) + "/"
              + plain(new BigDecimal(t.getString("a"))));
        });
    TestUsers.create(vertx, db, VIEWER, "carol", "dave", "frank", "heidi", "ivan", "trader");
    await(gateway.backfillDone()); // a page loaded before the backfill ends could show its hole
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

  @BeforeEach
  void newPage() {
    page = new TradingPage(browser, base);
  }

  /** The page of BTCUSDT 1m as user: a login through the form, or a fresh load if the browser is logged in. */
  private void visitAs(String user) {
    if (user.equals(loggedIn)) {
      browser.open("about:blank"); // a new document, not a jump within the old one
      browser.open(base + "/#BTCUSDT/1m");
      page.waitLoaded();
      return;
    }
    browser.open(base + "/login");
    browser.driver().manage().deleteAllCookies();
    browser.js("localStorage.clear()");
    // the view a user chose last is saved on the server and would follow them into this login
    assertThat(session(user).putJson("/api/settings", new JsonObject()).statusCode()).isEqualTo(200);
    loggedIn = null;
    page.login(user, TestUsers.PASSWORD);
    loggedIn = user;
  }

  @AfterEach
  void networkBack() {
    proxy.restore();
  }

  @Test
  void candlesArriveAndTheLastCandleChanges() {
    visitAs(VIEWER);
    assertThat(page.symbols().getOptions()).extracting(o -> o.getText()).containsExactly("BTCUSDT", "ETHUSDT");
    assertThat(page.intervals().getOptions()).extracting(o -> o.getText()).containsExactly("1m", "5m");
    // the history is what /api/candles has (its depth depends on the backfill: see the report of the web branch)
    List<ChartCandle> drawn = page.candles();
    JsonArray stored = session(VIEWER).getArray("/api/candles?symbol=BTCUSDT&interval=1m&limit=1000");
    List<ChartCandle> closedStored = stored.stream().map(o -> (JsonObject) o).filter(c -> c.getBoolean("closed"))
        .filter(c -> c.getLong("openTime") >= drawn.get(0).openTime()).map(c -> new ChartCandle(c.getLong("openTime"),
            c.getLong("closeTime"), c.getString("close"), true)).toList();
    assertThat(closedStored).as("stored since the chart's first candle").hasSizeGreaterThan(1);
    browser.until("every stored candle on the chart, as stored", d -> page.candles().containsAll(closedStored));

    ChartCandle before = page.lastCandle();
    browser.until("the last candle changes", d -> !before.equals(page.lastCandle()));
    browser.until("a newer window opens", d -> page.lastCandle().openTime() > before.openTime());
    assertContiguous(page.candles());
    page.waitState("upstream-status", "CONNECTED");
    assertThat(page.state("bridge-status")).isEqualTo("open");
  }

  @Test
  void lastPriceFollowsTheSimulatorsTradesAndTheSelectedSymbol() {
    long since = sim.now() - MINUTE; // the price the page starts from may be the trade just before it opened
    visitAs(VIEWER);
    Set<String> seen = new LinkedHashSet<>();
    browser.until("5 different last prices", d -> {
      String p = page.lastPrice();
      if (!p.isEmpty()) {
        seen.add(p);
      }
      return seen.size() >= 5;
    });
    assertThat(seen).allSatisfy(p -> assertThat(tradePrices("BTCUSDT", since)).contains(p));

    page.symbols().selectByVisibleText("ETHUSDT");
    long ethSince = sim.now() - MINUTE;
    String eth = browser.until("an ETHUSDT price", d -> {
      String p = page.lastPrice();
      return tradePrices("ETHUSDT", ethSince).contains(p) ? p : null;
    });
    assertThat(tradePrices("BTCUSDT", since)).doesNotContain(eth);
    assertThat(browser.currentUrl()).endsWith("#ETHUSDT/1m");
  }

  @Test
  void minimumBelowTheLastPriceLightsTheBoxAndAboveItDoesNot() {
    visitAs("carol");
    BigDecimal last = page.waitForLastPrice();
    assertThat(page.alert()).isEqualTo("off");

    String below = plain(last.divide(BigDecimal.valueOf(2), 2, RoundingMode.DOWN));
    page.setMinimum(below);
    page.waitAlert("on");
    assertThat(storedAlerts("carol")).containsExactly(Map.entry("BTCUSDT", below));

    String above = plain(last.multiply(BigDecimal.valueOf(2)));
    page.setMinimum(above);
    page.waitAlert("off");
    assertThat(storedAlerts("carol")).containsExactly(Map.entry("BTCUSDT", above));

    page.setMinimum("");
    assertThat(page.alert()).isEqualTo("off");
    assertThat(storedAlerts("carol")).isEmpty();
  }

  @Test
  void theMinimumSurvivesAReloadAndReachesTheUsersOtherSessions() {
    visitAs("dave");
    String below = plain(page.waitForLastPrice().subtract(BigDecimal.valueOf(1000)));
    page.setMinimum(below);
    page.waitAlert("on");

    browser.driver().navigate().refresh();
    page.waitLoaded();
    browser.until("the stored minimum in the input", d -> below.equals(page.minimumInput()));
    page.waitAlert("on");
    assertThat(storedAlerts("dave")).containsExactly(Map.entry("BTCUSDT", below));
  }

  @Test
  void aPriceCrossingIntoTheMinimumBeepsOnceAndTheServersAlertShows() {
    visitAs("ivan");
    BigDecimal last = page.waitForLastPrice();
    String minimum = plain(last.multiply(new BigDecimal("1.5")).setScale(2, RoundingMode.DOWN));
    page.setMinimum(minimum);
    page.waitAlert("off");
    long beeps = page.beeps();

    // trades the page must take as the newest: real ones (lower ids) are refused from here on
    long id = latestTradeId.get() + 100_000;
    String high = plain(last.multiply(BigDecimal.valueOf(2)));
    publishTrade(id, high);
    page.waitAlert("on");
    browser.until("one beep", d -> page.beeps() == beeps + 1);
    browser.until("candlebus's own alert as a toast", d -> page.toasts().stream()
        .anyMatch(t -> t.contains("BTCUSDT is at or above your minimum " + minimum + " (last " + high + ")")));

    String higher = plain(last.multiply(BigDecimal.valueOf(2)).add(BigDecimal.ONE));
    publishTrade(id + 1, higher);
    browser.until("the next price shown", d -> page.lastPrice().equals(higher));
    assertThat(page.beeps()).as("still on: no new crossing").isEqualTo(beeps + 1);

    publishTrade(id + 2, plain(last));
    page.waitAlert("off");
    publishTrade(id + 3, high);
    page.waitAlert("on");
    browser.until("a second beep for the second crossing", d -> page.beeps() == beeps + 2);
  }

  @Test
  void afterTheConnectionIsCutAndRestoredNoCandleIsMissing() {
    visitAs(VIEWER);
    long newestBefore = page.lastCandle().openTime();

    proxy.cut();
    page.waitState("bridge-status", "closed");
    long missedUntil = newestBefore + 4 * MINUTE;
    browser.until("4 candles made while the page is cut off", d -> sim.now() > missedUntil + MINUTE);
    assertThat(page.lastCandle().openTime()).as("nothing reached the page while cut").isLessThan(missedUntil);

    proxy.restore();
    page.waitState("bridge-status", "open");
    browser.until("the chart caught up", d -> page.lastCandle().openTime() > missedUntil);
    List<ChartCandle> after = page.candles();
    assertContiguous(after);
    assertThat(after).extracting(ChartCandle::openTime).contains(newestBefore + MINUTE, newestBefore + 2 * MINUTE,
        newestBefore + 3 * MINUTE);
    // and what it filled in is what candlebus stored
    JsonArray stored = session(VIEWER).getArray("/api/candles?symbol=BTCUSDT&interval=1m&startTime="
        + (newestBefore + MINUTE) + "&endTime=" + (newestBefore + 3 * MINUTE));
    for (int i = 0; i < stored.size(); i++) {
      JsonObject s = stored.getJsonObject(i);
      ChartCandle c = after.stream().filter(x -> x.openTime() == s.getLong("openTime")).findFirst().orElseThrow();
      assertThat(c.close()).as("close of %d", c.openTime()).isEqualTo(s.getString("close"));
      assertThat(c.closed()).isTrue();
    }
  }

  @Test
  void staleAndRepeatedCandleUpdatesLeaveTheChartAsItWas() {
    visitAs(VIEWER);
    // a window seen on the bus from its first update to its close, already three windows old
    List<JsonObject> window = browser.until("a whole window on the bus, three windows old", d -> wholeOldWindow());
    JsonObject stale = window.get(0);
    JsonObject closed = window.get(window.size() - 1);
    long openTime = closed.getLong("openTime");
    ChartCandle drawn = page.candles().stream().filter(c -> c.openTime() == openTime).findFirst().orElseThrow();
    assertThat(drawn).isEqualTo(new ChartCandle(openTime, closed.getLong("closeTime"), closed.getString("close"),
        true));

    // the first update of the window again, after its close, then the close repeated
    vertx.eventBus().publish(Addresses.candle("BTCUSDT", Interval.M1), stale);
    browser.until("the stale update refused", d -> page.ignoredCandles().stream().anyMatch(
        m -> ((Number) m.get("openTime")).longValue() == openTime && Boolean.FALSE.equals(m.get("closed"))));
    vertx.eventBus().publish(Addresses.candle("BTCUSDT", Interval.M1), closed);
    ChartCandle last = page.lastCandle();
    browser.until("live updates go on", d -> !last.equals(page.lastCandle()));

    List<ChartCandle> after = page.candles();
    assertThat(after).filteredOn(c -> c.openTime() == openTime).containsExactly(drawn);
    assertContiguous(after);
  }

  @Test
  void marketsListBinancesSymbolsAndMarkTheNewOnesOnlyOnTheFirstVisit() {
    int listed = Http.getObject(sim.restBaseUrl() + "/api/v3/exchangeInfo").getJsonArray("symbols").size();
    visitAs("heidi");
    assertThat(page.marketsNewCount()).as("all new on the first visit").isEqualTo(listed);
    browser.js("document.querySelector('.markets').open = true");
    assertThat(page.marketRows(".is-new")).as("drawn, new first, at most 250").isEqualTo(250);
    assertThat(browser.byTestId("markets-new-count").isDisplayed()).isTrue();

    browser.driver().navigate().refresh();
    page.waitLoaded();
    assertThat(page.marketsNewCount()).as("seen now").isZero();
    assertThat(page.marketRows("")).isEqualTo(250);
    assertThat(page.marketRows(".is-new")).isZero();
  }

  @Test
  void theDepthPanelShowsTheSimulatorsBestBidAndAskFollowsThemAndSaysWhenItResyncs() {
    visitAs(VIEWER);
    checkDepthPanelFollowsTheSimulator(4);

    // the next snapshot is refused for 3 s: the rebuilt book takes that long, and the panel says so meanwhile
    sim.restFault(429, 3, 1);
    await(sim.skipDepthDiffs("BTCUSDT", 1));
    browser.until("the panel says resyncing", d -> "resyncing".equals(page.depth("state")));
    assertThat(page.depthText()).contains("resyncing");
    assertThat(page.depth("bestBid")).isEmpty();
    browser.until("the book back", Duration.ofSeconds(30), d -> "live".equals(page.depth("state")));
    checkDepthPanelFollowsTheSimulator(2);

    page.symbols().selectByVisibleText("ETHUSDT"); // not in depth.symbols
    browser.until("no book for ETHUSDT", d -> "none".equals(page.depth("state")));
    assertThat(page.depthText()).contains("No order book for ETHUSDT");
  }

  /** {@code changes} different best bid/ask pairs on the panel, each the simulator's at the shown update id. */
  private void checkDepthPanelFollowsTheSimulator(int changes) {
    Map<Long, String> shown = new java.util.TreeMap<>();
    browser.until(changes + " different best bid/ask pairs", d -> {
      Map<String, Object> p = browser.js("const e = document.querySelector('[data-testid=depth-panel]');"
          + "return {state: e.dataset.state, bid: e.dataset.bestBid, ask: e.dataset.bestAsk,"
          + " id: e.dataset.updateId};");
      if ("live".equals(p.get("state"))) {
        shown.put(Long.parseLong((String) p.get("id")), p.get("bid") + "/" + p.get("ask"));
      }
      return new java.util.HashSet<>(shown.values()).size() >= changes;
    });
    // checked afterwards: the simulator's bookTicker of an update may reach this test after the page showed it
    shown.forEach((id, pair) -> {
      var atOrBefore = simBest.floorEntry(id);
      assertThat(atOrBefore).as("a bookTicker of the simulator at or before update " + id).isNotNull();
      assertThat(pair).as("the panel at update " + id).isEqualTo(atOrBefore.getValue());
    });
  }

  @Test
  void logoutEndsTheSession() {
    visitAs("frank");
    Cookie session = browser.driver().manage().getCookieNamed("candlebus.session");
    assertThat(session).isNotNull();

    browser.byTestId("logout").click();
    loggedIn = null;
    browser.until("the login page", d -> d.getCurrentUrl().equals(base + "/login"));
    assertThat(page.fetch("/api/candles?symbol=BTCUSDT&interval=1m")).containsEntry("status", 401L);
    browser.open(base + "/");
    assertThat(browser.currentUrl()).isEqualTo(base + "/login");
    // the old cookie is worth nothing now, wherever it comes from
    assertThat(getWithCookie("/api/candles?symbol=BTCUSDT&interval=1m", session).statusCode()).isEqualTo(401);
  }

  @Test
  void screenshotOfTheLivePageWithAnActiveAlert() {
    visitAs("trader");
    assertThat(page.marketsNewCount()).isPositive();
    browser.js("document.querySelector('.markets').open = true"); // its NEW marks belong in the picture
    String minimum = plain(page.waitForLastPrice().multiply(new BigDecimal("0.998")).setScale(2, RoundingMode.DOWN));
    page.setMinimum(minimum);
    page.waitAlert("on");
    browser.until("some history", d -> page.candles().size() >= 10);
    ChartCandle last = page.lastCandle();
    browser.until("the chart moved", d -> !last.equals(page.lastCandle()));

    List<Path> targets = new ArrayList<>(List.of(Path.of("target/screenshot.png")));
    String extra = System.getProperty("candlebus.screenshot");
    if (extra != null && !extra.isBlank()) {
      targets.add(Path.of(extra));
    }
    // 0.2 % below the price: on for a good while, but a picture taken while it was off would not be one
    browser.until("a picture with the alert on", d -> {
      if (!"on".equals(page.alert())) {
        return false;
      }
      browser.screenshot(targets.toArray(Path[]::new));
      return "on".equals(page.alert());
    });
    assertThat(Path.of("target/screenshot.png")).isNotEmptyFile();
  }

  /** A decimal as candlebus writes it: plain, no trailing zeros. */
  private static String plain(BigDecimal d) {
    return d.stripTrailingZeros().toPlainString();
  }

  private static void publishTrade(long id, String price) {
    vertx.eventBus().publish(Addresses.trade("BTCUSDT"), new JsonObject().put("symbol", "BTCUSDT").put("tradeId", id)
        .put("firstTradeId", id).put("lastTradeId", id).put("price", price).put("qty", "0.5")
        .put("time", sim.now()).put("buyerMaker", false));
  }

  private static void assertContiguous(List<ChartCandle> candles) {
    assertThat(candles).isNotEmpty();
    for (int i = 1; i < candles.size(); i++) {
      assertThat(candles.get(i).openTime() - candles.get(i - 1).openTime())
          .as("step from %d to %d", candles.get(i - 1).openTime(), candles.get(i).openTime()).isEqualTo(MINUTE);
    }
    assertThat(candles.get(candles.size() - 1).closeTime() - candles.get(candles.size() - 1).openTime())
        .isEqualTo(MINUTE - 1);
  }

  /** The simulator's trade prices of symbol since a time, as candlebus writes them. */
  private static Set<String> tradePrices(String symbol, long since) {
    return sim.history(symbol).between(since, sim.now()).stream().map(Trade::price)
        .map(p -> p.stripTrailingZeros().toPlainString()).collect(Collectors.toSet());
  }

  /** The updates of the newest window that closed at least three windows ago, first to last; null if none. */
  private static List<JsonObject> wholeOldWindow() {
    List<JsonObject> seen;
    synchronized (candleMessages) {
      seen = new ArrayList<>(candleMessages);
    }
    if (seen.isEmpty()) {
      return null;
    }
    long newest = seen.get(seen.size() - 1).getLong("openTime");
    long target = newest - 3 * MINUTE;
    List<JsonObject> window = seen.stream().filter(c -> c.getLong("openTime") == target).toList();
    boolean whole = window.size() >= 2 && !window.get(0).getBoolean("closed")
        && window.get(window.size() - 1).getBoolean("closed")
        && seen.stream().anyMatch(c -> c.getLong("openTime") == target - MINUTE); // not the first one joined
    return whole ? window : null;
  }

  private static final Map<String, HttpSession> SESSIONS = new java.util.concurrent.ConcurrentHashMap<>();

  /** The user's own API session beside the browser's (another device, as far as candlebus knows). */
  private static HttpSession session(String user) {
    return SESSIONS.computeIfAbsent(user, u -> HttpSession.login(base, u, TestUsers.PASSWORD));
  }

  private static Map<String, String> storedAlertsMap(String user) {
    return session(user).getArray("/api/alerts").stream().map(o -> (JsonObject) o)
        .collect(Collectors.toMap(a -> a.getString("symbol"), a -> a.getString("price")));
  }

  private static Set<Map.Entry<String, String>> storedAlerts(String user) {
    return storedAlertsMap(user).entrySet();
  }

  private static HttpResponse<String> getWithCookie(String path, Cookie cookie) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
          .header("Cookie", cookie.getName() + "=" + cookie.getValue()).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
