package io.candlebus.web;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.config.LimitSettings;
import io.candlebus.testing.Await;
import io.candlebus.testing.GatewayFixture;
import io.candlebus.testing.HttpSession;
import io.candlebus.testing.SockJsClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One user, or one client, cannot take a node down through the bridge: a browser that never reads and sends
 * garbage is held within its bounds and closed while another user's browser gets every trade, and one login, or
 * one user, has a capped number of sockets.
 */
@ExtendWith(VertxExtension.class)
class BridgeLimitsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final String TRADES = "market.trade.BTCUSDT";
  private static final String[] STALLED_ON = {TRADES, "market.candle.BTCUSDT.1m", "market.depth.BTCUSDT",
      "market.status", "alerts.alice"};
  /** 16 000 entries of {@code "1"}: a 64 KB frame, each entry of which is not a bridge message. */
  private static final String GARBAGE = "[" + "\"1\",".repeat(15_999) + "\"1\"]";
  /** Frames of garbage sent at most: enough to take the heap today, where each entry earned an error frame. */
  private static final int GARBAGE_FRAMES = 100;
  private static final long HEAP_SLACK = 64L << 20;

  @Test
  void aBrowserThatNeverReadsAndSendsGarbageIsClosedWhileOthersGetEveryTrade(Vertx vertx) {
    try (GatewayFixture f = GatewayFixture.aGateway(vertx).withRate(200).with("CANDLEBUS_DEPTH_SYMBOLS", "BTCUSDT")
        .withUsers("alice", "bob").start()) {
      SockJsClient other = f.socket(f.login("bob"));
      until(vertx, "bob's socket is open", other::opened);
      await(other.register(TRADES));
      until(vertx, "bob gets trades", () -> tradeIds(other).size() >= 10);
      long heapBefore = usedHeapAfterGc();

      HttpSession alice = f.login("alice");
      SockJsClient stalled = await(SockJsClient.connect(vertx, f.port(), alice.sessionCookie(), f.origin(), 4096));
      until(vertx, "alice's socket is open", stalled::opened);
      for (String a : STALLED_ON) {
        await(stalled.register(a));
      }
      until(vertx, "alice gets trades", () -> stalled.received("rec").stream()
          .anyMatch(m -> m.getString("address").equals(TRADES)));
      stalled.pause();
      int bound = BridgeClient.maxQueued(STALLED_ON.length);
      double[] most = {0};
      until(vertx, () -> "alice's trades are dropped (queued " + queued(f) + ")", () -> {
        most[0] = Math.max(most[0], queued(f));
        return f.count("candlebus_bridge_dropped_trades_total") > 0;
      });
      // the gauge is read once a second: let it see the full queue
      double droppedThen = f.count("candlebus_bridge_dropped_trades_total");
      until(vertx, "a gauge reading with the queue full", () -> {
        most[0] = Math.max(most[0], queued(f));
        return f.count("candlebus_bridge_dropped_trades_total") > droppedThen + 400;
      });

      // frame after frame of garbage, as fast as the server reads them, until it closes the socket
      int[] sent = {0};
      until(vertx, () -> "alice's socket closed for garbage after " + sent[0] + " frames (queued " + queued(f)
          + ")", () -> {
            most[0] = Math.max(most[0], queued(f));
            if (sent[0] < GARBAGE_FRAMES && !stalled.writeQueueFull()) {
              stalled.writeRaw(GARBAGE);
              sent[0]++;
            }
            return f.count(Refusal.METER, "limit", Refusal.BRIDGE_GARBAGE.label()) > 0
                && f.registry().get("candlebus_bridge_sockets").gauge().value() == 1;
          });
      assertThat(f.count(Refusal.METER, "limit", Refusal.BRIDGE_GARBAGE.label())).isEqualTo(1);
      assertThat(most[0]).as("most queued for a browser, bound %d", bound).isPositive().isLessThanOrEqualTo(bound);
      stalled.resume();
      until(vertx, "alice's client sees the close", stalled::closed);
      await(stalled.close());

      int seen = tradeIds(other).size();
      until(vertx, "bob goes on getting trades", () -> tradeIds(other).size() >= seen + 200);
      long heapAfter = usedHeapAfterGc();
      System.out.printf("bridge limits: %d garbage frames sent, most queued %.0f (bound %d), heap %d -> %d MB%n",
          sent[0], most[0], bound, heapBefore >> 20, heapAfter >> 20);
      assertThat(heapAfter - heapBefore).as("heap growth, bytes").isLessThan(HEAP_SLACK);
      List<Long> ids = tradeIds(other);
      for (int i = 1; i < ids.size(); i++) {
        assertThat(ids.get(i)).as("bob's trade after %d", ids.get(i - 1)).isEqualTo(ids.get(i - 1) + 1);
      }
      assertThat(other.received("rec")).noneMatch(m -> m.getJsonObject("body").containsKey("missed"));
    }
  }

  @Test
  void aLoginAndAUserHaveCappedSocketsAndClosingOneFreesAPlace(Vertx vertx) {
    int perSession = LimitSettings.DEFAULT_BRIDGE_MAX_SOCKETS_PER_SESSION;
    int perUser = LimitSettings.DEFAULT_BRIDGE_MAX_SOCKETS_PER_USER;
    try (GatewayFixture f = GatewayFixture.aGateway(vertx).withUsers("alice").start()) {
      HttpSession first = f.login("alice");
      List<SockJsClient> ofFirst = new ArrayList<>();
      for (int i = 0; i < perSession; i++) {
        ofFirst.add(f.socket(first));
      }
      refused(f, first, 429, "bridge.max.sockets.per.session");
      assertThat(f.count(Refusal.METER, "limit", Refusal.BRIDGE_SOCKETS_PER_SESSION.label())).isEqualTo(1);
      await(ofFirst.get(0).close());
      until(vertx, "the closed socket leaves", () -> sockets(f) == perSession - 1);
      SockJsClient again = f.socket(first);
      until(vertx, "a socket in the freed place opens", again::opened);

      // SockJS's other transports: opened, told why in an err frame, closed
      String xhr = "/eventbus/000/capped" + System.nanoTime() % 100_000 + "/xhr";
      assertThat(poll(f, first, xhr)).isEqualTo("o");
      assertThat(poll(f, first, xhr)).contains("err").contains("bridge.max.sockets.per.session");
      assertThat(poll(f, first, xhr)).startsWith("c[");
      assertThat(f.count(Refusal.METER, "limit", Refusal.BRIDGE_SOCKETS_PER_SESSION.label())).isEqualTo(2);

      // more logins of the same user: at most perUser sockets over all of them
      List<SockJsClient> ofSecond = new ArrayList<>();
      HttpSession second = f.login("alice");
      for (int n = perSession; n < perUser; n += perSession) {
        HttpSession login = n == perSession ? second : f.login("alice");
        for (int i = 0; i < perSession; i++) {
          SockJsClient c = f.socket(login);
          if (login == second) {
            ofSecond.add(c);
          }
        }
      }
      assertThat(sockets(f)).isEqualTo(perUser);
      HttpSession last = f.login("alice");
      refused(f, last, 429, "bridge.max.sockets.per.user");
      assertThat(f.count(Refusal.METER, "limit", Refusal.BRIDGE_SOCKETS_PER_USER.label())).isEqualTo(1);
      await(ofSecond.get(0).close());
      until(vertx, "the closed socket leaves", () -> sockets(f) == perUser - 1);
      SockJsClient inFreedPlace = f.socket(last);
      until(vertx, "a socket of another login in the freed place opens", inFreedPlace::opened);
    }
  }

  /** A WebSocket handshake that the gateway answers {@code status} with a JSON error naming {@code limit}. */
  private static void refused(GatewayFixture f, HttpSession login, int status, String limit) {
    Throwable e = Await.failure(SockJsClient.connect(f.vertx(), f.port(), login.sessionCookie(), f.origin(), 0));
    assertThat(e).isInstanceOf(UpgradeRejectedException.class);
    UpgradeRejectedException rejected = (UpgradeRejectedException) e;
    assertThat(rejected.getStatus()).isEqualTo(status);
    assertThat(new JsonObject(rejected.getBody().toString()).getString("error")).contains(limit);
  }

  /**
   * One poll of SockJS's XHR transport: the frame it answers, without its newline. A client of its own, as the
   * transport closes the connection after each answer (Java 17's client has no close; it goes with its connection).
   */
  private static String poll(GatewayFixture f, HttpSession login, String path) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(f.base() + path))
          .header("Origin", f.origin()).header("Cookie", "candlebus.session=" + login.sessionCookie())
          .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      return r.body().strip();
    } catch (IOException e) {
      throw new AssertionError(path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static double sockets(GatewayFixture f) {
    return f.registry().get("candlebus_bridge_sockets").gauge().value();
  }

  private static double queued(GatewayFixture f) {
    return f.registry().get("candlebus_bridge_queued_max").gauge().value();
  }

  private static List<Long> tradeIds(SockJsClient c) {
    return c.received("rec").stream().filter(m -> m.getString("address").equals(TRADES))
        .map(m -> m.getJsonObject("body")).filter(b -> b.containsKey("tradeId")).map(b -> b.getLong("tradeId"))
        .toList();
  }

  /** The JVM's (the gateway's and the test's) heap in use once collected. */
  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void until(Vertx vertx, String what, BooleanSupplier check) {
    until(vertx, () -> what, check);
  }

  private static void until(Vertx vertx, Supplier<String> what, BooleanSupplier check) {
    try {
      Await.until(vertx, PATIENCE, "", () -> Future.succeededFuture(check.getAsBoolean()));
    } catch (AssertionError e) {
      throw new AssertionError("timed out waiting until " + what.get(), e);
    }
  }
}
