package io.candlebus.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RestWeightLimiterTest {
  private static final long MINUTE = 60_000;
  private static final long T = 1_700_000_080_000L; // 40 s into a minute window

  @Test
  void staysWithinTheBudgetOfEachWindow() {
    RestWeightLimiter l = new RestWeightLimiter(100, MINUTE);
    int granted = 0;
    while (l.tryAcquire(2, T) == 0) {
      granted += 2;
    }
    assertThat(granted).isEqualTo(90); // 90 % of the limit
    assertThat(l.tryAcquire(2, T)).isEqualTo(MINUTE); // until the first charges leave the window
    assertThat(l.tryAcquire(2, T + MINUTE - 1)).isEqualTo(1);
    assertThat(l.tryAcquire(2, T + MINUTE)).isZero();
  }

  @Test
  void noWindowEverHoldsMoreThanTheBudgetNeitherSlidingNorCalendar() {
    RestWeightLimiter l = new RestWeightLimiter(1200, MINUTE);
    java.util.Random r = new java.util.Random(3);
    java.util.List<long[]> granted = new java.util.ArrayList<>();
    long now = T;
    while (now < T + 30 * MINUTE) {
      int weight = new int[] {1, 2, 4, 20}[r.nextInt(4)];
      long wait = l.tryAcquire(weight, now);
      if (wait == 0) {
        granted.add(new long[] {now, weight});
        now += r.nextInt(40); // callers far hungrier than the limit
      } else {
        now += wait;
      }
    }
    for (long[] g : granted) {
      long start = g[0];
      long calendar = Math.floorDiv(start, MINUTE) * MINUTE;
      long sliding = granted.stream().filter(x -> x[0] >= start && x[0] < start + MINUTE).mapToLong(x -> x[1]).sum();
      long fixed = granted.stream().filter(x -> x[0] >= calendar && x[0] < calendar + MINUTE)
          .mapToLong(x -> x[1]).sum();
      assertThat(sliding).isLessThanOrEqualTo(1080);
      assertThat(fixed).isLessThanOrEqualTo(1080);
    }
    assertThat(granted.stream().mapToLong(x -> x[1]).sum()).as("the budget is used").isGreaterThan(29 * 1000);
  }

  @Test
  void binanceCountWins() {
    RestWeightLimiter l = new RestWeightLimiter(100, MINUTE);
    l.tryAcquire(2, T);
    l.observeUsed(89, T);
    assertThat(l.used(T)).isEqualTo(89);
    assertThat(l.tryAcquire(2, T)).isPositive();
    l.observeUsed(3, T); // lower counts never reduce ours
    assertThat(l.used(T)).isEqualTo(89);
  }

  @Test
  void retryAfterBlocksEveryCallUntilItsTime() {
    RestWeightLimiter l = new RestWeightLimiter(6000, MINUTE);
    l.blockUntil(T + 120_000);
    assertThat(l.tryAcquire(1, T)).isEqualTo(120_000);
    assertThat(l.tryAcquire(1, T + 119_999)).isEqualTo(1);
    assertThat(l.tryAcquire(1, T + 120_000)).isZero();
  }

  @Test
  void nodesSharingTheIpEachKeepToTheirPart() {
    RestWeightLimiter l = new RestWeightLimiter(6000, MINUTE);
    l.shareAmong(3);
    assertThat(l.budget()).isEqualTo(1800);
    int granted = 0;
    while (l.tryAcquire(20, T) == 0) {
      granted += 20;
    }
    assertThat(granted).as("three such nodes stay within 90 %% of the IP's limit").isEqualTo(1800);
    l.shareAmong(1);
    assertThat(l.tryAcquire(20, T)).as("alone again: the whole budget").isZero();
  }

  @Test
  void sharedBinanceCountIsHeldAgainstTheWholeIpUntilItsWindowEnds() {
    RestWeightLimiter l = new RestWeightLimiter(6000, MINUTE);
    l.shareAmong(2);
    l.tryAcquire(10, T);
    l.observeUsed(5_350, T); // the other node (or another program) used most of the IP's budget
    assertThat(l.used(T)).as("not charged to this node's part").isEqualTo(10);
    assertThat(l.tryAcquire(50, T)).as("5 350 + 50 fits in 5 400").isZero();
    assertThat(l.tryAcquire(1, T)).as("until Binance's minute ends").isEqualTo(20_000);
    assertThat(l.tryAcquire(1, T + 20_000)).isZero();
  }

  @Test
  void aBlockIsToldOnceAndABlockFromElsewhereIsObeyedNotRepeated() {
    RestWeightLimiter l = new RestWeightLimiter(6000, MINUTE);
    java.util.List<Long> told = new java.util.ArrayList<>();
    l.onBlocked(told::add);
    l.blockUntil(T + 5_000);
    l.blockUntil(T + 4_000); // earlier: nothing new
    l.blockedElsewhere(T + 9_000);
    assertThat(told).containsExactly(T + 5_000);
    assertThat(l.tryAcquire(1, T + 5_000)).isEqualTo(4_000);
    assertThat(l.tryAcquire(1, T + 9_000)).isZero();
  }

  @Test
  void retryAfterHeaderParsing() {
    assertThat(BinanceRest.retryAfterMs("7")).isEqualTo(7_000);
    assertThat(BinanceRest.retryAfterMs(null)).isEqualTo(60_000);
    assertThat(BinanceRest.retryAfterMs("soon")).isEqualTo(60_000);
  }
}
