package io.candlebus.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Binance's 16 kline intervals with their UTC window arithmetic.
 *
 * <p>Fixed-length intervals are aligned to the epoch ({@code floor(t / len) * len}); {@code 1w} is aligned to
 * Monday 00:00 UTC and {@code 1M} to calendar months. {@code 3d} uses epoch alignment, which Binance does not
 * document (see README, "Known limits").
 */
public enum Interval {
  S1("1s", 1_000L),
  M1("1m", 60_000L),
  M3("3m", 3 * 60_000L),
  M5("5m", 5 * 60_000L),
  M15("15m", 15 * 60_000L),
  M30("30m", 30 * 60_000L),
  H1("1h", 3_600_000L),
  H2("2h", 2 * 3_600_000L),
  H4("4h", 4 * 3_600_000L),
  H6("6h", 6 * 3_600_000L),
  H8("8h", 8 * 3_600_000L),
  H12("12h", 12 * 3_600_000L),
  D1("1d", 86_400_000L),
  D3("3d", 3 * 86_400_000L),
  W1("1w", 7 * 86_400_000L),
  MO1("1M", -1L);

  /** 1970-01-05 00:00 UTC, the first Monday after the epoch: weekly windows start on it. */
  private static final long FIRST_MONDAY = 4 * 86_400_000L;

  private static final List<Interval> ALL = List.of(values());

  private final String code;
  private final long fixedMillis;

  Interval(String code, long fixedMillis) {
    this.code = code;
    this.fixedMillis = fixedMillis;
  }

  /** Binance's name for it, e.g. {@code 1m}, {@code 1M}. */
  public String code() {
    return code;
  }

  public static List<Interval> all() {
    return ALL;
  }

  /** Case-sensitive, as Binance: {@code 1m} is a minute and {@code 1M} a month. */
  public static Optional<Interval> fromCode(String code) {
    return Arrays.stream(values()).filter(i -> i.code.equals(code)).findFirst();
  }

  /** Length in ms for all but {@code 1M}, which varies; for it this gives 31 days, an upper bound. */
  public long approxMillis() {
    return this == MO1 ? 31L * 86_400_000L : fixedMillis;
  }

  /** Open time of the window holding {@code t} (epoch ms, UTC). */
  public long openTime(long t) {
    if (this == MO1) {
      LocalDate d = Instant.ofEpochMilli(t).atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
      return d.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    if (this == W1) {
      return Math.floorDiv(t - FIRST_MONDAY, fixedMillis) * fixedMillis + FIRST_MONDAY;
    }
    return Math.floorDiv(t, fixedMillis) * fixedMillis;
  }

  /** Open time of the window after the one opening at {@code openTime}. */
  public long nextOpenTime(long openTime) {
    if (this == MO1) {
      LocalDate d = Instant.ofEpochMilli(openTime).atZone(ZoneOffset.UTC).toLocalDate().plusMonths(1);
      return d.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    return openTime + fixedMillis;
  }

  /** Binance's close time: the last millisecond of the window. */
  public long closeTime(long openTime) {
    return nextOpenTime(openTime) - 1;
  }

  @Override
  public String toString() {
    return code;
  }
}
