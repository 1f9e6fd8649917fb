package io.candlebus.alerts;

import io.candlebus.domain.Interval;
import java.math.BigDecimal;

/**
 * One alert of a user's list (issue 13): what it watches on one symbol's trades and how often it may fire.
 *
 * <ul>
 *   <li>{@code PRICE_ABOVE} / {@code PRICE_BELOW}: the trade price is at or above / at or below {@code level};</li>
 *   <li>{@code CROSSING_UP}: the previous trade was below {@code level} and this one is at or above it (a gap over
 *       the level counts); {@code CROSSING_DOWN} the mirror;</li>
 *   <li>{@code CHANGE_PCT}: the price moved {@code percent} (signed: +2 up, -2 down) or more since the price
 *       {@code windowMs} ago.</li>
 * </ul>
 * {@code ONCE} fires once and is done; {@code EVERY} fires again no sooner than {@code cooldownMs} after;
 * {@code ONCE_PER_BAR} at most once per {@code bar} window (UTC). {@code expires} (epoch ms, or 0) ends it.
 */
public record AlertSpec(long id, String username, String symbol, Kind kind, BigDecimal level, BigDecimal percent,
    long windowMs, Frequency frequency, long cooldownMs, Interval bar, long expires, String note, String sound,
    boolean paused) {
  public static final long DEFAULT_COOLDOWN_MS = 60_000;

  public enum Kind { PRICE_ABOVE, PRICE_BELOW, CROSSING_UP, CROSSING_DOWN, CHANGE_PCT }

  public enum Frequency { ONCE, EVERY, ONCE_PER_BAR }

  /** An alert on a level ({@code PRICE_*}, {@code CROSSING_*}) that fires every time, cooldown 1 min. */
  public static AlertSpec level(long id, String username, String symbol, Kind kind, BigDecimal level,
      Frequency frequency) {
    return new AlertSpec(id, username, symbol, kind, level, null, 0, frequency, DEFAULT_COOLDOWN_MS,
        Interval.M1, 0, null, null, false);
  }

  public AlertSpec withCooldown(long ms) {
    return new AlertSpec(id, username, symbol, kind, level, percent, windowMs, frequency, ms, bar, expires, note,
        sound, paused);
  }

  public AlertSpec withBar(Interval v) {
    return new AlertSpec(id, username, symbol, kind, level, percent, windowMs, frequency, cooldownMs, v, expires,
        note, sound, paused);
  }

  public AlertSpec withExpires(long v) {
    return new AlertSpec(id, username, symbol, kind, level, percent, windowMs, frequency, cooldownMs, bar, v, note,
        sound, paused);
  }

  /** A move of {@code percent} within {@code windowMs}. */
  public static AlertSpec change(long id, String username, String symbol, BigDecimal percent, long windowMs,
      Frequency frequency) {
    return new AlertSpec(id, username, symbol, Kind.CHANGE_PCT, null, percent, windowMs, frequency,
        DEFAULT_COOLDOWN_MS, Interval.M1, 0, null, null, false);
  }
}
