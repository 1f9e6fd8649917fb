package io.candlebus.domain;

import java.math.BigDecimal;

/**
 * One kline: ours (built from trades) or Binance's (from the kline stream or REST).
 *
 * <p>{@code firstTradeId}/{@code lastTradeId} are -1 when unknown (REST klines, stored rows) or when the window
 * had no trades, as on Binance's stream.
 */
public record Candle(
    String symbol,
    Interval interval,
    long openTime,
    long closeTime,
    BigDecimal open,
    BigDecimal high,
    BigDecimal low,
    BigDecimal close,
    BigDecimal volume,
    BigDecimal quoteVolume,
    BigDecimal takerBuyVolume,
    BigDecimal takerBuyQuoteVolume,
    long trades,
    long firstTradeId,
    long lastTradeId,
    boolean closed) {

  public static final long NO_ID = -1L;

  /** A window without trades: flat at the previous close, zero volume, as Binance emits it. */
  public static Candle flat(String symbol, Interval interval, long openTime, BigDecimal previousClose) {
    return new Candle(symbol, interval, openTime, interval.closeTime(openTime), previousClose, previousClose,
        previousClose, previousClose, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, 0,
        NO_ID, NO_ID, true);
  }

  public Candle withClosed(boolean isClosed) {
    return isClosed == closed ? this : new Candle(symbol, interval, openTime, closeTime, open, high, low, close,
        volume, quoteVolume, takerBuyVolume, takerBuyQuoteVolume, trades, firstTradeId, lastTradeId, isClosed);
  }

  /**
   * Equal on the values Binance publishes for a kline: o/h/l/c/v/q/V/Q/n and the window, compared as numbers so
   * that {@code "0.10000000"} equals {@code "0.1"}.
   */
  public boolean sameValues(Candle other) {
    return openTime == other.openTime
        && closeTime == other.closeTime
        && trades == other.trades
        && open.compareTo(other.open) == 0
        && high.compareTo(other.high) == 0
        && low.compareTo(other.low) == 0
        && close.compareTo(other.close) == 0
        && volume.compareTo(other.volume) == 0
        && quoteVolume.compareTo(other.quoteVolume) == 0
        && takerBuyVolume.compareTo(other.takerBuyVolume) == 0
        && takerBuyQuoteVolume.compareTo(other.takerBuyQuoteVolume) == 0;
  }

  /** One line for logs: the nine compared values. */
  public String describe() {
    return interval + "@" + openTime + " o=" + Decimals.plain(open) + " h=" + Decimals.plain(high)
        + " l=" + Decimals.plain(low) + " c=" + Decimals.plain(close) + " v=" + Decimals.plain(volume)
        + " q=" + Decimals.plain(quoteVolume) + " V=" + Decimals.plain(takerBuyVolume)
        + " Q=" + Decimals.plain(takerBuyQuoteVolume) + " n=" + trades;
  }
}
