package io.candlebus.candles;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Trade;

/**
 * The summed values of a kline (v, q, V, Q, n). A symbol keeps one running total of every trade it took; a
 * window's sums are that total minus the total when the window began, so a trade is summed once, not once per
 * interval.
 */
final class Totals {
  final DecimalSum volume = new DecimalSum();
  final DecimalSum quoteVolume = new DecimalSum();
  final DecimalSum takerBuyVolume = new DecimalSum();
  final DecimalSum takerBuyQuoteVolume = new DecimalSum();
  long trades;

  void add(Trade t, TradeNumbers n) {
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
    trades += t.tradeCount();
  }

  void reset() {
    volume.reset();
    quoteVolume.reset();
    takerBuyVolume.reset();
    takerBuyQuoteVolume.reset();
    trades = 0;
  }

  void copyFrom(Totals o) {
    volume.copyFrom(o.volume);
    quoteVolume.copyFrom(o.quoteVolume);
    takerBuyVolume.copyFrom(o.takerBuyVolume);
    takerBuyQuoteVolume.copyFrom(o.takerBuyQuoteVolume);
    trades = o.trades;
  }

  /** {@code this += sign * o}. */
  void add(Totals o, boolean negate) {
    volume.addSum(o.volume, negate);
    quoteVolume.addSum(o.quoteVolume, negate);
    takerBuyVolume.addSum(o.takerBuyVolume, negate);
    takerBuyQuoteVolume.addSum(o.takerBuyQuoteVolume, negate);
    trades += negate ? -o.trades : o.trades;
  }

  /** Binance's values of a kline. */
  void set(Candle k) {
    volume.set(k.volume());
    quoteVolume.set(k.quoteVolume());
    takerBuyVolume.set(k.takerBuyVolume());
    takerBuyQuoteVolume.set(k.takerBuyQuoteVolume());
    trades = k.trades();
  }
}
