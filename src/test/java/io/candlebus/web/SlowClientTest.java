package io.candlebus.web;

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
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** One stalled browser among many: the others keep receiving, and its queue on the server stays bounded. */
@ExtendWith(VertxExtension.class)
class SlowClientTest {
  private static final int CLIENTS = 10;
  private static final String[] ADDRESSES = {"market.trade.BTCUSDT", "market.candle.BTCUSDT.1m",
      "market.candle.BTCUSDT.5m", "market.status"};

  @Test
  void aStalledClientCannotHurtTheOthersOrTheHeap(Vertx vertx, @TempDir Path dir) {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT").withRate(500)
        .withHistoryMinutes(1));
    await(vertx.deployVerticle(sim));
    String db = TestPostgres.newDatabaseUrl();
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir,
        Map.of("CANDLEBUS_HISTORY_LIMIT", "1", "CANDLEBUS_INTERVALS", "1m,5m"))));
    TestUsers.create(vertx, db, "alice");
    String cookie = HttpSession.login("http://127.0.0.1:" + g.httpPort(), "alice", TestUsers.PASSWORD)
        .sessionCookie();
    String origin = "http://localhost:" + g.httpPort();

    SockJsClient stalled = await(SockJsClient.connect(vertx, g.httpPort(), cookie, origin, 4096));
    List<SockJsClient> others = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      others.add(await(SockJsClient.connect(vertx, g.httpPort(), cookie, origin, 0)));
    }
    until(vertx, "all open", () -> stalled.opened() && others.stream().allMatch(SockJsClient::opened));
    for (String a : ADDRESSES) {
      await(stalled.register(a));
      others.forEach(c -> await(c.register(a)));
    }
    until(vertx, "the stalled one received something", () -> stalled.count() > 0);
    stalled.pause();

    Counter dropped = g.registry().get("candlebus_bridge_dropped_trades_total").counter();
    until(vertx, "the stalled client's trades are dropped", () -> dropped.count() > 500);
    long bound = BridgeClient.MAX_IN_FLIGHT + BridgeClient.MAX_QUEUED + ADDRESSES.length;
    double queued = g.registry().get("candlebus_bridge_queued_max").gauge().value();
    assertThat(queued).as("per-socket queue stays bounded").isLessThanOrEqualTo(bound);

    // meanwhile every other client kept up: each got (nearly) everything published since
    long[] before = others.stream().mapToLong(SockJsClient::count).toArray();
    long droppedBefore = (long) dropped.count();
    until(vertx, () -> "others receive 1000 more messages each (before " + Arrays.toString(before) + ", now "
        + others.stream().map(c -> c.count() + (c.closed() ? " closed" : "")).toList() + "; server: "
        + g.registry().find("candlebus_trades_total").counters().stream()
            .map(c -> c.getId().getTag("outcome") + "=" + c.count()).toList()
        + ", delivered " + g.registry().get("candlebus_bridge_messages_total").counter().count()
        + ", dropped " + dropped.count() + ", sockets " + g.registry().get("candlebus_bridge_sockets").gauge().value()
        + ")", () -> {
      for (int i = 0; i < others.size(); i++) {
        if (others.get(i).count() < before[i] + 1_000) {
          return false;
        }
      }
      return true;
    });
    assertThat(dropped.count()).as("and the stalled one keeps dropping").isGreaterThan(droppedBefore);
    assertThat(g.registry().get("candlebus_bridge_queued_max").gauge().value()).isLessThanOrEqualTo(bound);

    stalled.resume();
    until(vertx, "the stalled client is told how many it missed", () -> stalled.received("rec").stream()
        .map(m -> m.getValue("body")).anyMatch(b -> b instanceof JsonObject o && o.getLong("missed", 0L) > 0));
    await(stalled.close());
    others.forEach(c -> await(c.close()));
    await(g.close());
  }

  private static void until(Vertx vertx, String what, BooleanSupplier check) {
    until(vertx, () -> what, check);
  }

  private static void until(Vertx vertx, Supplier<String> what, BooleanSupplier check) {
    try {
      Await.until(vertx, Duration.ofSeconds(60), "", () -> Future.succeededFuture(check.getAsBoolean()));
    } catch (AssertionError e) {
      throw new AssertionError("timed out waiting until " + what.get(), e);
    }
  }
}
