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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP side as several event loops sharing one port: browsers on different loops get the same trades in the
 * same order, an XHR session is served whichever loop each request lands on, the socket gauge counts all of them,
 * and the login throttle is one for the node, not one per loop.
 */
@ExtendWith(VertxExtension.class)
class BridgeShardsTest {
  private static final int INSTANCES = 3;
  private static final int CLIENTS = 2 * INSTANCES;
  private static final String TRADES = "market.trade.BTCUSDT";

  @Test
  void browsersOnEveryEventLoopGetTheSameTradesAndTheThrottleIsShared(Vertx vertx, @TempDir Path dir) {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT").withRate(50)
        .withHistoryMinutes(1));
    await(vertx.deployVerticle(sim));
    String db = TestPostgres.newDatabaseUrl();
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir, Map.of("CANDLEBUS_HISTORY_LIMIT",
        "1", "CANDLEBUS_HTTP_INSTANCES", String.valueOf(INSTANCES)))));
    TestUsers.create(vertx, db, "alice", "mallory");
    String cookie = HttpSession.login("http://127.0.0.1:" + g.httpPort(), "alice", TestUsers.PASSWORD)
        .sessionCookie();
    String origin = "http://localhost:" + g.httpPort();

    // each connection is accepted by the next event loop in turn
    List<SockJsClient> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      clients.add(await(SockJsClient.connect(vertx, g.httpPort(), cookie, origin, 0)));
    }
    until(vertx, "all open", () -> clients.stream().allMatch(SockJsClient::opened));
    clients.forEach(c -> await(c.register(TRADES)));
    until(vertx, "the gauge counts the sockets of every loop",
        () -> g.registry().get("candlebus_bridge_sockets").gauge().value() == CLIENTS);
    until(vertx, "every client receives trades", () -> clients.stream().allMatch(c -> tradeIds(c).size() >= 40));

    // a window of the first client's trades arrives, whole and in order, at every other client
    List<Long> window = tradeIds(clients.get(0)).subList(20, 30);
    until(vertx, "every client has the window", () -> clients.stream()
        .allMatch(c -> tradeIds(c).containsAll(window)));
    for (SockJsClient c : clients) {
      List<Long> ids = tradeIds(c);
      int from = ids.indexOf(window.get(0));
      assertThat(ids.subList(from, from + window.size())).as("same trades, same order").isEqualTo(window);
    }
    clients.forEach(c -> await(c.close()));
    until(vertx, "closed sockets leave the gauge",
        () -> g.registry().get("candlebus_bridge_sockets").gauge().value() == 0);

    // SockJS's XHR transport, one request per new connection: a session opened on one loop is fed from others
    String session = "/eventbus/000/xhrshards/";
    assertThat(xhr(g, cookie, session + "xhr", "").body()).startsWith("o");
    assertThat(xhr(g, cookie, session + "xhr_send", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("type", "register").put("address", TRADES).encode()).encode()).statusCode())
        .isEqualTo(204);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String polled = "";
    while (!polled.contains(TRADES) && System.nanoTime() < deadline) {
      polled = xhr(g, cookie, session + "xhr", "").body(); // answers when there is something, or after a while
    }
    assertThat(polled).as("trades reach an XHR session across loops").startsWith("a[").contains(TRADES);

    // one wrong password per new connection: spread over the loops, still counted together
    JsonObject wrong = new JsonObject().put("username", "mallory").put("password", "guess");
    for (int i = 1; i <= LoginThrottle.REFUSE_AFTER; i++) {
      assertThat(new HttpSession("http://127.0.0.1:" + g.httpPort()).postJson("/api/login", wrong).statusCode())
          .as("attempt %d", i).isEqualTo(401);
    }
    assertThat(new HttpSession("http://127.0.0.1:" + g.httpPort()).postJson("/api/login", wrong).statusCode())
        .as("refused however the attempts were spread").isEqualTo(429);
    await(g.close());
  }

  /** A request on a connection of its own (so on the next event loop), as the logged-in browser (Java 17's
   * client has no close; its idle connection goes with it). */
  private static HttpResponse<String> xhr(Gateway g, String cookie, String path, String body) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try {
      return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.httpPort() + path))
          .header("Origin", "http://localhost:" + g.httpPort()).header("Cookie", "candlebus.session=" + cookie)
          .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static List<Long> tradeIds(SockJsClient c) {
    return c.received("rec").stream()
        .filter(m -> TRADES.equals(m.getString("address")))
        .map(m -> m.getJsonObject("body").getLong("tradeId"))
        .toList();
  }

  private static void until(Vertx vertx, String what, BooleanSupplier check) {
    Await.until(vertx, Duration.ofSeconds(60), what, () -> Future.succeededFuture(check.getAsBoolean()));
  }
}
