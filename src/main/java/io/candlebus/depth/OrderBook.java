package io.candlebus.depth;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A local order book: levels by exact price (compared by value, so {@code "2.27000000"} and {@code "2.27"} are
 * one level), bids best first, asks best first, and the update id it is at. Not thread-safe; no Vert.x.
 */
public final class OrderBook {
  private final NavigableMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
  private final NavigableMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
  private long updateId;

  /** The book of a snapshot. */
  public static OrderBook of(DepthSnapshot snapshot) {
    OrderBook b = new OrderBook();
    apply(b.bids, snapshot.bids());
    apply(b.asks, snapshot.asks());
    b.updateId = snapshot.lastUpdateId();
    return b;
  }

  /** Applies a diff's levels and moves to its final id; the caller has checked continuity. */
  void apply(DepthDiff diff) {
    apply(bids, diff.bids());
    apply(asks, diff.asks());
    updateId = diff.finalId();
  }

  private static void apply(NavigableMap<BigDecimal, BigDecimal> side, List<Level> levels) {
    for (Level l : levels) {
      if (l.quantity().signum() == 0) {
        side.remove(l.price());
      } else {
        side.put(l.price(), l.quantity());
      }
    }
  }

  public long updateId() {
    return updateId;
  }

  /** The best bid, or null when the side is empty. */
  public Level bestBid() {
    return level(bids.firstEntry());
  }

  public Level bestAsk() {
    return level(asks.firstEntry());
  }

  /** Best bid at or above best ask: a book that missed something. */
  public boolean crossed() {
    return !bids.isEmpty() && !asks.isEmpty() && bids.firstKey().compareTo(asks.firstKey()) >= 0;
  }

  /** The best {@code n} bids, best first. */
  public List<Level> bids(int n) {
    return top(bids, n);
  }

  public List<Level> asks(int n) {
    return top(asks, n);
  }

  public int bidCount() {
    return bids.size();
  }

  public int askCount() {
    return asks.size();
  }

  /** Levels held on both sides. */
  public int levels() {
    return bids.size() + asks.size();
  }

  private static List<Level> top(NavigableMap<BigDecimal, BigDecimal> side, int n) {
    List<Level> out = new ArrayList<>(Math.min(n, side.size()));
    for (Map.Entry<BigDecimal, BigDecimal> e : side.entrySet()) {
      if (out.size() == n) {
        break;
      }
      out.add(new Level(e.getKey(), e.getValue()));
    }
    return out;
  }

  private static Level level(Map.Entry<BigDecimal, BigDecimal> e) {
    return e == null ? null : new Level(e.getKey(), e.getValue());
  }
}
