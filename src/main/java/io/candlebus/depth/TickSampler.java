package io.candlebus.depth;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Samples books on a fixed 100 ms grid of the local clock, for the recorder. A book's row at tick {@code T} is the
 * book as it stood before the first diff received at or after {@code T}: the caller samples before applying each
 * diff and on its timer, so a late timer changes nothing in the rows. A book being rebuilt (null) gets no row:
 * the recorder never sees an invented one. Not thread-safe; no Vert.x.
 */
public final class TickSampler {
  public static final long TICK_MS = 100;

  private final int levels;
  private final Map<String, Long> nextBySymbol = new HashMap<>();
  private final TreeMap<Long, List<DepthRow>> pending = new TreeMap<>();
  private long nextTick;

  public TickSampler(int levels, long now) {
    this.levels = levels;
    this.nextTick = after(now);
  }

  private static long after(long now) {
    return Math.floorDiv(now, TICK_MS) * TICK_MS + TICK_MS;
  }

  /** From now on, {@code symbol} is sampled at every tick after {@code now}. */
  public void add(String symbol, long now) {
    nextBySymbol.putIfAbsent(symbol, Math.max(after(now), nextTick));
  }

  public void remove(String symbol) {
    nextBySymbol.remove(symbol);
  }

  /** Rows of {@code symbol}'s book for each tick up to {@code now} not sampled yet; {@code book} null: none. */
  public void sample(String symbol, OrderBook book, long eventTime, long now) {
    Long next = nextBySymbol.get(symbol);
    if (next == null) {
      return;
    }
    long t = next;
    for (; t <= now; t += TICK_MS) {
      if (book != null) {
        pending.computeIfAbsent(t, k -> new ArrayList<>())
            .add(new DepthRow(symbol, t, book.updateId(), eventTime, book.bids(levels), book.asks(levels)));
      }
    }
    nextBySymbol.put(symbol, t);
  }

  /**
   * The ticks up to {@code now}, in order, each with the rows sampled at it (empty ones too: they tell the
   * recorder that time went on). Call after sampling every book at {@code now}.
   */
  public List<DepthTick> complete(long now) {
    List<DepthTick> out = new ArrayList<>();
    for (; nextTick <= now; nextTick += TICK_MS) {
      List<DepthRow> rows = pending.remove(nextTick);
      out.add(new DepthTick(nextTick, rows == null ? List.of() : rows));
    }
    pending.headMap(nextTick).clear();
    return out;
  }
}
