package io.candlebus.upstream;

import static io.candlebus.testing.Await.await;
import static io.candlebus.upstream.UpstreamResilienceTest.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Addresses;
import io.candlebus.Gateway;
import io.candlebus.domain.Interval;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.candlebus.testing.TradeTape;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Symbols added and removed at run time are subscribed and unsubscribed on the open connections (paced, no
 * reconnect); beyond 1024 streams a second connection carries the rest.
 */
@ExtendWith(VertxExtension.class)
class RuntimeSymbolsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @Test
  void addingSeventySymbolsSpreadsOverTwoConnectionsWithoutAReconnect(Vertx vertx, @TempDir Path dir) {
    List<String> symbols = IntStream.rangeClosed(1, 70).mapToObj(i -> String.format("S%02dUSDT", i)).toList();
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols(symbols).withRate(0.5)
        .withHistoryMinutes(1));
    await(vertx.deployVerticle(sim));
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, TestPostgres.newDatabaseUrl(), dir,
        Map.of("CANDLEBUS_SYMBOLS", "S01USDT,S02USDT", "CANDLEBUS_INTERVALS", String.join(",",
            Interval.all().stream().map(Interval::code).toList()), "CANDLEBUS_HISTORY_LIMIT", "1"))));
    Await.until(vertx, PATIENCE, "the first connection", () -> Future.succeededFuture(
        sim.subscriptions().size() == 2 * 17));

    TradeTape added = TradeTape.record(vertx, "S70USDT");
    vertx.eventBus().publish(Addresses.UPSTREAM_SYMBOLS,
        new JsonObject().put("add", new JsonArray(symbols.subList(2, 70))));
    Await.until(vertx, PATIENCE, "70 x 17 streams subscribed", () -> Future.succeededFuture(
        sim.subscriptions().size() == 70 * 17));
    assertThat(sim.openConnections()).isEqualTo(2);
    Map<String, Long> perStream = sim.subscriptions().stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(perStream).hasSize(70 * 17).allSatisfy((stream, n) -> assertThat(n).as(stream).isEqualTo(1));
    Await.until(vertx, PATIENCE, "trades of an added symbol", () -> Future.succeededFuture(added.size() >= 2));

    vertx.eventBus().publish(Addresses.UPSTREAM_SYMBOLS,
        new JsonObject().put("remove", new JsonArray(symbols.subList(60, 70))));
    Await.until(vertx, PATIENCE, "10 symbols unsubscribed", () -> Future.succeededFuture(
        sim.subscriptions().size() == 60 * 17));
    assertThat(sim.subscriptions()).noneMatch(s -> s.startsWith("s70usdt@"));
    // SUBSCRIBE messages stayed under Binance's 5 per second: the simulator would have closed the connection
    assertThat(count(g, "candlebus_upstream_disconnects_total")).isZero();
    assertThat(sim.stats().rateLimitCloses()).isZero();
    assertThat(sim.stats().connectionAttempts()).isEqualTo(2);
    assertThat(count(g, "candlebus_upstream_connects_total")).isEqualTo(2);
    assertThat(count(g, "candlebus_upstream_frames_total", "kind", "reply")).isGreaterThanOrEqualTo(11);
    await(g.close());
  }
}
