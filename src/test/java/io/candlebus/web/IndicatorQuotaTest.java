package io.candlebus.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

class IndicatorQuotaTest {
  private static String ema(int p) {
    return "market.indicator.BTCUSDT.1m.ema:" + p;
  }

  @Test
  void aUserHasAtMostNDistinctAddressesOverAllTheirSockets() {
    IndicatorQuota quota = new IndicatorQuota(20, 0);
    for (int p = 1; p <= 20; p++) {
      assertThat(quota.acquire("mallory", ema(p))).isNull(); // socket 1
    }
    assertThat(quota.acquire("mallory", ema(21))).isEqualTo(Refusal.INDICATOR_FEEDS_PER_USER);
    for (int p = 1; p <= 20; p++) {
      assertThat(quota.acquire("mallory", ema(p))).as("the same address on socket 2 counts once").isNull();
    }
    assertThat(quota.acquire("mallory", ema(21))).isEqualTo(Refusal.INDICATOR_FEEDS_PER_USER);
    assertThat(quota.addresses("mallory")).isEqualTo(20);
    assertThat(quota.acquire("alice", ema(21))).as("another user's own cap").isNull();
    assertThat(quota.addresses()).isEqualTo(21);
  }

  @Test
  void anAddressIsReleasedWithItsLastRegistration() {
    IndicatorQuota quota = new IndicatorQuota(2, 0);
    assertThat(quota.acquire("mallory", ema(1))).isNull();
    assertThat(quota.acquire("mallory", ema(1))).isNull();
    assertThat(quota.acquire("mallory", ema(2))).isNull();
    quota.release("mallory", ema(1)); // one socket left it, the other still holds it
    assertThat(quota.acquire("mallory", ema(3))).isEqualTo(Refusal.INDICATOR_FEEDS_PER_USER);
    quota.release("mallory", ema(1));
    assertThat(quota.addresses("mallory")).isEqualTo(1);
    assertThat(quota.acquire("mallory", ema(3))).isNull();
    quota.release("mallory", ema(9)); // never held: nothing to release
    quota.release("nobody", ema(3));
    assertThat(quota.addresses()).isEqualTo(2);
    quota.release("mallory", ema(2));
    quota.release("mallory", ema(3));
    assertThat(quota.addresses()).isZero();
    assertThat(quota.addresses("mallory")).isZero();
  }

  @Test
  void theNodeHasAtMostMDistinctAddresses() {
    IndicatorQuota quota = new IndicatorQuota(0, 3);
    assertThat(quota.acquire("alice", ema(1))).isNull();
    assertThat(quota.acquire("alice", ema(2))).isNull();
    assertThat(quota.acquire("bob", ema(3))).isNull();
    assertThat(quota.acquire("bob", ema(4))).isEqualTo(Refusal.INDICATOR_FEEDS);
    assertThat(quota.acquire("bob", ema(1))).as("a feed the node computes already").isNull();
    assertThat(quota.addresses()).isEqualTo(3);
    quota.release("alice", ema(1)); // bob still holds it
    assertThat(quota.acquire("carol", ema(4))).isEqualTo(Refusal.INDICATOR_FEEDS);
    quota.release("bob", ema(1));
    assertThat(quota.acquire("carol", ema(4))).isNull();
    assertThat(quota.reason(Refusal.INDICATOR_FEEDS))
        .isEqualTo("indicator_feeds: at most 3 live indicators on this node");
    assertThat(new IndicatorQuota(20, 200).reason(Refusal.INDICATOR_FEEDS_PER_USER))
        .isEqualTo("indicator_feeds_per_user: at most 20 live indicators per user");
  }

  @Test
  void zeroIsNoCap() {
    IndicatorQuota quota = new IndicatorQuota(0, 0);
    for (int p = 1; p <= 1_000; p++) {
      assertThat(quota.acquire("mallory", ema(p))).isNull();
    }
    assertThat(quota.addresses()).isEqualTo(1_000);
  }

  /** The node's bridges call from their own event loops at once: the caps still hold exactly. */
  @Test
  void bridgesOnSeveralThreadsNeverExceedTheCaps() throws Exception {
    IndicatorQuota perUser = new IndicatorQuota(20, 0);
    AtomicInteger admitted = new AtomicInteger();
    // two sockets of each of four users, each registering the same 1 000 addresses in the same order
    onEightThreads(t -> {
      for (int p = 1; p <= 1_000; p++) {
        if (perUser.acquire("user" + t % 4, ema(p)) == null) {
          admitted.incrementAndGet();
        }
      }
    });
    for (int u = 0; u < 4; u++) {
      assertThat(perUser.addresses("user" + u)).isEqualTo(20);
    }
    assertThat(admitted.get()).as("each socket got the first 20").isEqualTo(8 * 20);

    IndicatorQuota perNode = new IndicatorQuota(0, 50);
    onEightThreads(t -> {
      for (int p = 1; p <= 1_000; p++) {
        perNode.acquire("user" + t, ema(t * 1_000 + p)); // distinct addresses for each
      }
    });
    assertThat(perNode.addresses()).isEqualTo(50);
  }

  private static void onEightThreads(IntConsumer work) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        done.add(threads.submit(() -> {
          start.await();
          work.accept(thread);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
