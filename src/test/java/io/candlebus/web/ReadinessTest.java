package io.candlebus.web;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Gateway;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.candlebus.testing.Http;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** /ready is 200 only while the upstream is connected and PostgreSQL answers; /health stays 200. */
@ExtendWith(VertxExtension.class)
class ReadinessTest {
  @Test
  void readyFollowsTheUpstream(Vertx vertx, @TempDir Path dir) {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT"));
    String simId = await(vertx.deployVerticle(sim));
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, TestPostgres.newDatabaseUrl(), dir,
        Map.of("CANDLEBUS_HISTORY_LIMIT", "5"))));
    String base = "http://127.0.0.1:" + g.httpPort();
    Await.until(vertx, Duration.ofSeconds(30), "ready",
        () -> Future.succeededFuture(Http.get(base + "/ready").statusCode() == 200));
    assertThat(Http.getObject(base + "/ready").getString("status")).isEqualTo("READY");

    await(vertx.undeploy(simId)); // Binance goes away
    Await.until(vertx, Duration.ofSeconds(30), "not ready",
        () -> Future.succeededFuture(Http.get(base + "/ready").statusCode() == 503));
    HttpResponse<String> r = Http.get(base + "/ready");
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("status")).isEqualTo("NOT_READY");
    assertThat(body.getJsonArray("reasons").encode()).contains("upstream DISCONNECTED");
    assertThat(body.getJsonObject("upstream").getString("state")).isEqualTo("DISCONNECTED");
    assertThat(Http.get(base + "/health").statusCode()).isEqualTo(200);
    await(g.close());
  }
}
