package io.candlebus.candles;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.candlebus.domain.Trade;
import java.math.BigDecimal;

/**
 * The open window of one interval of one symbol. Prices are kept here; the sums are the symbol's running
 * {@link Totals} minus {@link #base}, the totals when the window began, plus {@link #offset}, Binance's values of
 * the part of the window we did not see when it was seeded (zero otherwise).
 */
final class Window {
  static final long NONE = Long.MIN_VALUE;

  final String symbol;
  final Interval interval;

  long openTime = NONE;
  long closeTime = NONE;
  BigDecimal open;
  BigDecimal high;
  BigDecimal low;
  BigDecimal close;
  long firstTradeId = Candle.NO_ID;
  long lastTradeId = Candle.NO_ID;
  final Totals base = new Totals();
  final Totals offset = new Totals();
  /** Every trade of the window is counted (some of them through Binance's own kline when seeded). */
  boolean complete;
  /** Part of the window came from Binance's own kline update. */
  boolean seeded;
  /** For a partial window: from this trade id on, every trade of the window reached us. */
  long proofFromId;

  /** The last closed candle of this interval: for flat windows (its close) and Binance's check. */
  Candle lastClosed;
  Provenance lastClosedProvenance;

  Window(String symbol, Interval interval) {
    this.symbol = symbol;
    this.interval = interval;
  }

  boolean isOpen() {
    return openTime != NONE;
  }

  boolean contains(long time) {
    return time >= openTime && time <= closeTime;
  }

  boolean hasTrades() {
    return open != null;
  }

  /** Opens the window; {@code totals} are the symbol's running totals before any trade of it. */
  void start(long windowOpenTime, boolean isComplete, long proofFrom, Totals totals) {
    openTime = windowOpenTime;
    closeTime = interval.closeTime(windowOpenTime);
    open = high = low = close = null;
    firstTradeId = Candle.NO_ID;
    lastTradeId = Candle.NO_ID;
    base.copyFrom(totals);
    offset.reset();
    complete = isComplete;
    seeded = false;
    proofFromId = proofFrom;
  }

  void clear() {
    openTime = NONE;
    closeTime = NONE;
  }

  /** Takes a trade's price and ids; its sums are in the symbol's totals already. */
  void add(Trade t) {
    BigDecimal price = t.price();
    if (open == null) {
      open = high = low = price;
      firstTradeId = t.firstTradeId();
    } else {
      if (price.compareTo(high) > 0) {
        high = price;
      }
      if (price.compareTo(low) < 0) {
        low = price;
      }
    }
    close = price;
    lastTradeId = t.lastTradeId();
  }

  /** Some trades of the window never reached us; those from {@code fromId} on will. */
  void markHole(long fromId) {
    complete = false;
    proofFromId = fromId;
  }

  /** The window as a candle; an empty window is flat at the previous close (null if that is unknown). */
  Candle snapshot(boolean closed, Totals totals, Totals scratch) {
    if (!hasTrades()) {
      BigDecimal previous = lastClosed == null ? null : lastClosed.close();
      return previous == null ? null : Candle.flat(symbol, interval, openTime, previous).withClosed(closed);
    }
    scratch.copyFrom(totals);
    scratch.add(base, true);
    scratch.add(offset, false);
    return new Candle(symbol, interval, openTime, closeTime, open, high, low, close, scratch.volume.value(),
        scratch.quoteVolume.value(), scratch.takerBuyVolume.value(), scratch.takerBuyQuoteVolume.value(),
        scratch.trades, firstTradeId, lastTradeId, closed);
  }

  Provenance provenance() {
    if (!complete) {
      return Provenance.PARTIAL;
    }
    if (!hasTrades()) {
      return Provenance.FLAT;
    }
    return seeded ? Provenance.SEEDED : Provenance.COMPLETE;
  }
}
