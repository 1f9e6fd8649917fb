package io.candlebus.candles;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecimalSumTest {
  @Test
  void emptySumIsZero() {
    assertThat(new DecimalSum().value()).isEqualByComparingTo("0");
  }

  @Test
  void tenthsAddUpExactlyWhereDoublesDoNot() {
    DecimalSum s = new DecimalSum();
    double d = 0;
    for (int i = 0; i < 1000; i++) {
      s.add(new BigDecimal("0.10000000"));
      d += 0.1;
    }
    assertThat(s.value()).isEqualByComparingTo("100");
    assertThat(BigDecimal.valueOf(d)).isNotEqualByComparingTo("100");
  }

  @Test
  void matchesBigDecimalOnRandomValuesAcrossTheLongBoundary() {
    Random r = new Random(7);
    DecimalSum s = new DecimalSum();
    BigDecimal expected = BigDecimal.ZERO;
    for (int i = 0; i < 20_000; i++) {
      // 128-bit products: price x qty at scale 16, far beyond a long
      long p = 1 + (r.nextLong() >>> 20);
      long q = 1 + (r.nextLong() >>> 20);
      s.add128(Math.multiplyHigh(p, q), p * q, 16);
      expected = expected.add(new BigDecimal(BigDecimal.valueOf(p).toBigInteger().multiply(
          BigDecimal.valueOf(q).toBigInteger()), 16));
    }
    assertThat(s.value()).isEqualByComparingTo(expected);
    assertThat(s.value().scale()).isEqualTo(16);
  }

  @Test
  void overflowBeyond128BitsSwitchesToExactBigDecimal() {
    DecimalSum s = new DecimalSum();
    BigDecimal expected = BigDecimal.ZERO;
    for (int i = 0; i < 4; i++) {
      s.add128(Long.MAX_VALUE, -1L, 0); // 2^127 - 1
      expected = expected.add(new BigDecimal(java.math.BigInteger.ONE.shiftLeft(127).subtract(
          java.math.BigInteger.ONE)));
    }
    assertThat(s.value()).isEqualByComparingTo(expected);
  }

  @Test
  void mixedScalesStayExact() {
    DecimalSum s = new DecimalSum();
    s.add(new BigDecimal("1.5"));
    s.add(new BigDecimal("0.00000001"));
    s.add(new BigDecimal("123456789012345678901234567890.123456789"));
    assertThat(s.value()).isEqualByComparingTo("123456789012345678901234567891.623456799");
  }

  @Test
  void wideValuesFromBigDecimalStayExact() {
    DecimalSum s = new DecimalSum();
    BigDecimal wide = new BigDecimal("25202955000000000000000.0000000000000001"); // > 2^64 unscaled
    BigDecimal negative = new BigDecimal("-12345678901234567890123.4567890123456789");
    s.set(wide);
    s.add(negative);
    s.add128(0, 5, 16);
    assertThat(s.value()).isEqualByComparingTo(wide.add(negative).add(new BigDecimal("0.0000000000000005")));
  }

  @Test
  void zeroTakesTheScaleOfWhatIsAddedAndMixedScalesStayExact() {
    DecimalSum s = new DecimalSum();
    s.set(BigDecimal.ZERO);
    s.add(new BigDecimal("0.16428200"));
    s.add(new BigDecimal("1.5")); // coarser
    s.add(new BigDecimal("0.0000000000000001")); // finer
    assertThat(s.value()).isEqualByComparingTo("1.6642820000000001");
    assertThat(s.value().scale()).isEqualTo(16);
  }

  @Test
  void setReplacesTheValue() {
    DecimalSum s = new DecimalSum();
    s.add(new BigDecimal("5"));
    s.set(new BigDecimal("208601.00000000"));
    s.add(new BigDecimal("99.90000000"));
    assertThat(s.value()).isEqualByComparingTo("208700.9");
  }
}
