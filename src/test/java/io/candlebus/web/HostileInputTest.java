package io.candlebus.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.testing.GatewayFixture;
import io.candlebus.testing.HttpSession;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What took a node down or answered 500 before the one input rule, sent as a hostile user would: decimals with
 * huge exponents, full-width and Arabic digits, a number beyond any range, times beyond the year 9999, a NUL in
 * text. Each is a 400 naming the field, at once, and a hundred of the worst leave the heap where it was.
 */
@ExtendWith(VertxExtension.class)
class HostileInputTest {
  /** What "at once" means here: no parse of the value, no allocation that grows with it. */
  private static final long AT_ONCE_MS = 50;

  private record Case(String method, String path, String body, String field) {}

  private static Case get(String path, String field, String... params) {
    StringBuilder query = new StringBuilder(path);
    for (int i = 0; i < params.length; i += 2) {
      query.append(i == 0 ? '?' : '&').append(params[i]).append('=')
          .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
    }
    return new Case("GET", query.toString(), null, field);
  }

  private static Case post(String path, String body, String field) {
    return new Case("POST", path, body, field);
  }

  private static Case put(String path, String body, String field) {
    return new Case("PUT", path, body, field);
  }

  private static String minimum(String price) {
    return "{\"symbol\":\"ETHUSDT\",\"price\":\"" + price + "\"}";
  }

  private static String crossing(String extra) {
    return "{\"kind\":\"crossing_up\",\"symbol\":\"BTCUSDT\",\"level\":\"1\"," + extra + "}";
  }

  private static final String CANDLES = "/api/candles";
  private static final List<Case> CASES = List.of(
      post("/api/alerts", minimum("1e-16383"), "price"),
      post("/api/alerts", minimum("1e-16384"), "price"),
      post("/api/alerts", minimum("1e-50000000"), "price"),
      post("/api/alerts", minimum("1e-999999999"), "price"),
      post("/api/alerts", minimum("１"), "price"),
      post("/api/alerts", minimum("٤٩٠٠٠"), "price"),
      post("/api/alerts", "{\"kind\":\"crossing_up\",\"symbol\":\"BTCUSDT\",\"level\":\"1e-999999999\"}", "level"),
      post("/api/alerts", crossing("\"frequency\":\"every\",\"cooldown\":1e400"), "cooldown"),
      post("/api/alerts", crossing("\"expires\":1e400"), "expires"),
      post("/api/alerts", crossing("\"note\":\"a\\u0000b\""), "note"),
      post("/api/alerts", "{\"kind\":\"change_pct\",\"symbol\":\"BTCUSDT\",\"percent\":\"1e999999999\","
          + "\"window\":\"1h\"}", "percent"),
      put("/api/alerts/１", crossing("\"note\":\"x\""), "id"),
      get(CANDLES, "limit", "symbol", "BTCUSDT", "interval", "1m", "limit", "５"),
      get(CANDLES, "limit", "symbol", "BTCUSDT", "interval", "1m", "limit", "٥"),
      get(CANDLES, "startTime", "symbol", "BTCUSDT", "interval", "1m", "startTime", "9223372036854775807"),
      get(CANDLES, "endTime", "symbol", "BTCUSDT", "interval", "1m", "endTime", "1e12"),
      get("/api/indicators", "k", "symbol", "BTCUSDT", "interval", "1m", "name", "bb", "k", "1e-999999999"),
      get("/api/indicators", "period", "symbol", "BTCUSDT", "interval", "1m", "name", "ema", "period", "１４"),
      put("/api/settings", "{\"indicators\":[{\"name\":\"rsi\",\"period\":\"١٤\"}]}", "indicators[0].period"),
      get("/api/alerts/history", "limit", "limit", "1e3"),
      get("/api/tickers", "limit", "limit", "٥"),
      post("/api/alerts/indicators", "{\"symbol\":\"BTCUSDT\",\"interval\":\"1m\",\"period\":14,"
          + "\"above\":\"1e-999999999\"}", "above"),
      put("/api/alerts/webhook", "{\"url\":\"https://example.com/\\u0000\"}", "url"));

  @Test
  void eachIsA400NamingTheFieldAtOnceAndTheHeapStaysFlat(Vertx vertx) {
    try (GatewayFixture f = GatewayFixture.aGateway(vertx).withSymbols("BTCUSDT", "ETHUSDT").withUsers("alice")
        .start()) {
      HttpSession alice = f.login("alice");
      CASES.forEach(c -> send(alice, c)); // the first of each loads its classes
      List<String> slow = new ArrayList<>();
      for (Case c : CASES) {
        long start = System.nanoTime();
        HttpResponse<String> r = send(alice, c);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.statusCode()).as(c.method() + " " + c.path() + " " + c.body() + ": " + r.body()).isEqualTo(400);
        assertThat(new JsonObject(r.body()).getString("error")).as(c.path()).startsWith("parameter " + c.field());
        if (ms >= AT_ONCE_MS) {
          slow.add(c.path() + " " + c.body() + ": " + ms + " ms");
        }
      }
      assertThat(slow).as("answered in " + AT_ONCE_MS + " ms or more").isEmpty();

      // a NUL in the username of a login, without a session: not a lookup in PostgreSQL (which refuses it)
      HttpResponse<String> login = new HttpSession(f.base()).postJson("/api/login",
          new JsonObject().put("username", "alice\u0000").put("password", "x"));
      assertThat(login.statusCode()).isEqualTo(400);
      assertThat(login.body()).contains("parameter username");

      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      long before = usedAfterGc(memory);
      for (int i = 0; i < 100; i++) {
        send(alice, CASES.get(3));
        send(alice, CASES.get(6));
        send(alice, CASES.get(10));
      }
      long grown = usedAfterGc(memory) - before;
      assertThat(grown).as("heap grown by 300 requests of the worst exponents (bytes)").isLessThan(32L << 20);
      assertThat(f.count(Refusal.METER, "limit", Refusal.BAD_INPUT.label())).isGreaterThanOrEqualTo(300);
      assertThat(alice.get("/api/alerts").body()).isEqualTo("[]");
    }
  }

  private static long usedAfterGc(MemoryMXBean memory) {
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static HttpResponse<String> send(HttpSession s, Case c) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.base() + c.path()));
    if (c.body() == null) {
      return s.send(b.GET());
    }
    b.header("Content-Type", "application/json").header("X-CSRF-Token", s.csrf())
        .method(c.method(), HttpRequest.BodyPublishers.ofString(c.body()));
    return s.send(b);
  }
}
