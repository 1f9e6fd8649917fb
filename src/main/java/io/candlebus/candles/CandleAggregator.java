package io.candlebus.candles;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.candlebus.domain.Trade;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one symbol's candles from its aggTrades with Binance's kline rules (notes/binance-protocol.md §3), for
 * any set of the 16 intervals. Pure and single-threaded: no Vert.x, no clock of its own.
 *
 * <p>Windows close by exchange time only: a trade of a later window, {@link #advanceTo} with stream event times
 * past the close plus a grace period, or Binance's own closed kline. Windows without trades are emitted flat at
 * the previous close, but only where the trade ids prove that no trade was missed. Each trade is summed once into
 * the symbol's running {@link Totals}; a window's sums are the difference since it began.
 */
public final class CandleAggregator {
  /** Flat windows emitted for one gap at most, per interval (a year of 1s windows is not worth emitting). */
  static final int MAX_FLAT_PER_GAP = 100_000;
  /** Trades kept while a window is partial, so Binance's cumulative kline can seed it; beyond, it stays partial. */
  static final int MAX_RECENT = 10_000;
  /** Binance closes held back during one fill at most; beyond, they are applied at once (a fill stuck for days). */
  static final int MAX_DEFERRED = 10_000;

  /** Receives closed candles, in window order per interval. */
  public interface Sink {
    void closed(Candle candle, Provenance provenance);
  }

  /** What one trade did. */
  public enum TradeOutcome { ACCEPTED, INVALID, DUPLICATE, LATE }

  /** The result of comparing Binance's kline with ours. */
  public enum Verdict {
    /** Ours was complete and equal. */
    MATCH,
    /** Ours was complete and different: Binance's was taken. */
    MISMATCH,
    /** Ours was seeded from Binance's stream or partial; Binance's final values were taken where they differ. */
    ADOPTED,
    /** We had no candle for that window: Binance's was taken. */
    UNMATCHED,
    /** A Binance update of the open window; used to seed a partial window, or ignored. */
    UPDATE,
    /** Binance's closed kline arrived while trades of ours were still being fetched: checked when they are in. */
    DEFERRED,
    /** Older than anything we still hold; ignored. */
    STALE
  }

  /** Outcome of {@link #onBinanceKline}: the verdict and, for closed klines, both candles. */
  public record KlineCheck(Verdict verdict, Candle ours, Candle binance) {}

  private final String symbol;
  private final long graceMs;
  private final Window[] windows;
  private final Map<Interval, Window> byInterval = new EnumMap<>(Interval.class);
  private final TradeNumbers numbers = new TradeNumbers();
  private final Totals totals = new Totals();
  private final Totals scratch = new Totals();

  /** Last individual trade id seen; -1 before the first trade. */
  private long lastTradeId = -1;
  /** True after a connection loss until a trade shows whether trades were missed. */
  private boolean awaitingTrade = true;
  /**
   * True from a loss of continuity until the fill settles: our trades of past windows may still come, so neither
   * the clock nor Binance's closed klines (held back in {@link #deferred}) may close windows meanwhile.
   */
  private boolean deferring;
  private final ArrayDeque<Candle> deferred = new ArrayDeque<>();
  /** Trades since the last hole in the ids, kept only while some window is partial; null otherwise. */
  private List<Trade> recent;

  public CandleAggregator(String symbol, Collection<Interval> intervals, long graceMs) {
    this.symbol = symbol;
    this.graceMs = graceMs;
    List<Window> list = new ArrayList<>();
    for (Interval i : Interval.all()) {
      if (intervals.contains(i)) {
        Window w = new Window(symbol, i);
        list.add(w);
        byInterval.put(i, w);
      }
    }
    this.windows = list.toArray(new Window[0]);
  }

  public String symbol() {
    return symbol;
  }

  public long lastTradeId() {
    return lastTradeId;
  }

  /** Adds one aggTrade of this symbol, in stream order. Candles it closes go to {@code sink} first. */
  public TradeOutcome onTrade(Trade t, Sink sink) {
    if (!t.isValid()) {
      return TradeOutcome.INVALID;
    }
    if (lastTradeId >= 0 && t.lastTradeId() <= lastTradeId) {
      return TradeOutcome.DUPLICATE;
    }
    boolean contiguous = lastTradeId >= 0 && t.firstTradeId() == lastTradeId + 1;
    if (!contiguous) {
      recent = new ArrayList<>();
    }
    numbers.prepare(t);
    TradeOutcome outcome = TradeOutcome.ACCEPTED;
    long time = t.time();
    for (Window w : windows) {
      if (w.isOpen() && w.contains(time)) {
        if (!contiguous) {
          w.markHole(t.firstTradeId());
        }
      } else if (!w.isOpen() || time > w.closeTime) {
        moveTo(w, w.interval.openTime(time), contiguous, t.firstTradeId(), sink);
      } else {
        // late for this window's interval: keep it out of the open window's sums
        w.base.add(t, numbers);
        if (!correctLate(w, t, sink)) {
          outcome = TradeOutcome.LATE;
        }
      }
    }
    totals.add(t, numbers);
    for (Window w : windows) {
      if (w.contains(time)) {
        w.add(t);
      }
    }
    lastTradeId = t.lastTradeId();
    awaitingTrade = false;
    keepRecent(t);
    return outcome;
  }

  private void keepRecent(Trade t) {
    if (recent == null) {
      return;
    }
    if (!anyPartial()) {
      recent = null;
    } else if (recent.size() < MAX_RECENT) {
      recent.add(t);
    } else {
      recent = null; // too many to keep: partial windows stay partial and Binance's close decides
    }
  }

  private boolean anyPartial() {
    for (Window w : windows) {
      if (w.isOpen() && !w.complete) {
        return true;
      }
    }
    return false;
  }

  /**
   * Closes every window whose close time plus the grace period lies before {@code exchangeTime} (a stream event
   * time), and the empty windows after it. Does nothing while continuity is unknown after a connection loss.
   */
  public void advanceTo(long exchangeTime, Sink sink) {
    if (awaitingTrade || deferring) {
      return;
    }
    for (Window w : windows) {
      int emitted = 0;
      while (w.isOpen() && exchangeTime > w.closeTime + graceMs && emitted++ < MAX_FLAT_PER_GAP) {
        long next = w.interval.nextOpenTime(w.openTime);
        closeWindow(w, sink);
        // the stream has been live since the last trade: any trade of the next window will reach us
        w.start(next, true, lastTradeId + 1, totals);
      }
    }
  }

  /**
   * This symbol's trades may be missing (its stream dropped, went silent, or showed a hole being filled): no
   * window closes by the clock or by Binance's kline until the trades are in ({@link #settle}).
   */
  public void markDiscontinuous() {
    awaitingTrade = true;
    deferring = true;
  }

  /**
   * The fill settled: every trade up to {@code lastTradeId} (individual id) reached us. {@code upToNow}: REST has
   * nothing after it, so windows may close by the clock again even before the next trade. The Binance klines held
   * back meanwhile are applied now, in order; their checks are returned.
   */
  public List<KlineCheck> settle(long lastTradeId, boolean upToNow, Sink sink) {
    deferring = false;
    if (upToNow && awaitingTrade && lastTradeId == this.lastTradeId) {
      awaitingTrade = false;
    }
    List<KlineCheck> checks = new ArrayList<>(deferred.size());
    while (!deferred.isEmpty()) {
      checks.add(onBinanceKline(deferred.poll(), sink));
    }
    return checks;
  }

  /** Tells the aggregator the last closed candle known from history, so a later empty window can be flat. */
  public void seedLastClosed(Candle last) {
    Window w = byInterval.get(last.interval());
    if (w != null && (w.lastClosed == null || w.lastClosed.openTime() < last.openTime())
        && (!w.isOpen() || w.openTime > last.openTime())) {
      w.lastClosed = last.withClosed(true);
      w.lastClosedProvenance = Provenance.BINANCE;
    }
  }

  /** The open candle of {@code interval}, or null when there is none yet. */
  public Candle current(Interval interval) {
    Window w = byInterval.get(interval);
    return w == null || !w.isOpen() ? null : w.snapshot(false, totals, scratch);
  }

  /** Provenance the open window of {@code interval} would close with; null when there is none. */
  public Provenance currentProvenance(Interval interval) {
    Window w = byInterval.get(interval);
    return w == null || !w.isOpen() ? null : w.provenance();
  }

  /**
   * Takes Binance's own kline of this symbol. An update of an open partial window seeds it (Binance's cumulative
   * values up to its last trade id, then our later trades). A closed kline is compared with ours; where they
   * differ Binance's is emitted to {@code sink} as the final candle.
   */
  public KlineCheck onBinanceKline(Candle k, Sink sink) {
    Window w = byInterval.get(k.interval());
    if (w == null) {
      return new KlineCheck(Verdict.STALE, null, k);
    }
    if (!k.closed()) {
      if (w.isOpen() && w.openTime == k.openTime() && !w.complete) {
        trySeed(w, k);
      }
      return new KlineCheck(Verdict.UPDATE, null, k);
    }
    if (deferring && deferred.size() < MAX_DEFERRED) {
      deferred.add(k);
      return new KlineCheck(Verdict.DEFERRED, null, k);
    }
    boolean reachesOpen = w.isOpen()
        ? w.openTime <= k.openTime()
        : w.lastClosed == null || w.lastClosed.openTime() < k.openTime();
    if (reachesOpen) {
      // Binance declares the window final: close ours up to it
      if (w.isOpen()) {
        if (awaitingTrade) {
          w.complete = false; // trades of this window may still be on their way (a fill after a reconnect)
        }
        closeWindow(w, sink);
      }
      w.start(w.interval.nextOpenTime(k.openTime()), !awaitingTrade, lastTradeId + 1, totals);
    }
    Candle ours = w.lastClosed != null && w.lastClosed.openTime() == k.openTime() ? w.lastClosed : null;
    if (ours == null) {
      if (!reachesOpen) {
        return new KlineCheck(Verdict.STALE, null, k);
      }
      adopt(w, k, sink);
      return new KlineCheck(Verdict.UNMATCHED, null, k);
    }
    Provenance p = w.lastClosedProvenance;
    if (p == Provenance.BINANCE) {
      return new KlineCheck(Verdict.STALE, ours, k);
    }
    boolean trusted = p == Provenance.COMPLETE || p == Provenance.FLAT || p == Provenance.LATE_CORRECTION;
    if (!ours.sameValues(k)) {
      adopt(w, k, sink);
      return new KlineCheck(trusted ? Verdict.MISMATCH : Verdict.ADOPTED, ours, k);
    }
    return new KlineCheck(trusted ? Verdict.MATCH : Verdict.ADOPTED, ours, k);
  }

  private static void adopt(Window w, Candle k, Sink sink) {
    w.lastClosed = k;
    w.lastClosedProvenance = Provenance.BINANCE;
    sink.closed(k, Provenance.BINANCE);
  }

  /**
   * Binance's update holds the window's trades up to its last trade id {@code L}. If every trade of the window
   * after {@code L} reached us, the window is whole again: Binance's values plus our trades after {@code L}.
   */
  private void trySeed(Window w, Candle k) {
    // while continuity is unknown, trades up to L may still be on their way (a fill): seeding would skip them
    if (awaitingTrade || deferring || k.trades() == 0 || k.lastTradeId() < w.proofFromId - 1 || recent == null
        || (!recent.isEmpty() && recent.get(0).firstTradeId() > w.proofFromId)) {
      return;
    }
    Totals after = new Totals();
    TradeNumbers n = new TradeNumbers();
    BigDecimal high = k.high();
    BigDecimal low = k.low();
    BigDecimal close = k.close();
    long last = k.lastTradeId();
    for (Trade t : recent) {
      if (t.firstTradeId() > k.lastTradeId() && w.contains(t.time())) {
        n.prepare(t);
        after.add(t, n);
        high = t.price().compareTo(high) > 0 ? t.price() : high;
        low = t.price().compareTo(low) < 0 ? t.price() : low;
        close = t.price();
        last = t.lastTradeId();
      }
    }
    w.offset.set(k);
    w.base.copyFrom(totals);
    w.base.add(after, true);
    w.open = k.open();
    w.high = high;
    w.low = low;
    w.close = close;
    w.firstTradeId = k.firstTradeId();
    w.lastTradeId = last;
    w.complete = true;
    w.seeded = true;
    lastTradeId = Math.max(lastTradeId, k.lastTradeId());
  }

  /** Closes {@code w} and everything between it and the window opening at {@code target}. */
  private void moveTo(Window w, long target, boolean contiguous, long firstTradeId, Sink sink) {
    if (w.isOpen()) {
      long next = w.interval.nextOpenTime(w.openTime);
      if (!contiguous) {
        w.complete = false; // the missing trade ids may belong to the window being closed
      }
      closeWindow(w, sink);
      if (contiguous) {
        // the trade ids prove nothing happened in between: those windows are flat, as Binance emits them
        int emitted = 0;
        while (next < target && emitted++ < MAX_FLAT_PER_GAP) {
          w.start(next, true, firstTradeId, totals);
          next = w.interval.nextOpenTime(next);
          closeWindow(w, sink);
        }
      }
    }
    w.start(target, contiguous, firstTradeId, totals);
  }

  private void closeWindow(Window w, Sink sink) {
    Provenance p = w.provenance();
    Candle c = w.snapshot(true, totals, scratch);
    w.clear();
    if (c != null) {
      w.lastClosed = c;
      w.lastClosedProvenance = p;
      sink.closed(c, p);
    }
  }

  /** A trade for the window closed just before: fold it in and emit the window again. */
  private static boolean correctLate(Window w, Trade t, Sink sink) {
    Candle last = w.lastClosed;
    if (last == null || !(t.time() >= last.openTime() && t.time() <= last.closeTime())
        || w.lastClosedProvenance == Provenance.BINANCE) {
      return false;
    }
    BigDecimal price = t.price();
    BigDecimal quote = price.multiply(t.qty());
    boolean taker = !t.buyerMaker();
    boolean empty = last.trades() == 0;
    Candle corrected = new Candle(last.symbol(), last.interval(), last.openTime(), last.closeTime(),
        empty ? price : last.open(),
        empty || price.compareTo(last.high()) > 0 ? price : last.high(),
        empty || price.compareTo(last.low()) < 0 ? price : last.low(),
        price,
        last.volume().add(t.qty()),
        last.quoteVolume().add(quote),
        taker ? last.takerBuyVolume().add(t.qty()) : last.takerBuyVolume(),
        taker ? last.takerBuyQuoteVolume().add(quote) : last.takerBuyQuoteVolume(),
        last.trades() + t.tradeCount(),
        empty ? t.firstTradeId() : last.firstTradeId(),
        t.lastTradeId(),
        true);
    w.lastClosed = corrected;
    w.lastClosedProvenance = Provenance.LATE_CORRECTION;
    sink.closed(corrected, Provenance.LATE_CORRECTION);
    return true;
  }
}
