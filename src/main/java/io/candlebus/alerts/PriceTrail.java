package io.candlebus.alerts;

import java.math.BigDecimal;

/**
 * The last price of one symbol as of each second of the past day (a ring of 86 401 slots): what
 * {@code change_pct} compares with ("the price 15 minutes ago" is the last trade at or before that second). Fed
 * trade by trade, seeded from stored candles' closes; a second without a trade holds the price before it. Pure,
 * not thread-safe.
 */
final class PriceTrail {
  static final long MAX_WINDOW_MS = 86_400_000L;
  private static final int SLOTS = (int) (MAX_WINDOW_MS / 1_000) + 1;
  private final BigDecimal[] prices = new BigDecimal[SLOTS];
  private long newestSecond = Long.MIN_VALUE;
  private long oldestSecond = Long.MAX_VALUE; // the first second known

  /** A price at {@code time} (epoch ms); times before the newest one known are ignored. */
  void record(long time, BigDecimal price) {
    long second = Math.floorDiv(time, 1_000);
    if (newestSecond == Long.MIN_VALUE) {
      newestSecond = second;
      oldestSecond = second;
    } else if (second < newestSecond) {
      return;
    } else {
      // carry the last price over the seconds without a trade (at most a day of them)
      BigDecimal carried = prices[slot(newestSecond)];
      for (long s = Math.max(newestSecond + 1, second - SLOTS + 1); s < second; s++) {
        prices[slot(s)] = carried;
      }
      newestSecond = second;
      oldestSecond = Math.max(oldestSecond, second - SLOTS + 1);
    }
    prices[slot(second)] = price;
  }

  /** The last price at or before {@code time}, or null when that is before what is known (or over a day ago). */
  BigDecimal at(long time) {
    long second = Math.floorDiv(time, 1_000);
    if (newestSecond == Long.MIN_VALUE || second < oldestSecond) {
      return null;
    }
    return prices[slot(Math.min(second, newestSecond))];
  }

  private static int slot(long second) {
    return (int) Math.floorMod(second, (long) SLOTS);
  }
}
