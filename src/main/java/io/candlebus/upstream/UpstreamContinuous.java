package io.candlebus.upstream;

/**
 * A fill of {@code symbol} ended: every trade up to {@code lastTradeId} (individual id) was handed on, in order.
 * {@code upToNow}: REST had nothing after it either, so nothing was missed up to now. The candle builder then
 * applies the Binance klines it held back and may close windows by the clock again.
 */
public record UpstreamContinuous(String symbol, long lastTradeId, boolean upToNow) {}
