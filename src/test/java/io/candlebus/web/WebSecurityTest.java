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
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may use what: sessions, CSRF, origins, and the bridge's rules, against a real gateway. */
class WebSecurityTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String FOREIGN = "http://evil.example";
  @TempDir
  static Path dir;
  static Vertx vertx;
  static Gateway gateway;
  static String base;
  static String origin;
  static HttpSession alice;
  static HttpSession bob;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withRate(20));
    await(vertx.deployVerticle(sim));
    String db = TestPostgres.newDatabaseUrl();
    gateway = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir,
        Map.of("CANDLEBUS_HISTORY_LIMIT", "5", "CANDLEBUS_INTERVALS", "1m,5m"))));
    base = "http://127.0.0.1:" + gateway.httpPort();
    origin = "http://localhost:" + gateway.httpPort();
    TestUsers.create(vertx, db, "alice", "bob");
    alice = HttpSession.login(base, "alice", TestUsers.PASSWORD);
    bob = HttpSession.login(base, "bob", TestUsers.PASSWORD);
  }

  @AfterAll
  static void stop() {
    await(gateway.close().compose(v -> vertx.close()));
  }

  private static void until(String what, BooleanSupplier check) {
    Await.until(vertx, PATIENCE, what, () -> Future.succeededFuture(check.getAsBoolean()));
  }

  @Test
  void everythingButLoginHealthAndReadyNeedsASession() {
    HttpSession anonymous = new HttpSession(base);
    for (String path : List.of("/api/candles?symbol=BTCUSDT&interval=1m", "/api/symbols", "/api/alerts",
        "/api/markets", "/api/session", "/metrics")) {
      assertThat(anonymous.get(path).statusCode()).as(path).isEqualTo(401);
    }
    for (String path : List.of("/", "/index.html", "/app.js")) {
      HttpResponse<String> r = anonymous.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(302);
      assertThat(r.headers().firstValue("Location")).contains("/login");
    }
    assertThat(anonymous.get("/health").statusCode()).isEqualTo(200);
    assertThat(anonymous.get("/ready").statusCode()).isIn(200, 503);
    HttpResponse<String> login = anonymous.get("/login");
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.body()).contains("data-testid=\"login-username\"", "data-testid=\"login-password\"",
        "data-testid=\"login-submit\"", "name=\"csrf\"");
    assertThat(alice.get("/api/session").statusCode()).isEqualTo(200);
  }

  @Test
  void theFormNeedsItsCsrfTokenAndTheSessionIdChangesAtLogin() {
    HttpSession browser = new HttpSession(base);
    String page = browser.get("/login").body();
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
    assertThat(m.find()).isTrue();
    String csrf = m.group(1);
    String before = browser.sessionCookie();
    assertThat(before).isNotNull();

    HttpResponse<String> noToken = browser.send(form("username=alice&password=" + enc(TestUsers.PASSWORD)));
    assertThat(noToken.statusCode()).isEqualTo(403);
    HttpResponse<String> wrongToken = browser.send(form("csrf=nope&username=alice&password="
        + enc(TestUsers.PASSWORD)));
    assertThat(wrongToken.statusCode()).isEqualTo(403);
    assertThat(browser.get("/api/session").statusCode()).isEqualTo(401);

    HttpResponse<String> ok = browser.send(form("csrf=" + enc(csrf) + "&username=alice&password="
        + enc(TestUsers.PASSWORD)));
    assertThat(ok.statusCode()).isEqualTo(302);
    assertThat(ok.headers().firstValue("Location")).contains("/");
    assertThat(browser.sessionCookie()).as("session id regenerated at login").isNotNull().isNotEqualTo(before);
    assertThat(new JsonObject(browser.get("/api/session").body()).getString("username")).isEqualTo("alice");
    HttpResponse<String> wrong = new HttpSession(base).send(form("csrf=x&username=alice&password=nope"));
    assertThat(wrong.statusCode()).isEqualTo(403);
  }

  private HttpRequest.Builder form(String body) {
    return HttpRequest.newBuilder(URI.create(base + "/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void jsonLoginAndLogout() {
    HttpSession s = new HttpSession(base);
    JsonObject wrong = new JsonObject().put("username", "bob").put("password", "not it");
    assertThat(s.postJson("/api/login", wrong).statusCode()).isEqualTo(401);
    HttpResponse<String> text = s.send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(text.statusCode()).isEqualTo(415);
    HttpResponse<String> foreign = s.send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
        .header("Content-Type", "application/json").header("Origin", FOREIGN)
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", "bob")
            .put("password", TestUsers.PASSWORD).encode())));
    assertThat(foreign.statusCode()).isEqualTo(403);

    HttpSession logged = HttpSession.login(base, "bob", TestUsers.PASSWORD);
    HttpResponse<String> noToken = logged.send(HttpRequest.newBuilder(URI.create(base + "/api/logout"))
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(logged.postJson("/api/logout", new JsonObject()).statusCode()).isEqualTo(204);
    assertThat(logged.get("/api/session").statusCode()).isEqualTo(401);
    assertThat(logged.get("/api/candles?symbol=BTCUSDT&interval=1m").statusCode()).isEqualTo(401);
    assertThat(logged.get("/").statusCode()).isEqualTo(302);
  }

  @Test
  void theBridgeRefusesAnonymousSessionsOnEveryTransport() {
    HttpSession anonymous = new HttpSession(base);
    assertThat(anonymous.get("/eventbus/info").statusCode()).isEqualTo(401);
    assertThat(anonymous.send(xhr("/eventbus/000/abcd/xhr", origin)).statusCode()).isEqualTo(401);
    assertThat(anonymous.send(xhr("/eventbus/000/abcd/xhr_send", origin)).statusCode()).isEqualTo(401);
    Throwable refused = Await.failure(SockJsClient.connect(vertx, gateway.httpPort(), null, origin, 0));
    assertThat(refused.getMessage()).contains("401");
    Throwable forged = Await.failure(SockJsClient.connect(vertx, gateway.httpPort(), "forged", origin, 0));
    assertThat(forged.getMessage()).contains("401");
  }

  @Test
  void theBridgeRefusesForeignOriginsOnWebSocketAndXhr() {
    Throwable ws = Await.failure(SockJsClient.connect(vertx, gateway.httpPort(), alice.sessionCookie(), FOREIGN, 0));
    assertThat(ws.getMessage()).contains("403");
    assertThat(alice.send(xhr("/eventbus/000/abcd/xhr", FOREIGN)).statusCode()).isEqualTo(403);
    assertThat(alice.send(xhr("/eventbus/000/abcd/xhr_send", FOREIGN)).statusCode()).isEqualTo(403);
    assertThat(alice.send(HttpRequest.newBuilder(URI.create(base + "/eventbus/info")).header("Origin", FOREIGN)
        .GET()).statusCode()).isEqualTo(403);
    // the allowed origin works on both
    assertThat(alice.send(xhr("/eventbus/000/efgh/xhr", origin)).statusCode()).isEqualTo(200);
    SockJsClient ok = await(SockJsClient.connect(vertx, gateway.httpPort(), alice.sessionCookie(), origin, 0));
    until("open frame", ok::opened);
    await(ok.close());
  }

  private HttpRequest.Builder xhr(String path, String from) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Origin", from)
        .POST(HttpRequest.BodyPublishers.ofString("[\"{\\\"type\\\":\\\"ping\\\"}\"]"));
  }

  @Test
  void browsersMayOnlyRegisterOnTheirOwnAllowedAddresses() {
    SockJsClient c = await(SockJsClient.connect(vertx, gateway.httpPort(), alice.sessionCookie(), origin, 0));
    until("open", c::opened);
    await(c.register("market.trade.BTCUSDT"));
    until("a trade", () -> c.received("rec").size() >= 1);
    JsonObject rec = c.received("rec").get(0);
    assertThat(rec.getString("address")).isEqualTo("market.trade.BTCUSDT");
    assertThat(rec.getJsonObject("body").getString("symbol")).isEqualTo("BTCUSDT");

    await(c.register("alerts.alice"));
    await(c.register("market.status"));
    await(c.register("market.candle.BTCUSDT.5m"));
    for (String forbidden : List.of("alerts.bob", "market.candle.BTCUSDT.1h", "market.trade.DOGEUSDT",
        "persistence.users.find", "upstream.status")) {
      await(c.register(forbidden));
    }
    await(c.send(new JsonObject().put("type", "send").put("address", "persistence.users.find")
        .put("body", new JsonObject().put("username", "bob")).put("replyAddress", "x")));
    await(c.send(new JsonObject().put("type", "publish").put("address", "market.trade.BTCUSDT")
        .put("body", new JsonObject().put("price", "1"))));
    until("7 refusals", () -> c.received("err").size() >= 7);
    assertThat(c.received("err")).extracting(e -> e.getString("body")).containsOnly("access_denied").hasSize(7);
    assertThat(c.received("rec")).noneMatch(m -> m.getString("address").equals("alerts.bob"));
    await(c.writeRaw("[\"not json\"]"));
    until("invalid json answered", () -> c.received("err").stream()
        .anyMatch(e -> e.getString("body").equals("invalid_json")));
    await(c.close());
  }

  @Test
  void theXhrStreamingTransportDeliversToo() throws Exception {
    String session = "/eventbus/000/xs" + System.nanoTime() % 100_000;
    HttpResponse<java.io.InputStream> stream = alice.sendStreaming(xhr(session + "/xhr_streaming", origin)
        .POST(HttpRequest.BodyPublishers.noBody()));
    java.util.concurrent.BlockingQueue<String> frames = new java.util.concurrent.LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(stream.body()))) {
        String line;
        while ((line = lines.readLine()) != null) {
          frames.add(line);
        }
      } catch (java.io.IOException ignored) {
        // the stream ends with the test
      }
    }, "xhr-streaming-reader");
    reader.setDaemon(true);
    reader.start();
    List<JsonObject> got = new java.util.ArrayList<>();
    until("the open frame", () -> drain(frames, got) && frames.isEmpty() && opened[0]);
    HttpResponse<String> sent = alice.send(HttpRequest.newBuilder(URI.create(base + session + "/xhr_send"))
        .header("Origin", origin).POST(HttpRequest.BodyPublishers.ofString(new JsonArray()
            .add(new JsonObject().put("type", "register").put("address", "market.trade.BTCUSDT").encode())
            .add(new JsonObject().put("type", "register").put("address", "alerts.bob").encode()).encode())));
    assertThat(sent.statusCode()).isEqualTo(204);
    until("a trade and a refusal by XHR streaming", () -> drain(frames, got)
        && got.stream().anyMatch(m -> "rec".equals(m.getString("type")))
        && got.stream().anyMatch(m -> "err".equals(m.getString("type"))));
    assertThat(got.stream().filter(m -> "rec".equals(m.getString("type"))))
        .allMatch(m -> m.getString("address").equals("market.trade.BTCUSDT"));
    assertThat(got.stream().filter(m -> "err".equals(m.getString("type"))).findFirst().orElseThrow()
        .getString("body")).isEqualTo("access_denied");
    stream.body().close();
  }

  private final boolean[] opened = {false};

  /** Moves the SockJS frames read so far into {@code got}; true (so it can be chained in a condition). */
  private boolean drain(java.util.concurrent.BlockingQueue<String> frames, List<JsonObject> got) {
    String f;
    while ((f = frames.poll()) != null) {
      if (f.equals("o")) {
        opened[0] = true;
      } else if (f.startsWith("a")) {
        new JsonArray(f.substring(1)).forEach(m -> got.add(new JsonObject((String) m)));
      }
    }
    return true;
  }

  @Test
  void framesOver64KbAreRefused() {
    SockJsClient c = await(SockJsClient.connect(vertx, gateway.httpPort(), alice.sessionCookie(), origin, 0));
    until("open", c::opened);
    c.writeRaw("[\"" + "x".repeat(70 * 1024) + "\"]");
    until("closed", c::closed);
    HttpResponse<String> big = alice.send(HttpRequest.newBuilder(URI.create(base + "/eventbus/000/big1/xhr_send"))
        .header("Origin", origin).POST(HttpRequest.BodyPublishers.ofString("[\"" + "x".repeat(70 * 1024)
            + "\"]")));
    assertThat(big.statusCode()).isEqualTo(413);
    await(c.close());
  }

  @Test
  void alertsApiKeepsOneAlertPerSymbolPerUser() {
    HttpResponse<String> noToken = alice.send(HttpRequest.newBuilder(URI.create(base + "/api/alerts"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"symbol\":\"ETHUSDT\",\"price\":\"1\"}")));
    assertThat(noToken.statusCode()).isEqualTo(403);
    HttpResponse<String> put = alice.postJson("/api/alerts", new JsonObject().put("symbol", "ethusdt")
        .put("price", "2999.50"));
    assertThat(put.statusCode()).isEqualTo(200);
    JsonObject stored = new JsonObject(put.body());
    assertThat(stored.getString("symbol")).isEqualTo("ETHUSDT");
    assertThat(stored.getString("price")).isEqualTo("2999.5");
    JsonObject replaced = new JsonObject(alice.postJson("/api/alerts", new JsonObject().put("symbol", "ETHUSDT")
        .put("price", "3100")).body());
    assertThat(replaced.getLong("id")).isEqualTo(stored.getLong("id"));
    JsonArray list = alice.getArray("/api/alerts");
    assertThat(list.stream().filter(a -> ((JsonObject) a).getString("symbol").equals("ETHUSDT")))
        .singleElement().satisfies(a -> assertThat(((JsonObject) a).getString("price")).isEqualTo("3100"));
    assertThat(bob.getArray("/api/alerts").stream().noneMatch(a -> ((JsonObject) a).getString("symbol")
        .equals("ETHUSDT") && ((JsonObject) a).getLong("id").equals(stored.getLong("id")))).isTrue();

    assertThat(error(alice.postJson("/api/alerts", new JsonObject().put("symbol", "ETHUSDT").put("price", "-1"))))
        .isEqualTo(400);
    assertThat(alice.postJson("/api/alerts", new JsonObject().put("symbol", "ETHUSDT").put("price", "abc")).body())
        .contains("price");
    assertThat(alice.postJson("/api/alerts", new JsonObject().put("symbol", "NOPE").put("price", "1")).body())
        .contains("symbol");
    assertThat(bob.delete("/api/alerts/" + stored.getLong("id")).statusCode()).as("not bob's").isEqualTo(404);
    assertThat(alice.delete("/api/alerts/x").statusCode()).isEqualTo(400);
    assertThat(alice.delete("/api/alerts/" + stored.getLong("id")).statusCode()).isEqualTo(204);
    assertThat(alice.getArray("/api/alerts").stream().noneMatch(a -> ((JsonObject) a).getString("symbol")
        .equals("ETHUSDT"))).isTrue();
  }

  private static int error(HttpResponse<String> r) {
    assertThat(new JsonObject(r.body()).getString("error")).isNotBlank();
    return r.statusCode();
  }

  @Test
  void anAlertFiresOnceOnItsUsersAddressOnly() {
    SockJsClient a = await(SockJsClient.connect(vertx, gateway.httpPort(), alice.sessionCookie(), origin, 0));
    SockJsClient b = await(SockJsClient.connect(vertx, gateway.httpPort(), bob.sessionCookie(), origin, 0));
    until("both open", () -> a.opened() && b.opened());
    await(a.register("alerts.alice"));
    await(b.register("alerts.bob"));
    await(a.register("market.trade.BTCUSDT"));
    until("trades", () -> !a.received("rec").isEmpty());
    assertThat(alice.postJson("/api/alerts", new JsonObject().put("symbol", "BTCUSDT").put("price", "0.01"))
        .statusCode()).isEqualTo(200);
    until("alice's alert fired", () -> a.received("rec").stream()
        .anyMatch(m -> m.getString("address").equals("alerts.alice")));
    JsonObject firing = a.received("rec").stream().filter(m -> m.getString("address").equals("alerts.alice"))
        .findFirst().orElseThrow().getJsonObject("body");
    assertThat(firing.getString("symbol")).isEqualTo("BTCUSDT");
    assertThat(firing.getString("price")).isEqualTo("0.01");
    assertThat(firing.getString("state")).isEqualTo("above");
    long trades = a.received("rec").stream().filter(m -> m.getString("address").startsWith("market.trade")).count();
    until("more trades", () -> a.received("rec").stream()
        .filter(m -> m.getString("address").startsWith("market.trade")).count() > trades + 5);
    assertThat(a.received("rec").stream().filter(m -> m.getString("address").equals("alerts.alice")))
        .as("once per crossing, not per trade").hasSize(1);
    assertThat(b.received("rec")).isEmpty();
    await(a.close());
    await(b.close());
  }

  @Test
  void marketsMarkWhatTheUserHasNotSeenBefore() {
    HttpSession carol = HttpSession.login(base, "alice", TestUsers.PASSWORD);
    JsonArray first = carol.getArray("/api/markets");
    JsonArray second = carol.getArray("/api/markets");
    assertThat(first).isNotEmpty();
    assertThat(first.stream().map(o -> ((JsonObject) o).getString("symbol"))).contains("BTCUSDT", "ETHUSDT");
    assertThat(second.size()).isEqualTo(first.size());
    assertThat(second.stream().noneMatch(o -> ((JsonObject) o).getBoolean("new"))).isTrue();
    JsonObject btc = first.stream().map(o -> (JsonObject) o).filter(o -> o.getString("symbol").equals("BTCUSDT"))
        .findFirst().orElseThrow();
    assertThat(btc.fieldNames()).contains("symbol", "status", "baseAsset", "quoteAsset", "new");
  }
}
