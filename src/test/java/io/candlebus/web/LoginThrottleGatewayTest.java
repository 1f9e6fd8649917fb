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
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A wrong password repeated is slowed, then answered 429 with Retry-After (its own gateway: it bans 127.0.0.1). */
@ExtendWith(VertxExtension.class)
class LoginThrottleGatewayTest {
  @Test
  void repeatedFailuresAreSlowedThenRefused(Vertx vertx, @TempDir Path dir) {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT"));
    await(vertx.deployVerticle(sim));
    String db = TestPostgres.newDatabaseUrl();
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir, Map.of("CANDLEBUS_HISTORY_LIMIT",
        "1"))));
    TestUsers.create(vertx, db, "mallory", "trent");
    String base = "http://127.0.0.1:" + g.httpPort();
    HttpSession s = new HttpSession(base);
    JsonObject wrong = new JsonObject().put("username", "mallory").put("password", "guess");
    for (int i = 1; i <= LoginThrottle.REFUSE_AFTER; i++) {
      long started = System.nanoTime();
      HttpResponse<String> r = s.postJson("/api/login", wrong);
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      assertThat(r.statusCode()).as("attempt %d", i).isEqualTo(401);
      if (i > LoginThrottle.SLOW_AFTER) {
        assertThat(tookMs).as("attempt %d is slowed", i).isGreaterThanOrEqualTo(LoginThrottle.FIRST_DELAY_MS);
      }
    }
    HttpResponse<String> refused = s.postJson("/api/login", wrong.copy().put("password", TestUsers.PASSWORD));
    assertThat(refused.statusCode()).as("even the right password, while refused").isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
        assertThat(Long.parseLong(v)).isPositive());
    assertThat(new JsonObject(refused.body()).getString("error")).contains("too many");
    HttpResponse<String> sameAddress = s.postJson("/api/login", new JsonObject().put("username", "trent")
        .put("password", TestUsers.PASSWORD));
    assertThat(sameAddress.statusCode()).as("the address is refused too").isEqualTo(429);
    assertThat(g.registry().get("candlebus_logins_total").tag("result", "throttled").counter().count())
        .isEqualTo(2);
    await(g.close());
  }
}
