package io.candlebus.web;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Gateway;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.HttpSession;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.candlebus.testing.TestUsers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET/PUT /api/settings}: per user, on the server (another session sees them), checked, normalised. */
@ExtendWith(VertxExtension.class)
class SettingsRoutesTest {
  @Test
  void settingsArePerUserSurviveANewSessionAndAreChecked(Vertx vertx, @TempDir Path dir) {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT", "ETHUSDT")
        .withRate(1).withHistoryMinutes(1));
    await(vertx.deployVerticle(sim));
    String db = TestPostgres.newDatabaseUrl();
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir, Map.of("CANDLEBUS_INTERVALS",
        "1m,5m", "CANDLEBUS_HISTORY_LIMIT", "1"))));
    TestUsers.create(vertx, db, "alice", "bob");
    String base = "http://127.0.0.1:" + g.httpPort();
    HttpSession alice = HttpSession.login(base, "alice", TestUsers.PASSWORD);
    assertThat(new JsonObject(alice.get("/api/settings").body())).isEqualTo(new JsonObject());

    JsonObject mine = new JsonObject().put("symbol", "ethusdt").put("interval", "5m").put("indicators",
        new JsonArray().add(new JsonObject().put("name", "RSI").put("period", 21))
            .add(new JsonObject().put("name", "bb").put("period", "20").put("k", "2.50"))
            .add(new JsonObject().put("name", "macd")));
    HttpResponse<String> put = alice.putJson("/api/settings", mine);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    JsonObject normalised = new JsonObject().put("symbol", "ETHUSDT").put("interval", "5m").put("indicators",
        new JsonArray().add(new JsonObject().put("name", "rsi").put("period", 21))
            .add(new JsonObject().put("name", "bb").put("period", 20).put("k", "2.5"))
            .add(new JsonObject().put("name", "macd").put("fast", 12).put("slow", 26).put("signal", 9)));
    assertThat(new JsonObject(put.body())).isEqualTo(normalised);

    // another session of the same user (another device) gets them; another user does not
    HttpSession aliceElsewhere = HttpSession.login(base, "alice", TestUsers.PASSWORD);
    assertThat(new JsonObject(aliceElsewhere.get("/api/settings").body())).isEqualTo(normalised);
    HttpSession bob = HttpSession.login(base, "bob", TestUsers.PASSWORD);
    assertThat(new JsonObject(bob.get("/api/settings").body())).isEqualTo(new JsonObject());

    // checked: 400 naming what is wrong, and nothing stored
    Map<JsonObject, String> bad = Map.of(
        new JsonObject().put("symbol", "DOGEUSDT"), "parameter symbol",
        new JsonObject().put("interval", "1h"), "parameter interval",
        new JsonObject().put("colour", "red"), "parameter colour",
        new JsonObject().put("indicators", new JsonArray().add(new JsonObject().put("name", "rsi"))
            .add(new JsonObject().put("name", "sma").put("period", 0))), "parameter indicators[1].period",
        new JsonObject().put("indicators", new JsonArray().add("rsi")), "parameter indicators[0]");
    bad.forEach((body, named) -> {
      HttpResponse<String> r = alice.putJson("/api/settings", body);
      assertThat(r.statusCode()).as(body.encode()).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getString("error")).as(body.encode()).startsWith(named);
    });
    assertThat(new JsonObject(alice.get("/api/settings").body())).isEqualTo(normalised);

    // like every change: logged in, with the session's CSRF token
    assertThat(new HttpSession(base).putJson("/api/settings", mine).statusCode()).isEqualTo(401);
    assertThat(aliceElsewhere.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/settings"))
        .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}")))
        .statusCode()).isEqualTo(403);
    await(g.close());
  }
}
