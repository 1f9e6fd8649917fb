package io.candlebus.simulator;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.candlebus.domain.Trade;
import java.math.BigDecimal;

/**
 * The simulator's own kline arithmetic, deliberately plain: open = first trade, close = last, high/low = max/min,
 * v = sum of qty, q = sum of price*qty, V/Q the same over trades whose buyer is not the maker, n = individual
 * trades. REST klines and the stream's x:true frames both come from here, over the same trades.
 */
final class KlineAccumulator {
  private BigDecimal open;
  private BigDecimal high;
  private BigDecimal low;
  private BigDecimal close;
  private BigDecimal volume = BigDecimal.ZERO;
  private BigDecimal quoteVolume = BigDecimal.ZERO;
  private BigDecimal takerBuyVolume = BigDecimal.ZERO;
  private BigDecimal takerBuyQuoteVolume = BigDecimal.ZERO;
  private long trades;
  private long firstTradeId = Candle.NO_ID;
  private long lastTradeId = Candle.NO_ID;

  void add(Trade t) {
    BigDecimal p = t.price();
    if (trades == 0) {
      open = p;
      high = p;
      low = p;
      firstTradeId = t.firstTradeId();
    }
    high = high.max(p);
    low = low.min(p);
    close = p;
    BigDecimal quote = p.multiply(t.qty());
    volume = volume.add(t.qty());
    quoteVolume = quoteVolume.add(quote);
    if (!t.buyerMaker()) {
      takerBuyVolume = takerBuyVolume.add(t.qty());
      takerBuyQuoteVolume = takerBuyQuoteVolume.add(quote);
    }
    trades += t.tradeCount();
    lastTradeId = t.lastTradeId();
  }

  boolean isEmpty() {
    return trades == 0;
  }

  /** Close of the trades added so far; null when there were none. */
  BigDecimal close() {
    return close;
  }

  /**
   * The kline of window {@code openTime}: from the trades added, or flat at {@code previousClose} when there were
   * none. Null when there were no trades and no previous close (before the first trade of the history).
   */
  Candle toCandle(String symbol, Interval interval, long openTime, BigDecimal previousClose, boolean closed) {
    if (trades == 0) {
      return previousClose == null ? null : Candle.flat(symbol, interval, openTime, previousClose).withClosed(closed);
    }
    return new Candle(symbol, interval, openTime, interval.closeTime(openTime), open, high, low, close, volume,
        quoteVolume, takerBuyVolume, takerBuyQuoteVolume, trades, firstTradeId, lastTradeId, closed);
  }
}
