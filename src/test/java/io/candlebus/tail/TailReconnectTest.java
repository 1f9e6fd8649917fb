package io.candlebus.tail;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Gateway;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.CutProxy;
import io.candlebus.testing.Ports;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.candlebus.testing.TestUsers;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code candlebus tail} in its own JVM keeps going through a lost connection (a {@link CutProxy} between it and
 * the gateway, the only allowed origin) and a gateway restart, which forgets its sessions: it logs in again.
 */
class TailReconnectTest {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  @TempDir
  static Path dir;
  static Vertx vertx;
  static BinanceSimulator sim;
  static CutProxy proxy;
  static CandlebusConfig config;
  static Gateway gateway;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    sim = new BinanceSimulator(SimulatorOptions.defaults().withRate(20).withHistoryMinutes(10).withSeed(9));
    await(vertx.deployVerticle(sim));
    proxy = CutProxy.start(vertx);
    String db = TestPostgres.newDatabaseUrl();
    TestUsers.create(vertx, db, "trader");
    int port = Ports.free(); // fixed, so the restarted gateway is where tail left it
    config = TestConfigs.against(sim, db, dir, Map.of("CANDLEBUS_INTERVALS", "1m", "CANDLEBUS_HISTORY_LIMIT", "5",
        "CANDLEBUS_HTTP_PORT", String.valueOf(port), "CANDLEBUS_PUBLIC_ORIGIN", "http://127.0.0.1:" + proxy.port()));
    gateway = await(Gateway.start(config));
    proxy.target(port);
  }

  @AfterAll
  static void stop() {
    proxy.close();
    await(gateway.close().compose(v -> vertx.close()));
  }

  private static TailProcess tail() {
    return TailProcess.start(Map.of("CANDLEBUS_PASSWORD", TestUsers.PASSWORD), "--symbol", "btcusdt", "--time",
        "ms", "--url", "http://127.0.0.1:" + proxy.port(), "--user", "trader");
  }

  private static void printsMore(TailProcess p) {
    int before = p.out().size();
    List<String> lines = p.awaitOut(PATIENCE, "3 more lines", l -> l.size() >= before + 3);
    assertThat(lines.get(lines.size() - 1)).matches("\\d{13} BTCUSDT 1m \\S+ (live|closed)");
  }

  @Test
  void aCutConnectionIsReconnectedWithTheSameSession() throws Exception {
    try (TailProcess p = tail()) {
      p.awaitOut(PATIENCE, "3 lines", l -> l.size() >= 3);
      proxy.cut();
      p.awaitErr(PATIENCE, "tail says it lost the connection", e -> e.stream()
          .anyMatch(x -> x.matches("tail: connection lost \\(.+\\), reconnecting in 1 s")));
      p.awaitErr(PATIENCE, "a refused attempt", e -> e.stream()
          .anyMatch(x -> x.matches("tail: reconnect failed \\(.+\\), retrying in 2 s")));
      proxy.restore();
      p.awaitErr(PATIENCE, "tail: reconnected", e -> e.contains("tail: reconnected"));
      printsMore(p);
      assertThat(p.err()).noneMatch(x -> x.contains("logging in again"));
      assertThat(p.terminate(PATIENCE)).isZero();
    }
  }

  @Test
  void aRestartedGatewayIsLoggedInAgain() throws Exception {
    try (TailProcess p = tail()) {
      p.awaitOut(PATIENCE, "3 lines", l -> l.size() >= 3);
      await(gateway.close());
      p.awaitErr(PATIENCE, "tail says it lost the connection", e -> e.stream()
          .anyMatch(x -> x.startsWith("tail: connection lost (")));
      gateway = await(Gateway.start(config)); // a new Vert.x: the sessions of the old one are gone
      p.awaitErr(PATIENCE, "tail: reconnected", e -> e.contains("tail: reconnected"));
      assertThat(p.err()).contains("tail: the session is gone, logging in again");
      printsMore(p);
      assertThat(p.terminate(PATIENCE)).isZero();
    }
  }
}
