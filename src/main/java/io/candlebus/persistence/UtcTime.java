package io.candlebus.persistence;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Epoch milliseconds to and from the {@code timestamp without time zone} columns, which hold UTC. The default
 * time zones of the JVM and of the server never enter the conversion.
 */
final class UtcTime {
  private UtcTime() {}

  static LocalDateTime of(long epochMillis) {
    return LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000L),
        (int) Math.floorMod(epochMillis, 1000L) * 1_000_000, ZoneOffset.UTC);
  }

  static long millis(LocalDateTime utc) {
    return utc.toInstant(ZoneOffset.UTC).toEpochMilli();
  }
}
