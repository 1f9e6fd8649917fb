package io.candlebus.simulator;

/** An inclusive range of ids, {@code first <= last}. */
public record LongRange(long first, long last) {
  public LongRange {
    if (first > last) {
      throw new IllegalArgumentException("empty range " + first + ".." + last);
    }
  }

  public boolean contains(long v) {
    return v >= first && v <= last;
  }

  public long size() {
    return last - first + 1;
  }
}
