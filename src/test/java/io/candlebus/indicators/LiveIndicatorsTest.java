package io.candlebus.indicators;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live indicator values over the bridge, from a simulator running a minute per 2 s: each closed candle's value
 * equals what {@code /api/indicators} answers for it, the open candle's values come while it changes, the node
 * computes an indicator only while a browser is registered on it, and only canonical addresses of carried
 * symbols are allowed.
 */
@ExtendWith(VertxExtension.class)
class LiveIndicatorsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @Test
  void liveValuesEqualTheRouteAndAreComputedOnlyWhileWatched(Vertx vertx, @TempDir Path dir) throws Exception {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT", "ETHUSDT")
        .withSpeed(30).withRate(4).withHistoryMinutes(600));
    await(vertx.deployVerticle(sim));
    String db = TestPostgres.newDatabaseUrl();
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir,
        Map.of("CANDLEBUS_INTERVALS", "1m,5m", "CANDLEBUS_HISTORY_LIMIT", "600"))));
    await(g.backfillDone());
    TestUsers.create(vertx, db, "alice");
    HttpSession alice = HttpSession.login("http://127.0.0.1:" + g.httpPort(), "alice", TestUsers.PASSWORD);
    assertThat(feeds(alice)).isZero();

    SockJsClient browser = await(SockJsClient.connect(vertx, g.httpPort(), alice.sessionCookie(),
        "http://localhost:" + g.httpPort(), 0));
    String rsi = "market.indicator.BTCUSDT.1m.rsi:14";
    String bb = "market.indicator.BTCUSDT.1m.bb:20,2.5";
    await(browser.register(rsi));
    await(browser.register(bb));
    Await.until(vertx, PATIENCE, "two closed RSI values and an open one", () -> Future.succeededFuture(
        bodies(browser, rsi).stream().filter(b -> b.getBoolean("closed")).count() >= 2
            && bodies(browser, rsi).stream().anyMatch(b -> !b.getBoolean("closed"))));
    assertThat(feeds(alice)).isEqualTo(2);

    for (JsonObject live : bodies(browser, rsi).stream().filter(b -> b.getBoolean("closed")).toList()) {
      assertThat(live.getString("name")).isEqualTo("rsi:14");
      assertThat(live.getString("value")).isEqualTo(routeValue(alice, "rsi&period=14", live.getLong("time"),
          "value"));
    }
    Await.until(vertx, PATIENCE, "a closed BB value", () -> Future.succeededFuture(
        bodies(browser, bb).stream().anyMatch(b -> b.getBoolean("closed"))));
    JsonObject band = bodies(browser, bb).stream().filter(b -> b.getBoolean("closed")).findFirst().orElseThrow();
    for (String field : List.of("middle", "upper", "lower")) {
      assertThat(band.getString(field)).isNotNull()
          .isEqualTo(routeValue(alice, "bb&period=20&k=2.5", band.getLong("time"), field));
    }

    // a second browser on the same indicator shares its feed; the last to leave ends it
    SockJsClient second = await(SockJsClient.connect(vertx, g.httpPort(), alice.sessionCookie(),
        "http://localhost:" + g.httpPort(), 0));
    await(second.register(rsi));
    await(browser.send(new JsonObject().put("type", "unregister").put("address", rsi)));
    await(browser.send(new JsonObject().put("type", "unregister").put("address", bb)));
    Await.until(vertx, PATIENCE, "one feed left", () -> Future.succeededFuture(feeds(alice) == 1));
    int before = bodies(second, rsi).size();
    Await.until(vertx, PATIENCE, "the second browser still fed", () -> Future.succeededFuture(
        bodies(second, rsi).size() > before));
    await(second.close());
    Await.until(vertx, PATIENCE, "no feed once nobody watches", () -> Future.succeededFuture(feeds(alice) == 0));

    // refused like any address a browser may not register on
    SockJsClient third = await(SockJsClient.connect(vertx, g.httpPort(), alice.sessionCookie(),
        "http://localhost:" + g.httpPort(), 0));
    for (String refused : List.of("market.indicator.BTCUSDT.1m.rsi:014", "market.indicator.SOLUSDT.1m.rsi:14",
        "market.indicator.BTCUSDT.3m.rsi:14", "market.indicator.BTCUSDT.1m.wma:14",
        "market.indicator.BTCUSDT.1m.bb:20,2.50", "market.indicator.BTCUSDT.1m.macd:26,12,9")) {
      await(third.register(refused));
    }
    Await.until(vertx, PATIENCE, "six refusals", () -> Future.succeededFuture(third.received("err").size() == 6));
    assertThat(third.received("err")).allSatisfy(e -> assertThat(e.getString("body")).isEqualTo("access_denied"));
    assertThat(feeds(alice)).isZero();
    await(third.close());
  }

  private static List<JsonObject> bodies(SockJsClient c, String address) {
    return c.received("rec").stream().filter(m -> address.equals(m.getString("address")))
        .map(m -> m.getJsonObject("body")).toList();
  }

  private static String routeValue(HttpSession s, String indicator, long time, String field) {
    JsonArray points = s.getArray("/api/indicators?symbol=BTCUSDT&interval=1m&startTime=" + time + "&endTime="
        + time + "&name=" + indicator);
    assertThat(points).hasSize(1);
    assertThat(points.getJsonObject(0).getLong("time")).isEqualTo(time);
    return points.getJsonObject(0).getString(field);
  }

  private static long feeds(HttpSession s) {
    String metrics = s.get("/metrics").body();
    Optional<String> line = metrics.lines().filter(l -> l.startsWith("candlebus_indicator_feeds ")).findFirst();
    assertThat(line).as("candlebus_indicator_feeds in /metrics").isPresent();
    return (long) Double.parseDouble(line.get().substring(line.get().indexOf(' ') + 1).trim());
  }
}
