package io.candlebus.depth;

import java.math.BigDecimal;

/** One price level as Binance sends it: an absolute quantity; zero removes the level. */
public record Level(BigDecimal price, BigDecimal quantity) {}
