package io.candlebus.upstream;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Addresses;
import io.candlebus.Gateway;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** When Binance closes the socket the upstream reconnects by itself and says so on market.status. */
@ExtendWith(VertxExtension.class)
class UpstreamReconnectTest {
  @Test
  void reconnectsAfterTheServerDropsTheConnection(Vertx vertx, @TempDir Path dir) {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT").withRate(20));
    await(vertx.deployVerticle(sim));
    List<String> states = Collections.synchronizedList(new ArrayList<>());
    List<JsonObject> trades = Collections.synchronizedList(new ArrayList<>());
    vertx.eventBus().<JsonObject>consumer(Addresses.MARKET_STATUS, m -> states.add(m.body().getString("state")));
    vertx.eventBus().<JsonObject>consumer(Addresses.trade("BTCUSDT"), m -> trades.add(m.body()));
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, TestPostgres.newDatabaseUrl(), dir,
        Map.of("CANDLEBUS_HISTORY_LIMIT", "5", "CANDLEBUS_INTERVALS", "1m"))));
    Duration patience = Duration.ofSeconds(30);
    Await.until(vertx, patience, "connected", () -> Future.succeededFuture(states.contains("CONNECTED")));
    Await.until(vertx, patience, "trades", () -> Future.succeededFuture(trades.size() >= 3));

    sim.dropAllConnections();
    Await.until(vertx, patience, "disconnected, then connected again", () -> Future.succeededFuture(
        states.lastIndexOf("DISCONNECTED") > 0 && states.lastIndexOf("CONNECTED") > states.lastIndexOf("DISCONNECTED")));
    int before = trades.size();
    Await.until(vertx, patience, "trades again", () -> Future.succeededFuture(trades.size() >= before + 3));
    assertThat(g.registry().get("candlebus_upstream_connects_total").counter().count()).isEqualTo(2);
    assertThat(sim.openConnections()).isEqualTo(1);
    await(g.close());
  }
}
