package io.candlebus.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.testing.GatewayFixture;
import io.candlebus.testing.HttpSession;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every route's query parameters and JSON fields given what a fuzzer gives (wrong types, huge and tiny numbers,
 * unicode digits, control characters, deep nesting, duplicate keys and parameters, bodies that are not JSON):
 * never a 5xx, never a hang, and the node answers {@code /health} and {@code /ready} afterwards. Seeded, so a
 * failure names the request that made it and happens again.
 */
@ExtendWith(VertxExtension.class)
class RouteFuzzTest {
  private static final long SEED = 20261207L;
  private static final int ROUNDS = 60;
  /** Longer than any answer of a healthy node on a loaded box; a request beyond it hung. */
  private static final Duration HANG = Duration.ofSeconds(10);

  /**
   * A route and a request it accepts: query parameters (GET, DELETE) or a JSON object's fields, each value written
   * as raw JSON. The fuzz changes one or two of them, so most requests get past the parts that are right and reach
   * the check (or the statement) of the one that is wrong.
   */
  private record Route(String method, String path, Map<String, String> valid) {}

  private static Map<String, String> fields(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static final String LATER = String.valueOf(4_102_444_800_000L); // 2100
  private static final Map<String, String> CANDLES = fields("symbol", "\"BTCUSDT\"", "interval", "\"1m\"",
      "startTime", "0", "endTime", LATER, "limit", "10");
  private static final Map<String, String> CROSSING = fields("kind", "\"crossing_up\"", "symbol", "\"BTCUSDT\"",
      "level", "\"1\"", "frequency", "\"every\"", "cooldown", "\"5s\"", "expires", LATER, "note", "\"n\"",
      "sound", "\"chime\"", "paused", "false");
  private static final List<Route> ROUTES = List.of(
      new Route("GET", "/api/candles", CANDLES),
      new Route("GET", "/api/candles.csv", CANDLES),
      new Route("GET", "/api/indicators", fields("symbol", "\"BTCUSDT\"", "interval", "\"1m\"", "name", "\"bb\"",
          "period", "20", "k", "\"2.5\"", "limit", "10")),
      new Route("GET", "/api/indicators", fields("symbol", "\"BTCUSDT\"", "interval", "\"5m\"", "name",
          "\"macd\"", "fast", "3", "slow", "5", "signal", "2", "startTime", "0")),
      new Route("GET", "/api/depth", fields("symbol", "\"BTCUSDT\"", "limit", "5")),
      new Route("GET", "/api/tickers", fields("quote", "\"USDT\"", "sort", "\"change\"", "limit", "5", "window",
          "\"24h\"")),
      new Route("GET", "/api/alerts/history", fields("limit", "5", "before", LATER)),
      new Route("GET", "/api/symbols", fields()),
      new Route("GET", "/api/markets", fields()),
      new Route("GET", "/api/alerts", fields()),
      new Route("GET", "/api/alerts/indicators", fields()),
      new Route("GET", "/api/alerts/webhook", fields()),
      new Route("GET", "/api/settings", fields()),
      new Route("GET", "/api/session", fields()),
      new Route("GET", "/metrics", fields()),
      new Route("GET", "/login", fields("error", "1")),
      new Route("POST", "/api/alerts", fields("symbol", "\"ETHUSDT\"", "price", "\"100.5\"")),
      new Route("POST", "/api/alerts", CROSSING),
      new Route("POST", "/api/alerts", fields("kind", "\"change_pct\"", "symbol", "\"BTCUSDT\"", "percent",
          "\"-2.5\"", "window", "\"1h\"", "frequency", "\"once_per_bar\"", "bar", "\"1h\"")),
      new Route("PUT", "/api/alerts/{id}", CROSSING),
      new Route("DELETE", "/api/alerts/{id}", fields()),
      new Route("PUT", "/api/alerts/webhook", fields("url", "\"https://example.com/hook\"")),
      new Route("POST", "/api/alerts/indicators", fields("symbol", "\"BTCUSDT\"", "interval", "\"1m\"", "name",
          "\"rsi\"", "period", "14", "above", "\"70\"", "below", "\"30\"")),
      new Route("DELETE", "/api/alerts/indicators/{id}", fields()),
      new Route("PUT", "/api/settings", fields("symbol", "\"BTCUSDT\"", "interval", "\"1m\"", "indicators",
          "[{\"name\":\"bb\",\"period\":20,\"k\":\"2\"},{\"name\":\"macd\"}]")),
      new Route("POST", "/api/symbols", fields("symbol", "\"ETHUSDT\"")),
      // a name that does not exist: wrong passwords for alice would lock her out for the rest of the run
      new Route("POST", "/api/login", fields("username", "\"mallory\"", "password", "\"wrong\"")));

  /** Values as query parameters and JSON strings. */
  private static final List<String> TEXTS = List.of("", " ", "\u0000", "a\u0000b", "\u0007\u001b[2J", "\u0085",
      "\uD800", "１４", "١٤", "𝟙𝟜", "1e-999999999", "1e400", "-1", "0", "-0", "1.5", "9223372036854775807",
      "9223372036854775808", "-9223372036854775809", "NaN", "Infinity", "0x1F", "14 ", " 14", "1,000", "1_000",
      "btcusdt", "BTCUSDT", "ETHUSDT", "1m", "1M", "rsi", "sma", "bb", "macd", "crossing_up", "change_pct",
      "every", "once_per_bar", "15m", "99999999d", "https://127.0.0.1:1/", "http://[::1]:0/x", "javascript:x",
      "../../etc/passwd", "%00", "<script>alert(1)</script>", "null", "true", "[]", "{}", "🚀".repeat(300),
      "x".repeat(3_000), "9".repeat(400), "0.".concat("0".repeat(300)).concat("1"));
  /** Values as raw JSON: numbers at the edges, other types. */
  private static final List<String> JSON_VALUES = List.of("1e400", "-1e400", "1e-400", "123456789012345678901234567890",
      "-0", "0.1", "14", "14.0", "-5", "true", "false", "null", "[]", "{}", "[1,2,3]", "{\"name\":\"rsi\"}",
      "[{\"name\":\"rsi\",\"period\":1e400}]", "[{\"name\":\"macd\",\"fast\":\"٥\"}]",
      "[" + "{\"name\":\"sma\"},".repeat(30) + "{}]", "\"\\u0000\"", "\"\\ud800\"", "[".repeat(300) + "]".repeat(300));
  /** Whole bodies that are not what a route expects. */
  private static final List<String> RAW_BODIES = List.of("", "not json", "[]", "null", "\"text\"", "1e400",
      "[".repeat(5_000), "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000), "{\"symbol\":\"BTCUSDT\",\"symbol\":7}",
      "{\"kind\":\"crossing_up\",\"kind\":\"change_pct\",\"symbol\":\"BTCUSDT\",\"level\":\"1\"}", "{\"\u0000\":1}",
      "\uFEFF{}", "{} {}", "{\"x\":\"" + "\\".repeat(3_000) + "\"}");

  @Test
  void noRouteAnswers5xxOrHangsWhateverItIsSent(Vertx vertx) throws Exception {
    try (GatewayFixture f = GatewayFixture.aGateway(vertx).withSymbols("BTCUSDT", "ETHUSDT")
        .with("CANDLEBUS_DEPTH_SYMBOLS", "BTCUSDT").with("CANDLEBUS_TICKERS", "true")
        .with("CANDLEBUS_INTERVALS", "1m,5m").withUsers("alice").start()) {
      HttpSession alice = f.login("alice");
      HttpResponse<String> made = alice.postJson("/api/alerts", new JsonObject(body(CROSSING)));
      assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
      String alertId = String.valueOf(new JsonObject(made.body()).getLong("id"));
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      Random random = new Random(SEED);
      Map<Integer, Integer> statuses = new TreeMap<>();
      List<String> bad = new ArrayList<>();
      int sent = 0;
      for (int round = 0; round < ROUNDS; round++) {
        for (Route route : ROUTES) {
          HttpRequest request = request(alice, route, random, alertId);
          int status = send(client, request, bad);
          statuses.merge(status, 1, Integer::sum);
          sent++;
        }
      }
      for (Route route : ROUTES) {
        if (!route.method().equals("GET")) {
          for (String raw : RAW_BODIES) {
            send(client, body(alice, route, raw, pathId(random, alertId)), bad);
            sent++;
          }
        }
      }
      assertThat(bad).as("5xx or no answer within " + HANG + " (of " + sent + " requests; statuses " + statuses
          + ")").isEmpty();
      assertThat(statuses.keySet()).as("the fuzz reached the routes' checks, not only their gates").contains(200, 400);
      assertThat(alice.get("/health").statusCode()).isEqualTo(200);
      assertThat(alice.get("/ready").statusCode()).isEqualTo(200);
      assertThat(alice.get("/api/alerts").statusCode()).isEqualTo(200);
    }
  }

  private static int send(HttpClient client, HttpRequest request, List<String> bad)
      throws IOException, InterruptedException {
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() >= 500) {
        bad.add(r.statusCode() + " " + describe(request) + ": " + r.body());
      }
      return r.statusCode();
    } catch (HttpTimeoutException e) {
      bad.add("no answer: " + describe(request));
      return -1;
    }
  }

  private static String describe(HttpRequest r) {
    return r.method() + " " + r.uri() + r.headers().firstValue("X-Fuzz-Body").map(b -> " body " + b).orElse("");
  }

  /** The route's valid request with one or two values replaced, removed, repeated or added. */
  private static HttpRequest request(HttpSession s, Route route, Random random, String alertId) {
    List<String[]> entries = new ArrayList<>();
    route.valid().forEach((k, v) -> entries.add(new String[] {k, v}));
    int changes = 1 + random.nextInt(2);
    for (int i = 0; i < changes; i++) {
      int what = random.nextInt(10);
      String value = random.nextBoolean() ? pick(JSON_VALUES, random) : new JsonArray().add(pick(TEXTS, random))
          .encode().replaceAll("^\\[|]$", "");
      if (entries.isEmpty() || what == 0) {
        entries.add(new String[] {random.nextBoolean() ? "unknown" : "\u0000", value});
      } else if (what == 1) {
        entries.remove(random.nextInt(entries.size()));
      } else if (what == 2) {
        entries.add(new String[] {entries.get(random.nextInt(entries.size()))[0], value}); // a duplicate
      } else {
        entries.get(random.nextInt(entries.size()))[1] = value;
      }
    }
    String id = pathId(random, alertId);
    if (route.method().equals("GET")) {
      StringBuilder query = new StringBuilder();
      for (String[] e : entries) {
        String v = e[1].startsWith("\"") ? (String) new JsonArray("[" + e[1] + "]").getValue(0) : e[1];
        query.append(query.length() == 0 ? '?' : '&').append(URLEncoder.encode(e[0], StandardCharsets.UTF_8))
            .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
      }
      return HttpRequest.newBuilder(URI.create(s.base() + route.path() + query)).timeout(HANG)
          .header("Cookie", "candlebus.session=" + s.sessionCookie()).GET().build();
    }
    StringBuilder json = new StringBuilder("{");
    for (String[] e : entries) {
      json.append(json.length() > 1 ? "," : "").append(new JsonArray().add(e[0]).encode().replaceAll("^\\[|]$", ""))
          .append(':').append(e[1]);
    }
    return body(s, route, json.append('}').toString(), id);
  }

  private static HttpRequest body(HttpSession s, Route route, String body, String id) {
    String path = route.path().replace("{id}", id);
    String shown = body.length() > 200 ? body.substring(0, 200) + "... (" + body.length() + " chars)" : body;
    return HttpRequest.newBuilder(URI.create(s.base() + path)).timeout(HANG)
        .header("Content-Type", "application/json").header("X-CSRF-Token", s.csrf())
        .header("Cookie", "candlebus.session=" + s.sessionCookie())
        .header("X-Fuzz-Body", URLEncoder.encode(shown, StandardCharsets.UTF_8))
        .method(route.method(), HttpRequest.BodyPublishers.ofString(body)).build();
  }

  /** Already escaped for a path (a full-width one, a NUL); every other time the alert the test made. */
  private static String pathId(Random random, String alertId) {
    return random.nextBoolean() ? alertId
        : pick(List.of("1", "0", "-1", "%EF%BC%91", "9223372036854775808", "abc", "1e3", "%00", "99"), random);
  }

  private static String body(Map<String, String> fields) {
    StringBuilder json = new StringBuilder("{");
    fields.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
    return json.append('}').toString();
  }

  private static <T> T pick(List<T> values, Random random) {
    return values.get(random.nextInt(values.size()));
  }
}
