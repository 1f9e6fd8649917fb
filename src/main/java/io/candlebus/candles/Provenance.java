package io.candlebus.candles;

/** How a closed candle came to be, which decides whether it is compared with Binance's and how it is counted. */
public enum Provenance {
  /** Built from every trade of the window. */
  COMPLETE,
  /** No trade in the window, and the stream was continuous: flat at the previous close. */
  FLAT,
  /** Started from Binance's cumulative kline of the window, then our trades on top. */
  SEEDED,
  /** Some trades of the window may be missing (we joined mid-window, or the stream had a gap). */
  PARTIAL,
  /** Binance's own closed kline, taken instead of ours. */
  BINANCE,
  /** Ours again, after a trade arrived for a window already closed by the exchange clock. */
  LATE_CORRECTION
}
