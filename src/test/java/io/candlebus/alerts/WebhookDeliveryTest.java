package io.candlebus.alerts;

import static io.candlebus.alerts.UserAlertsGatewayTest.bodies;
import static io.candlebus.alerts.UserAlertsGatewayTest.created;
import static io.candlebus.alerts.UserAlertsGatewayTest.firings;
import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.testing.Await;
import io.candlebus.testing.GatewayFixture;
import io.candlebus.testing.HttpSession;
import io.candlebus.testing.SockJsClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Webhook delivery of alert firings to a receiver on 127.0.0.1: each firing arrives once; a receiver down for 30 s
 * gets what fired meanwhile once it is back (the default retry waits 2s, 8s, 30s...); one that never answers ends
 * as failed after the retries, shown on the page, while the trades and firings go on; one answering a body of
 * gigabytes costs the gateway its status line only.
 */
@ExtendWith(VertxExtension.class)
class WebhookDeliveryTest {
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  /** Records each POST's firing id and body; answers 204. */
  private static final class Receiver {
    final Map<String, List<JsonObject>> posts = new ConcurrentHashMap<>();
    HttpServer server;

    Future<Integer> listen(Vertx vertx, int port) {
      server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
        posts.computeIfAbsent(req.getHeader(WebhookVerticle.ID_HEADER), k -> Collections.synchronizedList(
            new ArrayList<>())).add(b.toJsonObject());
        req.response().setStatusCode(204).end();
      }));
      return server.listen(port, "127.0.0.1").map(HttpServer::actualPort);
    }
  }

  @Test
  void eachFiringArrivesOnceAndAReceiverDownFor30sGetsThemWhenBack(Vertx vertx) {
    Receiver receiver = new Receiver();
    int port = await(receiver.listen(vertx, 0));
    try (GatewayFixture gateway = GatewayFixture.aGateway(vertx).withUsers("alice").start()) {
      Alice f = Alice.in(gateway);
      HttpSession alice = f.session;
      assertThat(alice.putJson("/api/alerts/webhook", new JsonObject().put("url", "http://127.0.0.1:" + port
          + "/hook")).statusCode()).isEqualTo(200);
      JsonObject alert = created(alice.postJson("/api/alerts", new JsonObject().put("kind", "price_above")
          .put("symbol", "BTCUSDT").put("level", "1").put("frequency", "every").put("cooldown", "2s")
          .put("note", "always")));

      Await.until(vertx, PATIENCE, "3 firings posted", () -> Future.succeededFuture(receiver.posts.size() >= 3));
      await(receiver.server.close());
      int firedBeforeDown = firings(f.browser).size();
      long downAt = System.nanoTime();
      Await.until(vertx, PATIENCE, "the receiver's 30 s outage, a part of the scenario", () -> Future.succeededFuture(
          System.nanoTime() - downAt >= 30_000_000_000L));
      List<String> whileDown = firings(f.browser).stream().skip(firedBeforeDown).map(x -> x.getString("id")).toList();
      assertThat(whileDown).as("firings go on while the receiver is down").hasSizeGreaterThanOrEqualTo(10);
      assertThat(await(receiver.listen(vertx, port))).isEqualTo(port);

      Await.until(vertx, PATIENCE, "every firing of the outage posted", () -> Future.succeededFuture(
          receiver.posts.keySet().containsAll(whileDown)));
      List<String> published = firings(f.browser).stream().map(x -> x.getString("id")).toList();
      Await.until(vertx, PATIENCE, "every firing posted", () -> Future.succeededFuture(
          receiver.posts.keySet().containsAll(published)));
      for (String id : published) {
        assertThat(receiver.posts.get(id)).as("posted once: " + id).hasSize(1);
        JsonObject body = receiver.posts.get(id).get(0);
        assertThat(body.getString("id")).isEqualTo(id);
        assertThat(body.getLong("alertId")).isEqualTo(alert.getLong("id"));
        assertThat(body.getString("username")).isEqualTo("alice");
        assertThat(body.getString("kind")).isEqualTo("price_above");
        assertThat(body.getString("note")).isEqualTo("always");
    }
    Await.until(vertx, PATIENCE, "nothing posted but the firings published", () -> Future.succeededFuture(
        Set.copyOf(firings(f.browser).stream().map(x -> x.getString("id")).toList())
            .containsAll(Set.copyOf(receiver.posts.keySet()))));
    // the outage's firings took more than one attempt, and the history says delivered
    Map<String, JsonObject> history = history(alice);
    Await.until(vertx, PATIENCE, "the history says delivered", () -> Future.succeededFuture(
        published.stream().allMatch(id -> "delivered".equals(history(alice).get(id).getString("webhook")))));
    assertThat(whileDown).allSatisfy(id -> assertThat(history(alice).get(id).getInteger("attempts"))
        .isGreaterThan(1));
    assertThat(receiver.posts.get(whileDown.get(0)).get(0).getInteger("attempt")).isGreaterThan(1);
    assertThat(history).isNotEmpty();
    }
  }

  @Test
  void aReceiverThatNeverAnswersEndsFailedWhileTradesAndFiringsGoOn(Vertx vertx) {
    // accepts, reads, never answers
    Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    Pattern id = Pattern.compile(WebhookVerticle.ID_HEADER + ": (\\S+)", Pattern.CASE_INSENSITIVE);
    NetServer silent = vertx.createNetServer().connectHandler(socket -> socket.handler(b -> {
      Matcher m = id.matcher(b.toString());
      while (m.find()) {
        requests.computeIfAbsent(m.group(1), k -> new AtomicInteger()).incrementAndGet();
      }
    }));
    int port = await(silent.listen(0, "127.0.0.1")).actualPort();
    try (GatewayFixture gateway = GatewayFixture.aGateway(vertx)
        .with("CANDLEBUS_ALERTS_WEBHOOK_RETRIES", "100ms,100ms,100ms,100ms,100ms").withUsers("alice").start()) {
      Alice f = Alice.in(gateway);
      HttpSession alice = f.session;
      assertThat(alice.putJson("/api/alerts/webhook", new JsonObject().put("url", "http://127.0.0.1:" + port
          + "/hook")).statusCode()).isEqualTo(200);
      created(alice.postJson("/api/alerts", new JsonObject().put("kind", "price_above").put("symbol", "BTCUSDT")
          .put("level", "1").put("frequency", "every").put("cooldown", "1s")));

      Await.until(vertx, PATIENCE, "a firing", () -> Future.succeededFuture(!firings(f.browser).isEmpty()));
      String first = firings(f.browser).get(0).getString("id");
      int tradesThen = UserAlertsGatewayTest.trades(f.browser).size();
      Await.until(vertx, PATIENCE, "the first firing's webhook failed", () -> Future.succeededFuture(
          bodies(f.browser, "alerts.").stream().anyMatch(b -> "webhook".equals(b.getString("kind"))
              && first.equals(b.getString("id")) && "failed".equals(b.getString("state")))));
      JsonObject h = history(alice).get(first);
      assertThat(h.getString("webhook")).isEqualTo("failed");
      assertThat(h.getInteger("attempts")).as("the first try and 5 retries").isEqualTo(6);
      assertThat(h.getString("webhookError")).isEqualTo("no answer within 3000 ms");
      assertThat(requests.get(first)).as("posted 6 times").hasValue(6);
      assertThat(new JsonObject(alice.get("/api/alerts/webhook").body()).getLong("failed")).isGreaterThanOrEqualTo(1);
      // ~18 s of a receiver hanging on every post: the trades and the firings went on all the while
      assertThat(UserAlertsGatewayTest.trades(f.browser).size() - tradesThen).isGreaterThan(100);
      assertThat(firings(f.browser).size()).isGreaterThanOrEqualTo(10);
    }
  }

  @Test
  void aReceiverAnsweringTwoGigabytesCostsOnlyItsStatus(Vertx vertx) {
    // answers 200 with a declared 2 GB body and sends it as fast as the gateway takes it, counting what it wrote
    AtomicLong written = new AtomicLong();
    AtomicInteger closed = new AtomicInteger();
    Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
    NetServer flood = vertx.createNetServer().connectHandler(socket -> {
      socket.closeHandler(v -> closed.incrementAndGet());
      socket.handler(request -> {
        socket.handler(null);
        socket.write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
            + (2L << 30) + "\r\n\r\n");
        pump(socket, chunk, written);
      });
    });
    int port = await(flood.listen(0, "127.0.0.1")).actualPort();
    try (GatewayFixture gateway = GatewayFixture.aGateway(vertx).withUsers("alice").start()) {
      Alice f = Alice.in(gateway);
      assertThat(f.session.putJson("/api/alerts/webhook", new JsonObject().put("url", "http://127.0.0.1:" + port
          + "/hook")).statusCode()).isEqualTo(200);
      created(f.session.postJson("/api/alerts", new JsonObject().put("kind", "price_above").put("symbol", "BTCUSDT")
          .put("level", "1").put("frequency", "once")));
      Await.until(vertx, PATIENCE, "the firing delivered", () -> Future.succeededFuture(history(f.session).values()
          .stream().anyMatch(h -> "delivered".equals(h.getString("webhook")))));
      Await.until(vertx, PATIENCE, "the gateway closed the receiver's connection", () -> Future.succeededFuture(
          closed.get() == 1));
      // what the receiver could push before the close is what the sockets' buffers took, not the body
      System.out.printf("a receiver answering a 2 GB body wrote %d bytes of it before the gateway closed%n",
          written.get());
      assertThat(written.get()).as("bytes of the 2 GB body the receiver got written").isLessThan(64L << 20);
      assertThat(history(f.session).values()).singleElement()
          .satisfies(h -> assertThat(h.getInteger("attempts")).isEqualTo(1));
    }
  }

  /** Writes {@code chunk} again and again while the socket takes it, until it closes. */
  private static void pump(NetSocket socket, Buffer chunk, AtomicLong written) {
    while (!socket.writeQueueFull()) {
      socket.write(chunk);
      written.addAndGet(chunk.length());
    }
    socket.drainHandler(v -> pump(socket, chunk, written));
  }

  private static Map<String, JsonObject> history(HttpSession s) {
    JsonArray h = s.getArray("/api/alerts/history?limit=1000");
    Map<String, JsonObject> out = new HashMap<>();
    h.forEach(o -> out.put(((JsonObject) o).getString("id"), (JsonObject) o));
    return out;
  }

  /** Alice logged in on the fixture's gateway, with a browser on her alerts and the trades. */
  private record Alice(HttpSession session, SockJsClient browser) {
    static Alice in(GatewayFixture gateway) {
      HttpSession alice = gateway.login("alice");
      SockJsClient browser = gateway.socket(alice);
      await(browser.register("alerts.alice"));
      await(browser.register("market.trade.BTCUSDT"));
      return new Alice(alice, browser);
    }
  }
}
