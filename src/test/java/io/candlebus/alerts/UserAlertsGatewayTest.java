package io.candlebus.alerts;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert list of issue 13 through a gateway on the simulator: crossing alerts at levels around the price fire on
 * exactly the trades that cross them (after a cooldown, or once), each published once to its user only and stored
 * in the history; the REST routes refuse bad input naming the field, keep to 200 alerts, and keep the old
 * minimum-price API working beside them.
 */
@ExtendWith(VertxExtension.class)
class UserAlertsGatewayTest {
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final long COOLDOWN_MS = 1_000;
  /** The limit per user, written out so that a change of it shows here. */
  private static final int MAX_ALERTS = 200;

  @Test
  void crossingAlertsFireOnExactlyTheTradesThatCrossTheirLevels(Vertx vertx, @TempDir Path dir) throws Exception {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT").withRate(20)
        .withHistoryMinutes(5));
    await(vertx.deployVerticle(sim));
    String db = TestPostgres.newDatabaseUrl();
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir, Map.of("CANDLEBUS_INTERVALS", "1m"))));
    TestUsers.create(vertx, db, "alice", "bob");
    String base = "http://127.0.0.1:" + g.httpPort();
    HttpSession alice = HttpSession.login(base, "alice", TestUsers.PASSWORD);
    HttpSession bob = HttpSession.login(base, "bob", TestUsers.PASSWORD);
    SockJsClient aliceBrowser = await(SockJsClient.connect(vertx, g.httpPort(), alice.sessionCookie(),
        "http://localhost:" + g.httpPort(), 0));
    SockJsClient bobBrowser = await(SockJsClient.connect(vertx, g.httpPort(), bob.sessionCookie(),
        "http://localhost:" + g.httpPort(), 0));
    await(aliceBrowser.register("alerts.alice"));
    await(aliceBrowser.register("market.trade.BTCUSDT"));
    await(bobBrowser.register("alerts.bob"));
    Await.until(vertx, PATIENCE, "a trade", () -> Future.succeededFuture(!trades(aliceBrowser).isEmpty()));
    BigDecimal last = new BigDecimal(trades(aliceBrowser).get(0).getString("price"));

    // levels a quarter apart around the price: the walk (steps up to 0.50) crosses some of them often
    Map<Long, JsonObject> every = new LinkedHashMap<>();
    for (int k = -6; k <= 6; k++) {
      BigDecimal level = last.add(BigDecimal.valueOf(k * 25L, 2));
      JsonObject a = created(alice.postJson("/api/alerts", new JsonObject().put("kind", "crossing_up")
          .put("symbol", "btcusdt").put("level", level.toPlainString()).put("frequency", "every")
          .put("cooldown", "1s").put("note", "up through " + level.toPlainString()).put("sound", "chime")));
      every.put(a.getLong("id"), a);
    }
    JsonObject once = created(alice.postJson("/api/alerts", new JsonObject().put("kind", "crossing_down")
        .put("symbol", "BTCUSDT").put("level", last.toPlainString()).put("frequency", "once")));
    assertThat(once.getString("state")).isEqualTo("active");
    assertThat(once.getString("sound")).isEqualTo("beep");

    Await.until(vertx, PATIENCE, "the once alert and 10 crossing-up firings", () -> Future.succeededFuture(
        firings(aliceBrowser).stream().anyMatch(f -> f.getLong("alertId").equals(once.getLong("id")))
            && firings(aliceBrowser).size() >= 11));
    // every trade up to this one has been evaluated once the next firing or two seconds of trades have passed
    long checkedUpTo = trades(aliceBrowser).get(trades(aliceBrowser).size() - 1).getLong("time");
    Await.until(vertx, PATIENCE, "trades two seconds on", () -> Future.succeededFuture(trades(aliceBrowser).stream()
        .anyMatch(t -> t.getLong("time") > checkedUpTo + 2_000)));
    List<JsonObject> trades = trades(aliceBrowser);
    List<JsonObject> fired = firings(aliceBrowser);

    for (JsonObject a : every.values()) {
      List<JsonObject> mine = fired.stream().filter(f -> f.getLong("alertId").equals(a.getLong("id"))).toList();
      if (mine.isEmpty()) {
        continue;
      }
      BigDecimal level = new BigDecimal(a.getString("level"));
      // from its first firing on, each crossing trade fires once the cooldown since the last firing has passed
      List<String> expected = new ArrayList<>();
      long rearm = Long.MIN_VALUE;
      for (int i = 1; i < trades.size(); i++) {
        JsonObject t = trades.get(i);
        long time = t.getLong("time");
        if (time < mine.get(0).getLong("time") || time > checkedUpTo) {
          continue;
        }
        BigDecimal before = new BigDecimal(trades.get(i - 1).getString("price"));
        BigDecimal price = new BigDecimal(t.getString("price"));
        if (before.compareTo(level) < 0 && price.compareTo(level) >= 0 && time >= rearm) {
          expected.add(time + " " + t.getLong("tradeId") + " " + price.toPlainString());
          rearm = time + COOLDOWN_MS;
        }
      }
      assertThat(mine.stream().filter(f -> f.getLong("time") <= checkedUpTo).map(f -> f.getLong("time") + " "
          + f.getString("id").substring(f.getString("id").lastIndexOf('-') + 1) + " " + f.getString("price")))
          .as("firings of crossing_up %s", level).containsExactlyElementsOf(expected);
      assertThat(mine).allSatisfy(f -> {
        assertThat(f.getString("kind")).isEqualTo("crossing_up");
        assertThat(f.getString("level")).isEqualTo(level.toPlainString());
        assertThat(f.getString("note")).isEqualTo("up through " + level.toPlainString());
        assertThat(f.getString("sound")).isEqualTo("chime");
        assertThat(f.getBoolean("done")).isFalse();
      });
    }
    List<JsonObject> down = fired.stream().filter(f -> f.getLong("alertId").equals(once.getLong("id"))).toList();
    assertThat(down).hasSize(1);
    assertThat(down.get(0).getBoolean("done")).isTrue();
    BigDecimal level = new BigDecimal(once.getString("level"));
    int at = indexOf(trades, down.get(0).getLong("time"), down.get(0).getString("price"));
    assertThat(new BigDecimal(trades.get(at - 1).getString("price"))).as("the trade before").isGreaterThan(level);
    assertThat(new BigDecimal(down.get(0).getString("price"))).isLessThanOrEqualTo(level);

    // stored: the history is what was published, newest first, each firing once
    Set<String> ids = new HashSet<>();
    fired.forEach(f -> assertThat(ids.add(f.getString("id"))).as("published once: " + f).isTrue());
    JsonArray history = alice.getArray("/api/alerts/history?limit=1000");
    Map<String, JsonObject> stored = new HashMap<>();
    history.forEach(o -> stored.put(((JsonObject) o).getString("id"), (JsonObject) o));
    assertThat(stored.keySet()).containsAll(ids);
    for (int i = 1; i < history.size(); i++) {
      assertThat(history.getJsonObject(i - 1).getLong("time")).isGreaterThanOrEqualTo(history.getJsonObject(i)
          .getLong("time"));
    }
    JsonObject h = stored.get(down.get(0).getString("id"));
    assertThat(h.getString("price")).isEqualTo(down.get(0).getString("price"));
    assertThat(h.getString("kind")).isEqualTo("crossing_down");
    assertThat(h.getString("webhook")).isEqualTo("none");
    JsonObject after = alice.getArray("/api/alerts").stream().map(JsonObject.class::cast)
        .filter(a -> a.getLong("id").equals(once.getLong("id"))).findFirst().orElseThrow();
    assertThat(after.getString("state")).isEqualTo("done");
    assertThat(after.getLong("lastFired")).isEqualTo(down.get(0).getLong("time"));
    assertThat(firings(bobBrowser)).isEmpty();
    assertThat(bob.getArray("/api/alerts/history")).isEmpty();
    await(g.close());
  }

  @Test
  void routesRefuseBadInputNamingTheFieldAndKeepTheMinimumPriceApi(Vertx vertx, @TempDir Path dir)
      throws Exception {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT", "ETHUSDT")
        .withHistoryMinutes(5));
    await(vertx.deployVerticle(sim));
    String db = TestPostgres.newDatabaseUrl();
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir, Map.of("CANDLEBUS_INTERVALS", "1m"))));
    TestUsers.create(vertx, db, "alice", "bob");
    String base = "http://127.0.0.1:" + g.httpPort();
    HttpSession alice = HttpSession.login(base, "alice", TestUsers.PASSWORD);
    HttpSession bob = HttpSession.login(base, "bob", TestUsers.PASSWORD);

    JsonObject good = new JsonObject().put("kind", "price_above").put("symbol", "BTCUSDT").put("level", "60000");
    Map<String, JsonObject> bad = new LinkedHashMap<>();
    bad.put("kind", good.copy().put("kind", "sideways"));
    bad.put("symbol", good.copy().put("symbol", "DOGEUSDT"));
    bad.put("level", good.copy().put("level", "-1"));
    bad.put("percent", good.copy().put("kind", "change_pct").put("percent", "0").put("window", "1h")
        .putNull("level"));
    bad.put("window", good.copy().put("kind", "change_pct").put("percent", "2").put("window", "25h")
        .putNull("level"));
    bad.put("frequency", good.copy().put("frequency", "twice"));
    bad.put("cooldown", good.copy().put("frequency", "every").put("cooldown", "soon"));
    bad.put("bar", good.copy().put("frequency", "once_per_bar").put("bar", "7m"));
    bad.put("expires", good.copy().put("expires", 1_000));
    bad.put("note", good.copy().put("note", "x".repeat(251)));
    bad.put("sound", good.copy().put("sound", "trumpet"));
    bad.put("colour", good.copy().put("colour", "red"));
    for (Map.Entry<String, JsonObject> e : bad.entrySet()) {
      HttpResponse<String> r = alice.postJson("/api/alerts", e.getValue());
      assertThat(r.statusCode()).as(e.getKey() + ": " + r.body()).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getString("error")).as(r.body()).startsWith("parameter " + e.getKey());
    }

    // the old API: a minimum price per symbol, listed with its kind beside the others
    HttpResponse<String> minimum = alice.postJson("/api/alerts", new JsonObject().put("symbol", "ETHUSDT")
        .put("price", "2900.50"));
    assertThat(minimum.statusCode()).as(minimum.body()).isEqualTo(200);
    JsonObject min = new JsonObject(minimum.body());
    assertThat(min.getString("price")).isEqualTo("2900.5");
    JsonObject pct = created(alice.postJson("/api/alerts", new JsonObject().put("kind", "change_pct")
        .put("symbol", "ETHUSDT").put("percent", "-3").put("window", "15m").put("frequency", "once_per_bar")
        .put("bar", "1h").put("expires", System.currentTimeMillis() + 86_400_000L).put("note", "dip")));
    assertThat(pct.getString("percent")).isEqualTo("-3");
    assertThat(pct.getLong("window")).isEqualTo(900_000L);
    assertThat(pct.getString("bar")).isEqualTo("1h");
    JsonArray list = alice.getArray("/api/alerts");
    assertThat(list).hasSize(2);
    assertThat(list.getJsonObject(0)).isEqualTo(min.copy().put("kind", "minimum"));
    assertThat(list.getJsonObject(1)).isEqualTo(pct);
    assertThat(bob.getArray("/api/alerts")).isEmpty();

    // PUT: what GET shows can be sent back changed; pausing; not another user's
    JsonObject paused = pct.copy().put("paused", true).put("note", "dip, paused");
    HttpResponse<String> put = alice.putJson("/api/alerts/" + pct.getLong("id"), paused);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(new JsonObject(put.body()).getString("state")).isEqualTo("paused");
    assertThat(new JsonObject(put.body()).getString("note")).isEqualTo("dip, paused");
    assertThat(bob.putJson("/api/alerts/" + pct.getLong("id"), paused).statusCode()).isEqualTo(404);
    assertThat(alice.putJson("/api/alerts/" + pct.getLong("id"), paused.copy().put("window", "0m")).statusCode())
        .isEqualTo(400);
    assertThat(alice.putJson("/api/alerts/x", paused).statusCode()).isEqualTo(400);

    // history and webhook parameters
    assertThat(alice.get("/api/alerts/history?limit=0").statusCode()).isEqualTo(400);
    assertThat(new JsonObject(alice.get("/api/alerts/history?before=soon").body()).getString("error"))
        .startsWith("parameter before");
    for (String url : List.of("http://example.com/hook", "ftp://127.0.0.1/x", "https://", "not a url")) {
      HttpResponse<String> r = alice.putJson("/api/alerts/webhook", new JsonObject().put("url", url));
      assertThat(r.statusCode()).as(url).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getString("error")).startsWith("parameter url");
    }
    assertThat(alice.putJson("/api/alerts/webhook", new JsonObject().put("url", "https://hooks.example.com/a"))
        .statusCode()).isEqualTo(200);
    assertThat(new JsonObject(alice.get("/api/alerts/webhook").body()).getString("url"))
        .isEqualTo("https://hooks.example.com/a");
    assertThat(new JsonObject(bob.get("/api/alerts/webhook").body()).getString("url")).isNull();
    assertThat(alice.delete("/api/alerts/webhook").statusCode()).isEqualTo(204);
    assertThat(new JsonObject(alice.get("/api/alerts/webhook").body()).getString("url")).isNull();

    // at most 200 of both lists
    for (int i = 2; i < MAX_ALERTS; i++) {
      assertThat(alice.postJson("/api/alerts", good.copy().put("level", String.valueOf(60_000 + i))).statusCode())
          .as("alert " + i).isEqualTo(201);
    }
    HttpResponse<String> full = alice.postJson("/api/alerts", good);
    assertThat(full.statusCode()).as(full.body()).isEqualTo(409);
    assertThat(alice.getArray("/api/alerts")).hasSize(MAX_ALERTS);

    // DELETE takes either kind, only the user's own
    assertThat(bob.delete("/api/alerts/" + min.getLong("id")).statusCode()).isEqualTo(404);
    assertThat(alice.delete("/api/alerts/" + min.getLong("id")).statusCode()).isEqualTo(204);
    assertThat(alice.delete("/api/alerts/" + pct.getLong("id")).statusCode()).isEqualTo(204);
    assertThat(alice.delete("/api/alerts/" + pct.getLong("id")).statusCode()).isEqualTo(404);
    assertThat(alice.getArray("/api/alerts")).hasSize(MAX_ALERTS - 2);
    assertThat(alice.postJson("/api/alerts", good).statusCode()).isEqualTo(201);
    await(g.close());
  }

  static JsonObject created(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body());
  }

  private static int indexOf(List<JsonObject> trades, long time, String price) {
    for (int i = 0; i < trades.size(); i++) {
      if (trades.get(i).getLong("time") == time && trades.get(i).getString("price").equals(price)) {
        return i;
      }
    }
    throw new AssertionError("no trade at " + time + " " + price);
  }

  static List<JsonObject> trades(SockJsClient c) {
    return bodies(c, "market.trade.");
  }

  /** The firings of the alert list (not minimum prices, not RSI, not webhook outcomes). */
  static List<JsonObject> firings(SockJsClient c) {
    return bodies(c, "alerts.").stream().filter(b -> b.getValue("alertId") != null
        && !"webhook".equals(b.getString("kind"))).toList();
  }

  static List<JsonObject> bodies(SockJsClient c, String prefix) {
    return c.received("rec").stream().filter(m -> m.getString("address").startsWith(prefix))
        .map(m -> m.getJsonObject("body")).toList();
  }
}
