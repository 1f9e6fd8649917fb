package io.candlebus.indicators;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The newest candles of one symbol and interval, by open time, at most {@code capacity}: a live indicator's input.
 * A candle replaces the one of its open time; stored and live ones may arrive in any order.
 */
public final class IndicatorSeries {
  private final Interval interval;
  private final int capacity;
  private final TreeMap<Long, Candle> candles = new TreeMap<>();

  public IndicatorSeries(Interval interval, int capacity) {
    this.interval = interval;
    this.capacity = Math.max(2, capacity);
  }

  public int capacity() {
    return capacity;
  }

  /** Keeps {@code c}; false if a window is missing just before it (a candle stored later must be read again). */
  public boolean put(Candle c) {
    candles.put(c.openTime(), c);
    while (candles.size() > capacity) {
      candles.pollFirstEntry();
    }
    Long before = candles.lowerKey(c.openTime());
    return before == null || interval.nextOpenTime(before) == c.openTime();
  }

  /** Oldest first. */
  public List<Candle> snapshot() {
    return new ArrayList<>(candles.values());
  }
}
