package io.candlebus.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ConnectionBudgetTest {
  @Test
  void neverMoreThanTheBudgetInAnySlidingWindow() {
    ConnectionBudget budget = new ConnectionBudget(300, 300_000);
    Random r = new Random(7);
    long now = 0;
    java.util.ArrayDeque<Long> granted = new java.util.ArrayDeque<>();
    int grants = 0;
    while (now < 3_600_000) {
      long wait = budget.tryAcquire(now);
      if (wait == 0) {
        granted.addLast(now);
        grants++;
        while (granted.peekFirst() <= now - 300_000) {
          granted.removeFirst();
        }
        assertThat(granted.size()).isLessThanOrEqualTo(300);
        now += r.nextInt(300); // a reconnect storm: far more often than allowed
      } else {
        assertThat(wait).isPositive();
        now += wait;
      }
    }
    assertThat(grants).isBetween(300 * 11, 300 * 13); // used fully, never exceeded
  }

  @Test
  void binanceDefaultLeavesAMargin() {
    ConnectionBudget b = ConnectionBudget.binanceDefault();
    for (int i = 0; i < ConnectionBudget.DEFAULT_ATTEMPTS; i++) {
      assertThat(b.tryAcquire(1_000)).isZero();
    }
    assertThat(b.tryAcquire(1_000)).isEqualTo(300_000);
    assertThat(b.used(301_000)).isZero();
    assertThat(ConnectionBudget.DEFAULT_ATTEMPTS).isLessThan(300);
  }

  @Test
  void nodesSharingTheIpEachKeepToTheirPart() {
    ConnectionBudget b = new ConnectionBudget(300, 300_000);
    b.shareAmong(3);
    for (int i = 0; i < 100; i++) {
      assertThat(b.tryAcquire(1_000)).isZero();
    }
    assertThat(b.tryAcquire(1_000)).as("three such nodes stay within the IP's 300").isEqualTo(300_000);
    b.shareAmong(2);
    assertThat(b.tryAcquire(1_000)).as("a node left: a bigger part").isZero();
  }

  @Test
  void backoffGrowsWithFullJitterUnderItsCap() {
    long[] seen = new long[10];
    Backoff b = new Backoff(500, 30_000, 100, bound -> bound - 1); // always the ceiling
    for (int i = 0; i < seen.length; i++) {
      seen[i] = b.next();
    }
    assertThat(seen).containsExactly(500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000);
    b.reset();
    assertThat(b.next()).isEqualTo(500);
    Backoff low = new Backoff(500, 30_000, 100, bound -> 0); // the floor
    assertThat(low.next()).isEqualTo(100);
    Backoff real = Backoff.standard();
    for (int i = 0; i < 50; i++) {
      assertThat(real.next()).isBetween(100L, 30_000L);
    }
  }
}
