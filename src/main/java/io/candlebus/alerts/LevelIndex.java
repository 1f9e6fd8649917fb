package io.candlebus.alerts;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Armed alerts of one kind on one symbol, by level. What a trade asks is answered from cached keys in one or two
 * comparisons however many alerts there are (the benchmark's 100 000): the lowest and highest level, and the
 * levels just below and above the previous price (kept while the price moves between them). Only a trade that
 * reaches a level looks into the tree. Not thread-safe.
 */
final class LevelIndex<T> {
  private final TreeMap<BigDecimal, List<T>> levels = new TreeMap<>();
  private int size;
  private boolean ends; // first/last valid
  private BigDecimal first;
  private BigDecimal last;
  private boolean bracketed; // below/above valid for a previous price strictly between them
  private boolean refIsLevel;
  private BigDecimal below; // largest level < ref
  private BigDecimal above; // smallest level > ref

  int size() {
    return size;
  }

  void add(BigDecimal level, T entry) {
    levels.computeIfAbsent(level, l -> new ArrayList<>(1)).add(entry);
    size++;
    changed();
  }

  /** Removes one entry (a user's change: rare, so a bucket scan is fine). */
  boolean remove(BigDecimal level, T entry) {
    List<T> bucket = levels.get(level);
    if (bucket == null || !bucket.remove(entry)) {
      return false;
    }
    if (bucket.isEmpty()) {
      levels.remove(level);
    }
    size--;
    changed();
    return true;
  }

  private void changed() {
    ends = false;
    bracketed = false;
  }

  private void ends() {
    if (!ends) {
      first = levels.isEmpty() ? null : levels.firstKey();
      last = levels.isEmpty() ? null : levels.lastKey();
      ends = true;
    }
  }

  /** Whether some level is at or below {@code price}. */
  boolean anyAtOrBelow(BigDecimal price) {
    ends();
    return first != null && first.compareTo(price) <= 0;
  }

  /** Whether some level is at or above {@code price}. */
  boolean anyAtOrAbove(BigDecimal price) {
    ends();
    return last != null && last.compareTo(price) >= 0;
  }

  private void bracket(BigDecimal previous) {
    if (bracketed && !refIsLevel && (below == null || below.compareTo(previous) < 0)
        && (above == null || above.compareTo(previous) > 0)) {
      return; // no level between the old reference and this one: same neighbours
    }
    below = levels.lowerKey(previous);
    above = levels.higherKey(previous);
    refIsLevel = levels.containsKey(previous);
    bracketed = true;
  }

  /** Whether a level is in {@code (previous, price]}. */
  boolean anyCrossedUp(BigDecimal previous, BigDecimal price) {
    bracket(previous);
    return above != null && above.compareTo(price) <= 0;
  }

  /** Whether a level is in {@code [price, previous)}. */
  boolean anyCrossedDown(BigDecimal previous, BigDecimal price) {
    bracket(previous);
    return below != null && below.compareTo(price) >= 0;
  }

  /** Takes every entry of {@code range} (a view of {@link #levels()}) out, giving each to {@code fired}. */
  void take(NavigableMap<BigDecimal, List<T>> range, Consumer<T> fired) {
    if (range.isEmpty()) {
      return;
    }
    List<T> out = new ArrayList<>();
    for (Map.Entry<BigDecimal, List<T>> e : range.entrySet()) {
      out.addAll(e.getValue());
    }
    range.clear();
    size -= out.size();
    changed();
    out.forEach(fired);
  }

  NavigableMap<BigDecimal, List<T>> levels() {
    return levels;
  }
}
