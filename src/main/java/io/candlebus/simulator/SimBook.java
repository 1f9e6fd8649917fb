package io.candlebus.simulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * One symbol's simulated order book, seeded (but stepped per real tick, so not reproducible like the trades),
 * kept around the symbol's last trade price: bids below it, asks above (so it never crosses), levels one tick
 * (1e-5 of the price, a power of ten) apart within 20 ticks. Every
 * change has its own update id, as on Binance; the changes since the last diff wait to be sent as one
 * {@code depthUpdate} (the newest quantity per price). Event loop only.
 */
final class SimBook {
  static final int RANGE_TICKS = 20;
  /** The update id of a book that never changed. */
  static final long FIRST_UPDATE_ID = 1_000_000;

  /** A diff waiting to be sent: ids {@code first..last}, newest quantity per price. */
  record Pending(long first, long last, Map<BigDecimal, BigDecimal> bids, Map<BigDecimal, BigDecimal> asks) {}

  /** The book at one update id. */
  record Snapshot(long lastUpdateId, NavigableMap<BigDecimal, BigDecimal> bids,
      NavigableMap<BigDecimal, BigDecimal> asks) {}

  private final String symbol;
  private final SplittableRandom random;
  private final TreeMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
  private final TreeMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
  private BigDecimal tick;
  private long updateId = FIRST_UPDATE_ID;
  private long pendingFirst = -1;
  private Map<BigDecimal, BigDecimal> pendingBids = new LinkedHashMap<>();
  private Map<BigDecimal, BigDecimal> pendingAsks = new LinkedHashMap<>();

  SimBook(String symbol, long seed) {
    this.symbol = symbol;
    this.random = new SplittableRandom(seed ^ symbol.hashCode());
  }

  String symbol() {
    return symbol;
  }

  long updateId() {
    return updateId;
  }

  /**
   * Follows the last trade price: levels it passed are removed, then a few random changes near it. After each
   * single change that moved the best bid or ask, {@code topChanged} gets that change's id (for bookTicker).
   */
  void step(BigDecimal price, LongConsumer topChanged) {
    if (tick == null) {
      // 1e-5 of the price, a power of ten; never finer than Binance's 8 decimals
      tick = BigDecimal.ONE.movePointLeft(Math.min(8, 5 - (price.precision() - price.scale() - 1)));
    }
    List<Map.Entry<BigDecimal, BigDecimal>> top = top();
    for (BigDecimal p : bids.headMap(price, true).keySet().toArray(BigDecimal[]::new)) {
      change(true, p, BigDecimal.ZERO);
    }
    for (BigDecimal p : asks.headMap(price, true).keySet().toArray(BigDecimal[]::new)) {
      change(false, p, BigDecimal.ZERO);
    }
    if (!top.equals(top())) {
      topChanged.accept(updateId);
    }
    int changes = bids.size() + asks.size() < RANGE_TICKS ? 2 * RANGE_TICKS : random.nextInt(1, 5);
    for (int i = 0; i < changes; i++) {
      boolean bid = random.nextBoolean();
      int k = random.nextInt(1, RANGE_TICKS + 1);
      BigDecimal p = bid ? price.divide(tick, 0, RoundingMode.CEILING).subtract(BigDecimal.valueOf(k)).multiply(tick)
          : price.divide(tick, 0, RoundingMode.FLOOR).add(BigDecimal.valueOf(k)).multiply(tick);
      BigDecimal qty = random.nextInt(4) == 0 ? BigDecimal.ZERO
          : BigDecimal.valueOf(random.nextLong(1, 1_000_000_000L), 8);
      if (qty.signum() == 0 && !(bid ? bids : asks).containsKey(p)) {
        continue; // removing what is not there changes nothing
      }
      List<Map.Entry<BigDecimal, BigDecimal>> before = top();
      change(bid, p.setScale(8, RoundingMode.UNNECESSARY), qty);
      if (!before.equals(top())) {
        topChanged.accept(updateId);
      }
    }
  }

  private void change(boolean bid, BigDecimal price, BigDecimal qty) {
    updateId++;
    if (pendingFirst < 0) {
      pendingFirst = updateId;
    }
    TreeMap<BigDecimal, BigDecimal> side = bid ? bids : asks;
    if (qty.signum() == 0) {
      side.remove(price);
    } else {
      side.put(price, qty);
    }
    (bid ? pendingBids : pendingAsks).put(price, qty);
  }

  /** The changes since the last call, or null when there were none. */
  Pending takePending() {
    if (pendingFirst < 0) {
      return null;
    }
    Pending p = new Pending(pendingFirst, updateId, pendingBids, pendingAsks);
    pendingFirst = -1;
    pendingBids = new LinkedHashMap<>();
    pendingAsks = new LinkedHashMap<>();
    return p;
  }

  /** The book now, as read-only views: for an answer written at once. */
  Snapshot snapshot() {
    return new Snapshot(updateId, Collections.unmodifiableNavigableMap(bids),
        Collections.unmodifiableNavigableMap(asks));
  }

  /** The book now, copied: for keeping (a stale snapshot served later). */
  Snapshot copy() {
    return new Snapshot(updateId, new TreeMap<>(bids), new TreeMap<>(asks));
  }

  Map.Entry<BigDecimal, BigDecimal> bestBid() {
    return bids.firstEntry();
  }

  Map.Entry<BigDecimal, BigDecimal> bestAsk() {
    return asks.firstEntry();
  }

  /** The best bid and ask entries (immutable, compared by price and quantity); null for an empty side. */
  private List<Map.Entry<BigDecimal, BigDecimal>> top() {
    return Arrays.asList(bids.firstEntry(), asks.firstEntry());
  }
}
