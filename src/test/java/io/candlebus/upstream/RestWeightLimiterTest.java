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
    assertThat(l.tryAcquire(2, T)).isEqualTo(20_000); // until the next window
    assertThat(l.tryAcquire(2, T + 20_000)).isZero();
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
  void retryAfterHeaderParsing() {
    assertThat(BinanceRest.retryAfterMs("7")).isEqualTo(7_000);
    assertThat(BinanceRest.retryAfterMs(null)).isEqualTo(60_000);
    assertThat(BinanceRest.retryAfterMs("soon")).isEqualTo(60_000);
  }
}
