package io.candlebus.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The /sim control routes over real HTTP: what each does, their 400s, and that they cost no REST weight. */
@ExtendWith(VertxExtension.class)
class ControlApiTest {
  private BinanceSimulator sim;
  private SimClient client;

  @BeforeEach
  void start(Vertx vertx) {
    sim = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols("BTCUSDT", "ETHUSDT").withRate(5)
        .withStartTime(1_704_067_200_000L).withSpeed(10).withHistoryMinutes(1));
    client = new SimClient(vertx, sim.port());
  }

  @Test
  void eachRouteActsAndAnswersJson() throws Exception {
    SimClient.Ws a = client.connect("/ws");
    SimClient.awaitTrue("one connection", () -> sim.openConnections() == 1);
    int w0 = client.get("/api/v3/ping").weight();

    JsonObject malformed = ok(client.post("/sim/malformed?count=3&seed=4"));
    assertThat(malformed).isEqualTo(new JsonObject().put("connections", 1).put("frames", 3));
    for (String expected : MalformedFrames.generate(3, 4)) {
      assertThat(a.next()).isEqualTo(expected);
    }
    JsonObject skip = ok(client.post("/sim/skip?symbol=btcusdt&count=3"));
    assertThat(skip.getString("symbol")).isEqualTo("BTCUSDT");
    assertThat(skip.getLong("last") - skip.getLong("first")).isEqualTo(2);
    JsonObject lose = ok(client.post("/sim/lose?symbol=ETHUSDT&count=1"));
    assertThat(lose.getLong("last")).isEqualTo(lose.getLong("first"));
    assertThat(ok(client.post("/sim/silence"))).isEqualTo(new JsonObject().put("silenced", 1));
    assertThat(ok(client.post("/sim/shutdown?closeAfterMs=0"))).isEqualTo(new JsonObject().put("notified", 0)
        .put("closeAfterMs", 0));
    SimClient.awaitTrue("closed by the shutdown", () -> a.closed);
    SimClient.Ws b = client.connect("/ws/btcusdt@aggTrade");
    SimClient.awaitTrue("a new connection", () -> sim.openConnections() == 1);
    assertThat(ok(client.post("/sim/drop"))).isEqualTo(new JsonObject().put("closed", 1));
    SimClient.awaitTrue("dropped", () -> b.closed);

    JsonObject stats = ok(client.get("/sim/stats"));
    assertThat(stats.getLong("connectionAttempts")).isEqualTo(2);
    assertThat(stats.getInteger("openConnections")).isZero();
    assertThat(stats.getInteger("weightLimit")).isEqualTo(sim.stats().weightLimit());
    assertThat(stats.getJsonObject("streamsSubscribed")).isEmpty();

    // none of that cost weight or was logged as a REST call
    assertThat(client.get("/api/v3/ping").weight()).isEqualTo(w0 + 1);
    assertThat(sim.restCalls()).extracting(RestCall::pathAndQuery).containsExactly("/api/v3/ping", "/api/v3/ping");

    assertThat(ok(client.post("/sim/rest-fault?status=418&retryAfter=0&count=1")))
        .isEqualTo(new JsonObject().put("status", 418).put("retryAfter", 0).put("count", 1));
    assertThat(client.get("/api/v3/time").status()).isEqualTo(418);
    assertThat(client.get("/api/v3/time").status()).isEqualTo(200);
  }

  @Test
  void badParametersGet400NamingTheParameter() {
    badParameter("/sim/skip?count=3", "symbol");
    badParameter("/sim/skip?symbol=NOPEUSDT&count=3", "symbol");
    badParameter("/sim/skip?symbol=BTCUSDT", "count");
    badParameter("/sim/skip?symbol=BTCUSDT&count=0", "count");
    badParameter("/sim/lose?symbol=BTCUSDT&count=x", "count");
    badParameter("/sim/shutdown", "closeAfterMs");
    badParameter("/sim/shutdown?closeAfterMs=-5", "closeAfterMs");
    badParameter("/sim/rest-fault?status=500&retryAfter=1&count=1", "status");
    badParameter("/sim/rest-fault?status=429&retryAfter=soon&count=1", "retryAfter");
    badParameter("/sim/rest-fault?status=429&retryAfter=1", "count");
    badParameter("/sim/malformed?count=2", "seed");
    badParameter("/sim/malformed?count=100000&seed=1", "count");
    assertThat(client.get("/sim/drop").status()).isEqualTo(405);
    assertThat(client.post("/sim/stats").status()).isEqualTo(405);
    assertThat(client.post("/sim/nothing").status()).isEqualTo(404);
    assertThat(sim.stats().restRequests()).isZero();
  }

  private void badParameter(String uri, String name) {
    SimClient.Response r = client.post(uri);
    assertThat(r.status()).as(uri).isEqualTo(400);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("parameter")).as(uri).isEqualTo(name);
    assertThat(body.getString("error")).as(uri).contains("'" + name + "'");
  }

  private static JsonObject ok(SimClient.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().get("Content-Type")).startsWith("application/json");
    return new JsonObject(r.body());
  }
}
