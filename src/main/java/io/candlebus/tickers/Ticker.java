package io.candlebus.tickers;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One market's statistics over a window, as valid at exchange time {@code time} (a stream item's {@code E}, a REST
 * answer's {@code closeTime}). Prices and volumes exact.
 */
public record Ticker(String symbol, TickerWindow window, long time, BigDecimal last, BigDecimal open,
    BigDecimal high, BigDecimal low, BigDecimal volume, BigDecimal quoteVolume, Source source) {

  /** Where a value came from; both are merged by {@link #time}, never by arrival. */
  public enum Source { STREAM, REST }

  /** Last minus open, exact. */
  public BigDecimal change() {
    return last.subtract(open);
  }

  /** The change in percent of the open, to 3 decimals as Binance shows it; 0 when the open is 0. */
  public BigDecimal changePercent() {
    if (open.signum() == 0) {
      return BigDecimal.ZERO.setScale(3);
    }
    return change().multiply(BigDecimal.valueOf(100)).divide(open, 3, RoundingMode.HALF_UP);
  }
}
