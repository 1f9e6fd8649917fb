package io.candlebus.depth;

import java.math.BigDecimal;

/** {@code <symbol>@bookTicker}: the best bid and ask at book update id {@code updateId} ({@code u}). */
public record BookTicker(String symbol, long updateId, BigDecimal bid, BigDecimal bidQuantity, BigDecimal ask,
    BigDecimal askQuantity) {}
