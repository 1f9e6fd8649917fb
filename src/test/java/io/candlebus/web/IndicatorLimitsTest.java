package io.candlebus.web;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Addresses;
import io.candlebus.persistence.CandlePages;
import io.candlebus.testing.Await;
import io.candlebus.testing.GatewayFixture;
import io.candlebus.testing.Http;
import io.candlebus.testing.HttpSession;
import io.candlebus.testing.SockJsClient;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One user asking for live indicators by the thousand, on four sockets: beyond {@code indicators.max.feeds.per.user}
 * each registration is refused and counted, each frame of them answered with an {@code err} naming the bound;
 * meanwhile another user's feed keeps its rate, readiness stays 200, a third user's candles and alerts are served,
 * and the burst costs PostgreSQL hardly a read.
 */
@ExtendWith(VertxExtension.class)
@Timeout(300)
class IndicatorLimitsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final String RSI = "market.indicator.BTCUSDT.1m.rsi:14";
  private static final int SOCKETS = 4;
  private static final int PER_SOCKET = 1_000;
  private static final int CAP = 20;
  /** Registrations a frame, as a page would batch them. */
  private static final int PER_FRAME = 100;
  private static final int FRAMES = PER_SOCKET / PER_FRAME;
  private static final String REFUSED = "indicator_feeds_per_user: at most 20 live indicators per user";
  /** Alice's values come every 250 ms while trades change the candle; never this long without one. */
  private static final long MAX_GAP_MS = 2_000;

  private static String ema(int p) {
    return "market.indicator.BTCUSDT.1m.ema:" + p;
  }

  @Test
  void aBurstOfIndicatorsIsCappedPerUserAndHurtsNoOneElse(Vertx vertx) throws Exception {
    try (GatewayFixture f = GatewayFixture.aGateway(vertx).withRate(50).with("CANDLEBUS_HISTORY_LIMIT", "1000")
        .withUsers("mallory", "alice", "carol").start()) {
      await(f.gateway().backfillDone());
      WarmupReads reads = new WarmupReads(vertx);
      SockJsClient alice = f.socket(f.login("alice"));
      await(alice.register(RSI));
      Arrivals values = new Arrivals(vertx, alice);
      Await.until(vertx, PATIENCE, "alice's first RSI values", () -> Future.succeededFuture(values.count() >= 3));
      long baselineFrom = System.currentTimeMillis();
      long baselineStart = values.count();
      Await.until(vertx, PATIENCE, "alice's rate before the burst", () -> Future.succeededFuture(
          values.count() >= baselineStart + 12));
      double baselinePerSecond = (values.count() - baselineStart) * 1_000.0
          / (System.currentTimeMillis() - baselineFrom);

      Probes probes = new Probes(vertx, f, f.login("carol"));
      reads.reset();
      long burstFrom = System.currentTimeMillis();
      long valuesAtBurst = values.count();

      HttpSession mallory = f.login("mallory");
      List<SockJsClient> sockets = new ArrayList<>();
      for (int s = 0; s < SOCKETS; s++) {
        sockets.add(f.socket(mallory));
      }
      registerEmas(sockets);
      Await.until(vertx, PATIENCE, "every registration beyond the cap refused", () -> Future.succeededFuture(
          f.count(Refusal.METER, "limit", Refusal.INDICATOR_FEEDS_PER_USER.label()) >= SOCKETS * (PER_SOCKET - CAP)));
      for (SockJsClient s : sockets) {
        // the bridge answers a frame's errors once: every frame of this burst held a refused registration
        Await.until(vertx, PATIENCE, "an err for each frame", () -> Future.succeededFuture(
            s.received("err").size() >= FRAMES));
        Await.until(vertx, PATIENCE, "values of mallory's 20th indicator", () -> Future.succeededFuture(
            s.received("rec").stream().anyMatch(m -> ema(CAP).equals(m.getString("address")))));
      }
      long refusedAt = values.count();
      // "throughout": well after the burst too
      Await.until(vertx, PATIENCE, "alice, carol and the probe going on after the burst", () ->
          Future.succeededFuture(values.count() >= refusedAt + 12 && probes.readyAfter(burstFrom) >= 20
              && probes.carolAfter(burstFrom) >= 40));
      long burstTo = System.currentTimeMillis();
      long valuesDuring = values.count() - valuesAtBurst;
      probes.stop();
      values.stop();
      reads.stop();

      for (SockJsClient s : sockets) {
        assertThat(s.received("err")).hasSize(FRAMES)
            .allSatisfy(e -> assertThat(e.getString("body")).isEqualTo(REFUSED));
        assertThat(s.received("rec").stream().map(m -> m.getString("address")).distinct())
            .allSatisfy(a -> assertThat(a).matches("market\\.indicator\\.BTCUSDT\\.1m\\.ema:([1-9]|1[0-9]|20)"));
      }
      assertThat(f.count(Refusal.METER, "limit", Refusal.INDICATOR_FEEDS_PER_USER.label()))
          .isEqualTo(SOCKETS * (PER_SOCKET - CAP));
      assertThat(f.count(Refusal.METER, "limit", Refusal.INDICATOR_FEEDS.label())).isZero();
      assertThat(f.registry().find("candlebus_indicator_feeds").gauge().value()).isEqualTo(CAP + 1);

      double duringPerSecond = valuesDuring * 1_000.0 / (burstTo - burstFrom);
      long gap = values.maxGap(burstFrom, burstTo);
      System.out.printf("alice: %.1f values/s before (longest gap %d ms), %.1f during and after the burst "
          + "(longest gap %d ms); warm-up reads %d (%d pages); /ready %s; carol %s%n", baselinePerSecond,
          values.maxGap(baselineFrom, burstFrom), duringPerSecond, gap, reads.reads.get(), reads.pages.get(),
          probes.ready, probes.carol);
      assertThat(gap).as("alice's longest wait for a value").isLessThanOrEqualTo(MAX_GAP_MS);
      assertThat(duringPerSecond).as("alice's rate").isGreaterThanOrEqualTo(baselinePerSecond / 2);
      assertThat(probes.ready.keySet()).as("/ready statuses").containsExactly(200);
      assertThat(probes.carol.keySet()).as("carol's statuses").containsExactly(200);
      assertThat(reads.reads.get()).as("warm-up reads for the burst").isLessThanOrEqualTo(2);
      assertThat(reads.pages.get()).isLessThanOrEqualTo(4);
    }
  }

  /**
   * With the caps off, a thousand feeds of one series share its few warm-up reads, made two at a time at most:
   * PostgreSQL's pool is never flooded, readiness and other users' requests never fail, and every feed gets its
   * turn in the computation lane.
   */
  @Test
  void withoutCapsAThousandFeedsShareAFewReadsAndEachGetsItsTurn(Vertx vertx) throws Exception {
    try (GatewayFixture f = GatewayFixture.aGateway(vertx).withRate(50).with("CANDLEBUS_HISTORY_LIMIT", "1000")
        .with("CANDLEBUS_INDICATORS_MAX_FEEDS_PER_USER", "0").with("CANDLEBUS_INDICATORS_MAX_FEEDS", "0")
        .withUsers("mallory", "carol").start()) {
      await(f.gateway().backfillDone());
      WarmupReads reads = new WarmupReads(vertx);
      Probes probes = new Probes(vertx, f, f.login("carol"));
      long burstFrom = System.currentTimeMillis();
      SockJsClient mallory = f.socket(f.login("mallory"));
      registerEmas(List.of(mallory));
      Await.until(vertx, PATIENCE, "a value of each of the 1 000 feeds", () -> Future.succeededFuture(
          mallory.received("rec").stream().map(m -> m.getString("address")).distinct().count() == PER_SOCKET));
      Await.until(vertx, PATIENCE, "carol and the probe going on after the burst", () -> Future.succeededFuture(
          probes.readyAfter(burstFrom) >= 20 && probes.carolAfter(burstFrom) >= 40));
      probes.stop();
      reads.stop();

      System.out.printf("1 000 feeds: warm-up reads %d (%d pages); /ready %s; carol %s%n", reads.reads.get(),
          reads.pages.get(), probes.ready, probes.carol);
      assertThat(mallory.received("err")).isEmpty();
      assertThat(f.registry().find("candlebus_indicator_feeds").gauge().value()).isEqualTo(PER_SOCKET);
      // one read per series at a time, again only when a frame's feeds need more history than held (each frame's
      // emas are longer than the last's): at most one per frame and the first, never one per feed
      assertThat(reads.reads.get()).as("warm-up reads for 1 000 feeds").isBetween(1, FRAMES + 1);
      assertThat(reads.pages.get()).isLessThanOrEqualTo((FRAMES + 1) * 7);
      assertThat(probes.ready.keySet()).as("/ready statuses").containsExactly(200);
      assertThat(probes.carol.keySet()).as("carol's statuses").containsExactly(200);
    }
  }

  /** Registers ema:1..1000 on each socket, in SockJS frames of 100 (the protocol's arrays), as fast as it goes. */
  private static void registerEmas(List<SockJsClient> sockets) throws Exception {
    List<Future<Void>> sent = new ArrayList<>();
    for (int p = 1; p <= PER_SOCKET; p += PER_FRAME) {
      JsonArray frame = new JsonArray();
      for (int q = p; q < p + PER_FRAME; q++) {
        frame.add(new JsonObject().put("type", "register").put("address", ema(q)).put("headers", new JsonObject())
            .encode());
      }
      for (SockJsClient s : sockets) {
        sent.add(s.writeRaw(frame.encode()));
      }
    }
    Future.all(sent).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /**
   * The warm-up reads on the real event bus: every candle query with an {@code endTime} is a page of one (carol's
   * {@code /api/candles} asks for the newest, without), and a read's first page ends at the newest.
   */
  private static final class WarmupReads {
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger pages = new AtomicInteger();
    private final Vertx vertx;
    private final Handler<DeliveryContext<Object>> interceptor = ctx -> {
      if (Addresses.DB_CANDLES_QUERY.equals(ctx.message().address())
          && ctx.message().body() instanceof JsonObject q && q.containsKey("endTime")) {
        pages.incrementAndGet();
        if (q.getLong("endTime") == CandlePages.NEWEST - 1) {
          reads.incrementAndGet();
        }
      }
      ctx.next();
    };

    WarmupReads(Vertx vertx) {
      this.vertx = vertx;
      vertx.eventBus().addOutboundInterceptor(interceptor);
    }

    void reset() {
      reads.set(0);
      pages.set(0);
    }

    void stop() {
      vertx.eventBus().removeOutboundInterceptor(interceptor);
    }
  }

  /** When a socket's messages arrive (sampled every 20 ms), and the longest wait for one within a time. */
  private static final class Arrivals {
    private final List<Long> times = new CopyOnWriteArrayList<>();
    private final AtomicLong seen = new AtomicLong();
    private final Vertx vertx;
    private final long timer;

    Arrivals(Vertx vertx, SockJsClient socket) {
      this.vertx = vertx;
      this.timer = vertx.setPeriodic(20, id -> {
        long n = socket.count();
        if (n > seen.get()) {
          seen.set(n);
          times.add(System.currentTimeMillis());
        }
      });
    }

    long count() {
      return seen.get();
    }

    /** The longest time within [from, to] without a message. */
    long maxGap(long from, long to) {
      long longest = 0;
      long previous = from;
      for (long t : times) {
        if (t > from && t <= to) {
          longest = Math.max(longest, t - previous);
          previous = t;
        }
      }
      return Math.max(longest, to - previous);
    }

    void stop() {
      vertx.cancelTimer(timer);
    }
  }

  /** /ready polled, and carol's candles and alerts asked for, every 100 ms from two threads of their own. */
  private static final class Probes {
    final Map<Integer, Integer> ready = new ConcurrentHashMap<>();
    final Map<Integer, Integer> carol = new ConcurrentHashMap<>();
    private final List<Long> readyTimes = new CopyOnWriteArrayList<>();
    private final List<Long> carolTimes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final List<java.util.concurrent.Future<?>> running = new ArrayList<>();

    Probes(Vertx vertx, GatewayFixture f, HttpSession session) {
      running.add(threads.submit(() -> {
        while (!stop.get()) {
          ready.merge(Http.get(f.base() + "/ready").statusCode(), 1, Integer::sum);
          readyTimes.add(System.currentTimeMillis());
          await(vertx.timer(100));
        }
        return null;
      }));
      running.add(threads.submit(() -> {
        while (!stop.get()) {
          for (String path : List.of("/api/candles?symbol=BTCUSDT&interval=1m&limit=5", "/api/alerts")) {
            carol.merge(session.get(path).statusCode(), 1, Integer::sum);
            carolTimes.add(System.currentTimeMillis());
          }
          await(vertx.timer(100));
        }
        return null;
      }));
    }

    long readyAfter(long time) {
      return readyTimes.stream().filter(t -> t >= time).count();
    }

    long carolAfter(long time) {
      return carolTimes.stream().filter(t -> t >= time).count();
    }

    /** Ends both, failing with what either failed with. */
    void stop() throws Exception {
      stop.set(true);
      threads.shutdown();
      for (java.util.concurrent.Future<?> r : running) {
        r.get(60, TimeUnit.SECONDS);
      }
    }
  }
}
