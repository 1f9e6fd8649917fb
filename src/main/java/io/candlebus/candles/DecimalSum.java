package io.candlebus.candles;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * An exact, mutable running sum of decimals, cheap enough to update 16 intervals per trade.
 *
 * <p>Binance sends every price and quantity of a symbol with the same scale (8 decimals), so the sum is kept as a
 * 128-bit two's-complement unscaled value at one scale. The first value that would need another scale, or
 * overflow 128 bits, switches the sum to {@link BigDecimal} for the rest of its life: never a rounding.
 */
final class DecimalSum {
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
  private static final int NO_SCALE = Integer.MIN_VALUE;

  private long hi;
  private long lo;
  private int scale = NO_SCALE;
  private BigDecimal big;

  void reset() {
    hi = 0;
    lo = 0;
    scale = NO_SCALE;
    big = null;
  }

  void set(BigDecimal value) {
    reset();
    add(value);
  }

  /** Adds {@code unscaled × 10^-valueScale}. */
  void add(long unscaled, int valueScale) {
    add128(unscaled >> 63, unscaled, valueScale);
  }

  /** Adds the 128-bit value {@code (h, l) × 10^-valueScale}. */
  void add128(long h, long l, int valueScale) {
    if (big == null) {
      if (scale == NO_SCALE || (hi == 0 && lo == 0)) {
        scale = valueScale; // zero has every scale
      }
      if (scale != valueScale && !alignScales(h, l, valueScale)) {
        return; // added on the BigDecimal path
      }
      if (scale == valueScale) {
        long sumLo = lo + l;
        long carry = Long.compareUnsigned(sumLo, lo) < 0 ? 1 : 0;
        try {
          // a (practically impossible) 128-bit overflow falls through to the exact BigDecimal path
          hi = Math.addExact(Math.addExact(hi, h), carry);
          lo = sumLo;
          return;
        } catch (ArithmeticException overflow) {
          // fall through
        }
      }
      big = value();
    }
    big = big.add(new BigDecimal(toBigInteger(h, l), valueScale));
  }

  /**
   * Rare: a value with another scale than the sum's. A finer value makes the sum finer (once); a coarser one is
   * added at the sum's scale. Returns false when it was added exactly on the BigDecimal path instead.
   */
  private boolean alignScales(long h, long l, int valueScale) {
    if (valueScale > scale) {
      BigInteger rescaled = toBigInteger(hi, lo).multiply(BigInteger.TEN.pow(valueScale - scale));
      if (rescaled.bitLength() > 126) {
        big = value().add(new BigDecimal(toBigInteger(h, l), valueScale));
        return false;
      }
      hi = rescaled.shiftRight(64).longValue();
      lo = rescaled.longValue();
      scale = valueScale;
      return true;
    }
    BigInteger incoming = toBigInteger(h, l).multiply(BigInteger.TEN.pow(scale - valueScale));
    if (incoming.bitLength() > 126) {
      big = value().add(new BigDecimal(toBigInteger(h, l), valueScale));
    } else {
      add128(incoming.shiftRight(64).longValue(), incoming.longValue(), scale);
    }
    return false;
  }

  void add(BigDecimal value) {
    BigInteger unscaled = value.unscaledValue();
    int bits = unscaled.bitLength();
    if (bits <= 63) {
      add(unscaled.longValue(), value.scale());
    } else if (bits <= 126) {
      // quote sums (price x qty at scale 16) pass a long quickly; keep them on the 128-bit path
      add128(unscaled.shiftRight(64).longValue(), unscaled.longValue(), value.scale());
    } else {
      if (big == null) {
        big = value();
      }
      big = big.add(value);
    }
  }

  void copyFrom(DecimalSum other) {
    hi = other.hi;
    lo = other.lo;
    scale = other.scale;
    big = other.big;
  }

  /** Adds (or with {@code negate}, subtracts) another sum, exactly. */
  void addSum(DecimalSum other, boolean negate) {
    if (other.big == null && other.scale == NO_SCALE) {
      return;
    }
    if (other.big != null || (negate && other.hi == Long.MIN_VALUE && other.lo == 0)) {
      BigDecimal v = other.value();
      if (big == null) {
        big = value();
      }
      big = negate ? big.subtract(v) : big.add(v);
      return;
    }
    long h = other.hi;
    long l = other.lo;
    if (negate) {
      l = ~l + 1;
      h = ~h + (l == 0 ? 1 : 0);
    }
    add128(h, l, other.scale);
  }

  BigDecimal value() {
    if (big != null) {
      return big;
    }
    int s = scale == NO_SCALE ? 0 : scale;
    if (hi == (lo >> 63)) {
      return BigDecimal.valueOf(lo, s);
    }
    return new BigDecimal(toBigInteger(hi, lo), s);
  }

  private static BigInteger toBigInteger(long h, long l) {
    if (h == (l >> 63)) {
      return BigInteger.valueOf(l);
    }
    BigInteger low = BigInteger.valueOf(l);
    if (l < 0) {
      low = low.add(TWO_64);
    }
    return BigInteger.valueOf(h).shiftLeft(64).add(low);
  }
}
