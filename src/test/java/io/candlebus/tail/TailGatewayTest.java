package io.candlebus.tail;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Addresses;
import io.candlebus.Gateway;
import io.candlebus.domain.Interval;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.candlebus.testing.CutProxy;
import io.candlebus.testing.HttpSession;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.candlebus.testing.TestUsers;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code candlebus tail} in its own JVM against a real gateway (simulator at 20 trades/s, embedded PostgreSQL) on
 * 127.0.0.1, logged in as a user: every line it prints is a candle or trade the gateway published, and it is
 * refused like any browser where a browser would be.
 */
class TailGatewayTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final Pattern CANDLE = Pattern.compile("(\\S+) BTCUSDT 1m (\\S+) (live|closed)");
  private static final Pattern TRADE = Pattern.compile("(\\d+) BTCUSDT trade (\\S+) (\\S+)");
  @TempDir
  static Path dir;
  static Vertx vertx;
  static BinanceSimulator sim;
  static Gateway gateway;
  static CutProxy foreign;
  static String base;
  static final List<JsonObject> candles = Collections.synchronizedList(new ArrayList<>());
  static final List<JsonObject> trades = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    sim = new BinanceSimulator(SimulatorOptions.defaults().withRate(20).withHistoryMinutes(10).withSeed(5));
    await(vertx.deployVerticle(sim));
    foreign = CutProxy.start(vertx); // its origin http://127.0.0.1:<its port> is not an allowed one
    String db = TestPostgres.newDatabaseUrl();
    TestUsers.create(vertx, db, "trader");
    gateway = await(Gateway.start(TestConfigs.against(sim, db, dir, Map.of("CANDLEBUS_INTERVALS", "1m,5m",
        "CANDLEBUS_HISTORY_LIMIT", "5"))));
    gateway.vertx().eventBus().<JsonObject>consumer(Addresses.candle("BTCUSDT", Interval.M1),
        m -> candles.add(m.body()));
    gateway.vertx().eventBus().<JsonObject>consumer(Addresses.trade("BTCUSDT"), m -> trades.add(m.body()));
    base = "http://127.0.0.1:" + gateway.httpPort();
    foreign.target(gateway.httpPort());
  }

  @AfterAll
  static void stop() {
    foreign.close();
    await(gateway.close().compose(v -> vertx.close()));
  }

  private static TailProcess tail(Map<String, String> env, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", base, "--user", "trader"));
    return TailProcess.start(env, all.toArray(new String[0]));
  }

  private static Map<String, String> password() {
    return Map.of("CANDLEBUS_PASSWORD", TestUsers.PASSWORD);
  }

  /** Whether the gateway published a 1m candle of this open time whose {@code field} is {@code value}. */
  private static boolean published(long openTime, String field, String value) {
    synchronized (candles) {
      return candles.stream().anyMatch(c -> c.getLong("openTime") == openTime && value.equals(c.getString(field)));
    }
  }

  @Test
  void candleLinesAreTheGatewaysClosesInEpochMs() throws Exception {
    try (TailProcess p = tail(password(), "--symbol", "btcusdt", "--interval", "1m", "--price", "c", "--time",
        "ms")) {
      List<String> lines = p.awaitOut(PATIENCE, "20 candle lines with 3 prices", l -> l.size() >= 20
          && l.stream().map(x -> x.split(" ")[3]).distinct().count() >= 3);
      // the test's consumer and the bridge get each candle at about the same time: wait for the slower one
      Await.until(vertx, PATIENCE, "each line's candle was published", () -> io.vertx.core.Future.succeededFuture(
          lines.stream().allMatch(l -> {
            Matcher m = CANDLE.matcher(l);
            return m.matches() && published(Long.parseLong(m.group(1)), "close", m.group(2));
          })));
      assertThat(lines).allMatch(l -> CANDLE.matcher(l).matches() && l.matches("\\d{13} .*"));
      assertThat(p.terminate(PATIENCE)).as("exit code after SIGTERM").isZero();
      assertThat(p.err()).isEmpty();
    }
  }

  @Test
  void isoTimesAndTheOpenPrice() throws Exception {
    try (TailProcess p = tail(password(), "--symbol", "BTCUSDT", "--price", "o", "--time", "iso")) {
      List<String> lines = p.awaitOut(PATIENCE, "5 candle lines", l -> l.size() >= 5);
      for (String l : lines) {
        Matcher m = CANDLE.matcher(l);
        assertThat(m.matches()).as(l).isTrue();
        assertThat(m.group(1)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00\\.000Z");
        long openTime = Instant.parse(m.group(1)).toEpochMilli();
        Await.until(vertx, PATIENCE, "the candle of " + l + " was published",
            () -> io.vertx.core.Future.succeededFuture(published(openTime, "open", m.group(2))));
      }
      assertThat(p.terminate(PATIENCE)).isZero();
    }
  }

  @Test
  void tradeLinesAreTheGatewaysTrades() throws Exception {
    try (TailProcess p = tail(password(), "--symbol", "btcusdt", "--stream", "trade", "--time", "ms")) {
      List<String> lines = p.awaitOut(PATIENCE, "20 trade lines", l -> l.size() >= 20);
      for (String l : lines) {
        Matcher m = TRADE.matcher(l);
        assertThat(m.matches()).as(l).isTrue();
        Await.until(vertx, PATIENCE, "the trade of " + l + " was published", () -> {
          synchronized (trades) {
            return io.vertx.core.Future.succeededFuture(trades.stream().anyMatch(t ->
                t.getLong("time") == Long.parseLong(m.group(1)) && t.getString("price").equals(m.group(2))
                    && t.getString("qty").equals(m.group(3))));
          }
        });
      }
      assertThat(p.terminate(PATIENCE)).isZero();
    }
  }

  @Test
  void aWrongPasswordExitsWithOneClearLine() throws Exception {
    try (TailProcess p = tail(Map.of("CANDLEBUS_PASSWORD", "not the password"), "--symbol", "btcusdt")) {
      assertThat(p.awaitExit(PATIENCE)).isEqualTo(TailFailure.EXIT_REFUSED);
      assertThat(p.err()).containsExactly("candlebus tail: login refused for user \"trader\" at " + base
          + ": wrong name or password");
      assertThat(p.out()).isEmpty();
    }
  }

  @Test
  void thePasswordCanComeOnStandardInput() throws Exception {
    try (TailProcess p = tail(Map.of(), "--symbol", "btcusdt", "--time", "ms")) {
      p.stdin(TestUsers.PASSWORD);
      p.awaitOut(PATIENCE, "3 candle lines", l -> l.size() >= 3);
      assertThat(p.terminate(PATIENCE)).isZero();
    }
  }

  @Test
  void aSymbolOrIntervalTheGatewayDoesNotCarryIsRefusedByTheBridge() throws Exception {
    try (TailProcess symbol = tail(password(), "--symbol", "xrpusdt");
        TailProcess interval = tail(password(), "--symbol", "btcusdt", "--interval", "3m")) {
      assertThat(symbol.awaitExit(PATIENCE)).isEqualTo(TailFailure.EXIT_REFUSED);
      assertThat(symbol.err()).containsExactly("candlebus tail: the gateway at " + base + " refused "
          + "market.candle.XRPUSDT.1m (access_denied): it does not carry that symbol or interval (see /api/symbols "
          + "and /api/intervals)");
      assertThat(interval.awaitExit(PATIENCE)).isEqualTo(TailFailure.EXIT_REFUSED);
      assertThat(interval.err()).singleElement().asString().contains("refused market.candle.BTCUSDT.3m "
          + "(access_denied)");
    }
  }

  @Test
  void anOriginTheGatewayDoesNotAllowIsRefused() throws Exception {
    String via = "http://127.0.0.1:" + foreign.port();
    try (TailProcess p = TailProcess.start(password(), "--symbol", "btcusdt", "--url", via, "--user", "trader")) {
      assertThat(p.awaitExit(PATIENCE)).isEqualTo(TailFailure.EXIT_REFUSED);
      assertThat(p.err()).containsExactly("candlebus tail: login refused for user \"trader\" at " + via
          + ": origin " + via + " not allowed (the gateway's CANDLEBUS_PUBLIC_ORIGIN must list it)");
    }
  }

  /** The bridge client tail uses, without a login's cookie or with a made-up one: refused as a browser is. */
  @Test
  void theBridgeRefusesTailsClientWithoutALoggedInSession() {
    WebSocketClient client = vertx.createWebSocketClient();
    BridgeSession.Listener ignore = new BridgeSession.Listener() {
      @Override
      public void message(String address, Object body) {}

      @Override
      public void error(String body) {}
    };
    for (String cookie : new String[] {null, "made-up"}) {
      Throwable e = Await.failure(BridgeSession.open(vertx, client, URI.create(base), cookie, ignore));
      assertThat(e).isInstanceOf(BridgeSession.Refused.class).hasMessage("the bridge at " + base + "/eventbus "
          + "refused the connection: not logged in (HTTP 401)");
      assertThat(((BridgeSession.Refused) e).status()).isEqualTo(401);
    }
    // a logged-in session's cookie opens it
    String cookie = HttpSession.login(base, "trader", TestUsers.PASSWORD).sessionCookie();
    BridgeSession s = await(BridgeSession.open(vertx, client, URI.create(base), cookie, ignore));
    await(s.close());
    await(client.close());
  }
}
