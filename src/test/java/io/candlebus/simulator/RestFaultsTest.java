package io.candlebus.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Injected 429/418 answers, Binance's 418 ban for coming back before Retry-After, and the REST call log. */
@ExtendWith(VertxExtension.class)
class RestFaultsTest {
  private static final long START = 1_704_067_200_000L;
  private BinanceSimulator sim;
  private SimClient client;

  @BeforeEach
  void start(Vertx vertx) {
    sim = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols("BTCUSDT").withRate(1)
        .withStartTime(START).withSpeed(1e-6).withHistoryMinutes(5));
    client = new SimClient(vertx, sim.port());
  }

  @Test
  void theNextRequestsGetTheInjectedStatusThenNormalService() {
    int w0 = client.get("/api/v3/ping").weight();
    sim.restFault(429, 0, 2);
    for (String uri : List.of("/api/v3/klines?symbol=BTCUSDT&interval=1m", "/api/v3/time")) {
      SimClient.Response r = client.get(uri);
      assertThat(r.status()).as(uri).isEqualTo(429);
      assertThat(r.headers().get("Retry-After")).isEqualTo("0");
      assertThat(r.weight()).as("refusals cost nothing").isEqualTo(w0);
      JsonObject body = new JsonObject(r.body());
      assertThat(body.getInteger("code")).isEqualTo(-1003);
      assertThat(body.getString("msg")).startsWith("Too much request weight used; current limit is ");
    }
    SimClient.Response ok = client.get("/api/v3/time");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.weight()).isEqualTo(w0 + 1);

    sim.restFault(418, 120, 1);
    SimClient.Response banned = client.get("/api/v3/ping");
    assertThat(banned.status()).isEqualTo(418);
    assertThat(banned.headers().get("Retry-After")).isEqualTo("120");
    assertThat(new JsonObject(banned.body()).getString("msg")).startsWith("Way too much request weight used; "
        + "IP banned until ");
    SimStats s = sim.stats();
    assertThat(s.restRequests()).isEqualTo(5);
    assertThat(s.restRefused()).isEqualTo(3);
    assertThat(s.restViolations()).isZero();
    assertThat(s.maxWeightUsed()).isEqualTo(w0 + 1);
  }

  @Test
  void comingBackBeforeRetryAfterIsA418BanThatEndsWhenRetryAfterHasPassed() throws Exception {
    sim.restFault(429, 1, 1);
    assertThat(client.get("/api/v3/time").status()).isEqualTo(429);
    // taken once the answer is here, so it is never earlier than the simulator's own clock at the refusal
    long refusedAt = System.nanoTime();
    SimClient.Response early = client.get("/api/v3/time");
    assertThat(early.status()).isEqualTo(418);
    assertThat(early.headers().get("Retry-After")).as("the ban that is left, rounded up").isEqualTo("1");
    assertThat(new JsonObject(early.body()).getInteger("code")).isEqualTo(-1003);
    assertThat(sim.stats().restViolations()).isEqualTo(1);
    assertThat(sim.stats().restRefused()).isEqualTo(2);

    // a client that waits out Retry-After is served again (waiting on the clock is the behaviour under test)
    SimClient.awaitTrue("Retry-After passed", () -> System.nanoTime() - refusedAt > TimeUnit.SECONDS.toNanos(1));
    assertThat(client.get("/api/v3/time").status()).isEqualTo(200);
    assertThat(sim.stats().restViolations()).isEqualTo(1);
    assertThat(sim.restCalls()).extracting(RestCall::status).containsExactly(429, 418, 200);
  }

  @Test
  void theWeightLimitsOwn429AlsoBans(Vertx vertx) {
    BinanceSimulator small = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols("BTCUSDT")
        .withStartTime(START).withSpeed(1e-6).withHistoryMinutes(1).withRequestWeightLimit(25));
    SimClient c = new SimClient(vertx, small.port());
    assertThat(c.get("/api/v3/exchangeInfo").status()).isEqualTo(200);
    SimClient.Response refused = c.get("/api/v3/exchangeInfo");
    assertThat(refused.status()).isEqualTo(429);
    long retryAfter = Long.parseLong(refused.headers().get("Retry-After"));
    assertThat(retryAfter).isBetween(1L, 60L);
    SimClient.Response banned = c.get("/api/v3/ping");
    assertThat(banned.status()).isEqualTo(418);
    assertThat(Long.parseLong(banned.headers().get("Retry-After"))).isBetween(1L, retryAfter);
    assertThat(banned.weight()).isEqualTo(20);
    SimStats s = small.stats();
    assertThat(s.restRefused()).isEqualTo(2);
    assertThat(s.restViolations()).isEqualTo(1);
    assertThat(s.maxWeightUsed()).isEqualTo(20);
    assertThat(s.weightLimit()).isEqualTo(25);
  }

  @Test
  void everyRestCallIsLoggedWithItsArrivalAndStatus() {
    long before = System.currentTimeMillis();
    client.get("/api/v3/ping");
    client.get("/api/v3/klines?symbol=NOPE&interval=1m");
    client.get("/no/such/path");
    client.get("/sim/stats");
    long after = System.currentTimeMillis();
    List<RestCall> calls = sim.restCalls();
    assertThat(calls).extracting(RestCall::pathAndQuery)
        .containsExactly("/api/v3/ping", "/api/v3/klines?symbol=NOPE&interval=1m", "/no/such/path");
    assertThat(calls).extracting(RestCall::status).containsExactly(200, 400, 404);
    assertThat(calls).allSatisfy(c -> assertThat(c.atMillis()).isBetween(before, after));
    assertThat(sim.stats().restRequests()).as("the control route is not a REST request").isEqualTo(3);
  }

  @Test
  void badFaultArgumentsAreRefusedAtOnce() {
    assertThatThrownBy(() -> sim.restFault(500, 1, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("429 or 418");
    assertThatThrownBy(() -> sim.restFault(429, -1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SimClient.await(sim.skipNextTrades("NOPEUSDT", 1)))
        .hasMessageContaining("not a simulated symbol");
    assertThatThrownBy(() -> SimClient.await(sim.loseNextTrades("BTCUSDT", 0))).hasMessageContaining("count");
    assertThatThrownBy(() -> SimClient.await(sim.serverShutdown(-1))).hasMessageContaining("closeAfterMs");
    assertThat(client.get("/api/v3/ping").status()).isEqualTo(200);
  }
}
