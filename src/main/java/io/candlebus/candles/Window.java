package io.candlebus.candles;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.candlebus.domain.Trade;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** The open window of one interval of one symbol: mutable sums, updated in place for every trade. */
final class Window {
  static final long NONE = Long.MIN_VALUE;
  /** Trades kept for a partial window until Binance's cumulative kline can seed it; beyond that it stays partial. */
  static final int MAX_PENDING = 200_000;

  final String symbol;
  final Interval interval;

  long openTime = NONE;
  long closeTime = NONE;
  BigDecimal open;
  BigDecimal high;
  BigDecimal low;
  BigDecimal close;
  final DecimalSum volume = new DecimalSum();
  final DecimalSum quoteVolume = new DecimalSum();
  final DecimalSum takerBuyVolume = new DecimalSum();
  final DecimalSum takerBuyQuoteVolume = new DecimalSum();
  long trades;
  long firstTradeId = Candle.NO_ID;
  long lastTradeId = Candle.NO_ID;
  /** Every trade of the window went through here (or the part before them came from Binance's own kline). */
  boolean complete;
  /** Part of the window came from Binance's own kline update. */
  boolean seeded;
  /** Trades of a partial window, to replay on top of a Binance kline update. Null once complete. */
  List<Trade> pending;

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
    return trades > 0;
  }

  void start(long windowOpenTime, boolean isComplete) {
    openTime = windowOpenTime;
    closeTime = interval.closeTime(windowOpenTime);
    open = high = low = close = null;
    volume.reset();
    quoteVolume.reset();
    takerBuyVolume.reset();
    takerBuyQuoteVolume.reset();
    trades = 0;
    firstTradeId = Candle.NO_ID;
    lastTradeId = Candle.NO_ID;
    complete = isComplete;
    seeded = false;
    pending = isComplete ? null : new ArrayList<>();
  }

  void clear() {
    openTime = NONE;
    closeTime = NONE;
    pending = null;
  }

  /** Adds one valid trade whose exact numbers were prepared once for all intervals. */
  void add(Trade t, TradeNumbers n) {
    if (lastTradeId != Candle.NO_ID) {
      if (t.firstTradeId() <= lastTradeId) {
        return; // already counted through a Binance kline that seeded this window
      }
      if (t.firstTradeId() != lastTradeId + 1) {
        // a hole in the trade ids: some trades of this window never reached us
        complete = false;
        pending = new ArrayList<>();
      }
    }
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
    trades += t.tradeCount();
    lastTradeId = t.lastTradeId();
    if (n.fast) {
      volume.add(n.qtyUnscaled, n.qtyScale);
      quoteVolume.add128(n.quoteHi, n.quoteLo, n.quoteScale);
      if (!t.buyerMaker()) {
        takerBuyVolume.add(n.qtyUnscaled, n.qtyScale);
        takerBuyQuoteVolume.add128(n.quoteHi, n.quoteLo, n.quoteScale);
      }
    } else {
      volume.add(t.qty());
      quoteVolume.add(n.quote);
      if (!t.buyerMaker()) {
        takerBuyVolume.add(t.qty());
        takerBuyQuoteVolume.add(n.quote);
      }
    }
    if (pending != null) {
      if (pending.size() < MAX_PENDING) {
        pending.add(t);
      } else {
        pending = null; // too many to keep: the window stays partial and Binance's close decides
      }
    }
  }

  /** Replaces the state with Binance's cumulative kline of this window. */
  void seedFrom(Candle k) {
    open = k.open();
    high = k.high();
    low = k.low();
    close = k.close();
    volume.set(k.volume());
    quoteVolume.set(k.quoteVolume());
    takerBuyVolume.set(k.takerBuyVolume());
    takerBuyQuoteVolume.set(k.takerBuyQuoteVolume());
    trades = k.trades();
    firstTradeId = k.firstTradeId();
    lastTradeId = k.lastTradeId();
    seeded = true;
  }

  /** The window as a candle; an empty window is flat at the previous close (null if that is unknown). */
  Candle snapshot(boolean closed) {
    if (!hasTrades()) {
      BigDecimal previous = lastClosed == null ? null : lastClosed.close();
      return previous == null ? null : Candle.flat(symbol, interval, openTime, previous).withClosed(closed);
    }
    return new Candle(symbol, interval, openTime, closeTime, open, high, low, close, volume.value(),
        quoteVolume.value(), takerBuyVolume.value(), takerBuyQuoteVolume.value(), trades, firstTradeId,
        lastTradeId, closed);
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
