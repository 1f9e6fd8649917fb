package io.candlebus.config;

import java.util.Optional;

/**
 * How the depth recorder cuts its files: on UTC minute, hour or day boundaries ({@code capture} cuts on any length
 * with {@link #startOf(long, long)}).
 */
public enum RecordSlice {
  MINUTE("1m", 60_000L),
  HOUR("1h", 3_600_000L),
  DAY("1d", 86_400_000L);

  private final String code;
  private final long millis;

  RecordSlice(String code, long millis) {
    this.code = code;
    this.millis = millis;
  }

  public String code() {
    return code;
  }

  public long millis() {
    return millis;
  }

  /** The start (UTC epoch ms) of the slice holding {@code time}; UTC has no leap seconds in epoch time. */
  public long startOf(long time) {
    return startOf(time, millis);
  }

  /** The start of the slice of {@code millis} holding {@code time}: slices are multiples of it since the epoch. */
  public static long startOf(long time, long millis) {
    return Math.floorDiv(time, millis) * millis;
  }

  public static Optional<RecordSlice> fromCode(String code) {
    for (RecordSlice s : values()) {
      if (s.code.equals(code)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
