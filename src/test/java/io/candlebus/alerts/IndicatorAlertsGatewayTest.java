package io.candlebus.alerts;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Gateway;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.candlebus.testing.HttpSession;
import io.candlebus.testing.RsiLevels;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * RSI(2) alerts through a gateway on a simulator running a minute per 2 s, at the median of its recent values (a
 * level it crosses every few candles): the firings on {@code alerts.<user>} are
 * exactly the crossings {@code /api/indicators} shows between consecutive closed candles, each once; another user
 * hears none of them; bad input gets 400 naming the field.
 */
@ExtendWith(VertxExtension.class)
class IndicatorAlertsGatewayTest {
  private static final Duration PATIENCE = Duration.ofSeconds(150);

  @Test
  void firingsAreExactlyTheCrossingsOfClosedCandlesEachOnce(Vertx vertx, @TempDir Path dir) throws Exception {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT", "ETHUSDT")
        .withSpeed(30).withRate(4).withHistoryMinutes(600));
    await(vertx.deployVerticle(sim));
    String db = TestPostgres.newDatabaseUrl();
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir,
        Map.of("CANDLEBUS_INTERVALS", "1m", "CANDLEBUS_HISTORY_LIMIT", "600"))));
    await(g.backfillDone());
    TestUsers.create(vertx, db, "alice");
    TestUsers.create(vertx, db, "bob");
    String base = "http://127.0.0.1:" + g.httpPort();
    HttpSession alice = HttpSession.login(base, "alice", TestUsers.PASSWORD);
    HttpSession bob = HttpSession.login(base, "bob", TestUsers.PASSWORD);
    SockJsClient aliceBrowser = await(SockJsClient.connect(vertx, g.httpPort(), alice.sessionCookie(),
        "http://localhost:" + g.httpPort(), 0));
    SockJsClient bobBrowser = await(SockJsClient.connect(vertx, g.httpPort(), bob.sessionCookie(),
        "http://localhost:" + g.httpPort(), 0));
    await(aliceBrowser.register("alerts.alice"));
    await(aliceBrowser.register("market.candle.BTCUSDT.1m"));
    await(bobBrowser.register("alerts.bob"));

    // a level RSI crosses often, both ways: the median of its recent values
    BigDecimal level = RsiLevels.recentMedian(alice, "BTCUSDT", 2);
    HttpResponse<String> created = alice.postJson("/api/alerts/indicators", new JsonObject().put("symbol", "btcusdt")
        .put("interval", "1m").put("name", "rsi").put("period", 2).put("above", level.toPlainString())
        .put("below", level.setScale(Math.max(level.scale(), 0) + 1).toPlainString())); // "48.370": a trailing 0
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    JsonObject alert = new JsonObject(created.body());
    assertThat(alert.getString("above")).isEqualTo(level.toPlainString());
    assertThat(alert.getString("below")).as("normalised").isEqualTo(level.toPlainString());
    assertThat(alice.getArray("/api/alerts/indicators")).containsExactly(alert);

    Await.until(vertx, PATIENCE, "two RSI firings", () -> Future.succeededFuture(firings(aliceBrowser).size() >= 2));
    long lastClosed = closedTimes(aliceBrowser).stream().mapToLong(Long::longValue).max().orElseThrow();
    // every candle up to lastClosed evaluated: its firing, if any, has had time to arrive once the next closes
    Await.until(vertx, PATIENCE, "the next candle closed", () -> Future.succeededFuture(
        closedTimes(aliceBrowser).stream().anyMatch(t -> t > lastClosed + 60_000)));
    List<JsonObject> fired = firings(aliceBrowser);
    long first = fired.get(0).getLong("time");

    JsonArray rsi = alice.getArray("/api/indicators?symbol=BTCUSDT&interval=1m&name=rsi&period=2&startTime="
        + (first - 60_000) + "&endTime=" + lastClosed);
    List<String> expected = new ArrayList<>();
    for (int i = 1; i < rsi.size(); i++) {
      BigDecimal previous = new BigDecimal(rsi.getJsonObject(i - 1).getString("value"));
      BigDecimal value = new BigDecimal(rsi.getJsonObject(i).getString("value"));
      long time = rsi.getJsonObject(i).getLong("time");
      if (previous.compareTo(level) <= 0 && value.compareTo(level) > 0) {
        expected.add(time + " above " + previous.toPlainString() + " " + value.toPlainString());
      } else if (previous.compareTo(level) >= 0 && value.compareTo(level) < 0) {
        expected.add(time + " below " + previous.toPlainString() + " " + value.toPlainString());
      }
    }
    List<String> got = fired.stream().filter(f -> f.getLong("time") <= lastClosed)
        .map(f -> f.getLong("time") + " " + f.getString("direction") + " " + f.getString("previous") + " "
            + f.getString("value")).toList();
    assertThat(got).isNotEmpty().containsExactlyElementsOf(expected);
    assertThat(fired).allSatisfy(f -> {
      assertThat(f.getString("kind")).isEqualTo("rsi");
      assertThat(f.getLong("id")).isEqualTo(alert.getLong("id"));
      assertThat(f.getString("symbol")).isEqualTo("BTCUSDT");
      assertThat(f.getString("level")).isEqualTo(level.toPlainString());
    });
    Set<String> once = new HashSet<>();
    assertThat(fired).allSatisfy(f -> assertThat(once.add(f.getLong("time") + f.getString("direction"))).isTrue());
    assertThat(firings(bobBrowser)).isEmpty();

    // deleted: nothing more fires
    assertThat(alice.delete("/api/alerts/indicators/" + alert.getLong("id")).statusCode()).isEqualTo(204);
    assertThat(alice.delete("/api/alerts/indicators/" + alert.getLong("id")).statusCode()).isEqualTo(404);
    assertThat(alice.getArray("/api/alerts/indicators")).isEmpty();
    await(g.close());
  }

  @Test
  void badInputIsRefusedNamingTheField(Vertx vertx, @TempDir Path dir) throws Exception {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT")
        .withHistoryMinutes(5));
    await(vertx.deployVerticle(sim));
    String db = TestPostgres.newDatabaseUrl();
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir, Map.of("CANDLEBUS_INTERVALS", "1m"))));
    TestUsers.create(vertx, db, "alice");
    HttpSession alice = HttpSession.login("http://127.0.0.1:" + g.httpPort(), "alice", TestUsers.PASSWORD);
    JsonObject good = new JsonObject().put("symbol", "BTCUSDT").put("interval", "1m").put("name", "rsi")
        .put("period", 14).put("above", "70").put("below", "30");
    Map<String, JsonObject> bad = Map.of(
        "symbol", good.copy().put("symbol", "SOLUSDT"),
        "interval", good.copy().put("interval", "5m"),
        "name", good.copy().put("name", "macd"),
        "period", good.copy().put("period", 1),
        "above", good.copy().put("above", "100"),
        "below", good.copy().put("below", "80"),
        "colour", good.copy().put("colour", "red"));
    for (Map.Entry<String, JsonObject> e : bad.entrySet()) {
      HttpResponse<String> r = alice.postJson("/api/alerts/indicators", e.getValue());
      assertThat(r.statusCode()).as(e.getKey()).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getString("error")).as(r.body()).startsWith("parameter " + e.getKey());
    }
    JsonObject neither = good.copy();
    neither.remove("above");
    neither.remove("below");
    assertThat(new JsonObject(alice.postJson("/api/alerts/indicators", neither).body()).getString("error"))
        .startsWith("parameter above");
    assertThat(alice.getArray("/api/alerts/indicators")).isEmpty();

    // at most 50 per user; replacing one of them is not one more
    int max = 50;
    for (int p = 2; p < 2 + max; p++) {
      assertThat(alice.postJson("/api/alerts/indicators", good.copy().put("period", p)).statusCode())
          .as("alert " + p).isEqualTo(200);
    }
    assertThat(alice.postJson("/api/alerts/indicators", good.copy().put("period", 2 + max)).statusCode())
        .isEqualTo(409);
    assertThat(alice.postJson("/api/alerts/indicators", good.copy().put("period", 2).put("above", "75"))
        .statusCode()).isEqualTo(200);
    assertThat(alice.getArray("/api/alerts/indicators")).hasSize(max);
    await(g.close());
  }

  private static List<JsonObject> firings(SockJsClient c) {
    return c.received("rec").stream().filter(m -> m.getString("address").startsWith("alerts."))
        .map(m -> m.getJsonObject("body")).filter(b -> "rsi".equals(b.getString("kind"))).toList();
  }

  private static List<Long> closedTimes(SockJsClient c) {
    return c.received("rec").stream().filter(m -> m.getString("address").startsWith("market.candle."))
        .map(m -> m.getJsonObject("body")).filter(b -> b.getBoolean("closed")).map(b -> b.getLong("openTime"))
        .toList();
  }
}
