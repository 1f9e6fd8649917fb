package io.candlebus.persistence;

import io.candlebus.domain.Candle;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/** What a candle must satisfy before it may be stored; the answer names the first problem. */
public final class CandleCheck {
  /** 9999-12-31T23:59:59.999Z: beyond it the PG client would silently store {@code infinity}. */
  static final long MAX_TIME = 253_402_300_799_999L;

  private CandleCheck() {}

  /** Empty when {@code c} can be stored, otherwise why not. */
  public static Optional<String> problem(Candle c) {
    if (c == null) {
      return Optional.of("null candle");
    }
    if (c.symbol() == null || c.symbol().isBlank()) {
      return Optional.of("no symbol");
    }
    if (c.interval() == null) {
      return Optional.of("no interval");
    }
    if (c.openTime() < 0 || c.openTime() > MAX_TIME) {
      return Optional.of("openTime " + c.openTime() + " out of range");
    }
    if (c.closeTime() < c.openTime() || c.closeTime() > MAX_TIME) {
      return Optional.of("closeTime " + c.closeTime() + " out of range (openTime " + c.openTime() + ")");
    }
    if (c.trades() < 0) {
      return Optional.of("negative trade count " + c.trades());
    }
    BigDecimal[] values = {c.open(), c.high(), c.low(), c.close(), c.volume(), c.quoteVolume(),
        c.takerBuyVolume(), c.takerBuyQuoteVolume()};
    for (BigDecimal v : values) {
      if (v == null) {
        return Optional.of("missing price or volume");
      }
    }
    return Optional.empty();
  }

  /** Fails with an {@link IllegalArgumentException} naming the first bad candle of {@code candles}. */
  static void requireValid(List<Candle> candles) {
    for (int i = 0; i < candles.size(); i++) {
      Candle c = candles.get(i);
      Optional<String> problem = problem(c);
      if (problem.isPresent()) {
        throw new IllegalArgumentException("candle #" + i + describe(c) + ": " + problem.get());
      }
    }
  }

  /** For logs: symbol and values, cut short (a valid decimal may have thousands of digits). */
  static String brief(Candle c) {
    String s = c.symbol() + " " + c.describe();
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }

  static String describe(Candle c) {
    return c == null ? "" : " (" + c.symbol() + " " + c.interval() + "@" + c.openTime() + ")";
  }
}
