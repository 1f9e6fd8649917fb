package io.candlebus.upstream;

/** REST confirmed that no trade of {@code symbol} after {@code lastTradeId} (individual id) was missed. */
public record UpstreamContinuous(String symbol, long lastTradeId) {}
