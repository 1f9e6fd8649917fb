package io.candlebus.simulator;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * REST klines computed from a trade history: every window from the one holding the first trade (or the first
 * complete one after trades were dropped from memory) up to the one holding {@code now}, which is included open.
 * Windows without trades are flat at the previous close with n = 0, as Binance serves them.
 */
final class HistoryKlines {
  private HistoryKlines() {}

  static List<Candle> klines(TradeHistory h, Interval iv, long now, Long start, Long end, int limit) {
    long first = h.firstTradeTime();
    if (first == Long.MAX_VALUE || first > now) {
      return List.of();
    }
    long completeFrom = h.completeFrom();
    long firstOpen = completeFrom == Long.MIN_VALUE ? iv.openTime(first) : BarSelection.ceilOpen(iv, completeFrom);
    List<Long> opens = BarSelection.contiguous(iv, firstOpen, iv.openTime(now), start, end, limit);
    List<Candle> out = new ArrayList<>(opens.size());
    if (opens.isEmpty()) {
      return out;
    }
    BigDecimal previousClose = h.priceBefore(opens.get(0)).orElse(null);
    for (long open : opens) {
      long close = iv.closeTime(open);
      KlineAccumulator acc = new KlineAccumulator();
      h.forEachBetween(open, Math.min(close, now), acc::add);
      Candle c = acc.toCandle(h.symbol(), iv, open, previousClose, close < now);
      if (c != null) {
        out.add(c);
      }
      if (!acc.isEmpty()) {
        previousClose = acc.close();
      }
    }
    return out;
  }
}
