package io.candlebus.simulator;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * One symbol's trades in a rolling window {@code (closeTime - width, closeTime]}, kept incrementally: trades are
 * added at the front as time passes and dropped at the back once they are {@code width} old, with running sums
 * and monotonic deques for the high and the low, so advancing costs only the trades that came and went. The
 * values are exact (prices in ticks of 0.01, quantities in steps of 0.00001, the quote volume a BigDecimal).
 *
 * <p>When the history dropped trades that are still in the window ({@code maxTradesPerSymbol}), the window is
 * rebuilt from the oldest trade still held, as REST aggTrades answers from it. Not thread-safe: event loop only.
 */
final class RollingWindow {
  private final TradeHistory history;
  private final long width;
  /** First agg id in the window; {@code front} when it is empty. */
  private long back;
  /** The agg id the next trade to come in will have. */
  private long front;
  private long closeTime = Long.MIN_VALUE;
  private long volumeSteps;
  /** Sum of price ticks x qty steps: the quote volume in units of 1e-7. */
  private BigDecimal quoteUnits = BigDecimal.ZERO;
  private final LongDeque highs = new LongDeque();
  private final LongDeque lows = new LongDeque();
  /** Incremented whenever a trade came in or left: the statistics differ exactly when it moved. */
  private long version;
  /**
   * The trades as the last advance saw them: {@link #stats} reads these, so a worker thread that generates (and
   * drops) trades meanwhile cannot pull ids from under it.
   */
  private TradeHistory.Raw raw;

  RollingWindow(TradeHistory history, long width) {
    this.history = history;
    this.width = width;
    this.raw = history.raw();
    this.back = raw.first();
    this.front = back;
  }

  TradeHistory history() {
    return history;
  }

  long width() {
    return width;
  }

  long version() {
    return version;
  }

  long closeTime() {
    return closeTime;
  }

  /** Moves the window to end at {@code now} (never backwards); generates the history up to it first. */
  void advance(long now) {
    if (now <= closeTime) {
      return;
    }
    history.advanceTo(now);
    raw = history.raw();
    if (back < raw.first()) {
      reset(raw.first());  // trades in the window were dropped from memory: start again from what is held
    }
    boolean moved = false;
    long last = raw.last();
    for (; front <= last && raw.time(front) <= now; front++) {
      add(front);
      moved = true;
    }
    long oldest = now - width;  // trades at or before it have left
    for (; back < front && raw.time(back) <= oldest; back++) {
      drop(back);
      moved = true;
    }
    closeTime = now;
    if (moved) {
      version++;
    }
  }

  private void reset(long from) {
    back = from;
    front = from;
    volumeSteps = 0;
    quoteUnits = BigDecimal.ZERO;
    highs.clear();
    lows.clear();
    version++;
  }

  private void add(long id) {
    int p = raw.priceTicks(id);
    int q = raw.qtySteps(id);
    volumeSteps = Math.addExact(volumeSteps, q);
    quoteUnits = quoteUnits.add(BigDecimal.valueOf((long) p * q));
    while (!highs.isEmpty() && raw.priceTicks(highs.last()) <= p) {
      highs.removeLast();
    }
    highs.addLast(id);
    while (!lows.isEmpty() && raw.priceTicks(lows.last()) >= p) {
      lows.removeLast();
    }
    lows.addLast(id);
  }

  private void drop(long id) {
    int q = raw.qtySteps(id);
    volumeSteps -= q;
    quoteUnits = quoteUnits.subtract(BigDecimal.valueOf((long) raw.priceTicks(id) * q));
    if (highs.first() == id) {
      highs.removeFirst();
    }
    if (lows.first() == id) {
      lows.removeFirst();
    }
  }

  /**
   * The statistics at {@link #closeTime()} (call {@link #advance} first), or null when the symbol has had no
   * trade at all yet. A window with no trade in it has the last price before it as open, high, low and close,
   * zero volumes and ids -1, as Binance shows a market that did not trade.
   */
  TickerStats stats() {
    long openTime = closeTime - width;
    if (back == front) {
      BigDecimal last = history.priceBefore(closeTime + 1).orElse(null);
      if (last == null) {
        return null;
      }
      BigDecimal zero = BigDecimal.ZERO.setScale(8);
      return new TickerStats(history.symbol(), openTime, closeTime, last, last, last, last, zero, zero, zero, last,
          0, -1, -1);
    }
    long lastId = front - 1;
    BigDecimal prevClose = back > raw.first() ? TradeHistory.priceOfTicks(raw.priceTicks(back - 1))
        : history.priceBefore(openTime + 1).orElse(BigDecimal.ZERO.setScale(8));
    return new TickerStats(history.symbol(), openTime, closeTime,
        TradeHistory.priceOfTicks(raw.priceTicks(back)),
        TradeHistory.priceOfTicks(raw.priceTicks(highs.first())),
        TradeHistory.priceOfTicks(raw.priceTicks(lows.first())),
        TradeHistory.priceOfTicks(raw.priceTicks(lastId)),
        TradeHistory.qtyOfSteps(raw.qtySteps(lastId)),
        TradeHistory.qtyOfSteps(volumeSteps),
        quoteUnits.movePointLeft(7),
        prevClose, front - back, back, lastId);
  }

  /** A growable ring of longs (agg ids), cheaper than ArrayDeque of boxed Longs. */
  static final class LongDeque {
    private long[] a = new long[8];
    private int head;
    private int size;

    boolean isEmpty() {
      return size == 0;
    }

    long first() {
      return a[head];
    }

    long last() {
      return a[(head + size - 1) & (a.length - 1)];
    }

    void addLast(long v) {
      if (size == a.length) {
        long[] b = new long[a.length * 2];
        for (int i = 0; i < size; i++) {
          b[i] = a[(head + i) & (a.length - 1)];
        }
        a = b;
        head = 0;
      }
      a[(head + size) & (a.length - 1)] = v;
      size++;
    }

    void removeFirst() {
      head = (head + 1) & (a.length - 1);
      size--;
    }

    void removeLast() {
      size--;
    }

    void clear() {
      head = 0;
      size = 0;
      Arrays.fill(a, 0);
    }
  }
}
