package io.candlebus.simulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * REST request weight per client IP over a sliding 60 s of real time. Binance counts per calendar minute; a
 * sliding window never resets in the middle of a test, so limits can be tested without racing the clock.
 * Refused requests are not charged. Event loop only.
 */
final class WeightLimiter {
  static final long WINDOW_NANOS = 60_000_000_000L;

  /** allowed: go on; used: weight in the window after this request (or as it stands when refused). */
  record Decision(boolean allowed, int used, long retryAfterSeconds) {}

  private record Charge(long atNanos, int weight) {}

  private static final class Window {
    final Deque<Charge> charges = new ArrayDeque<>();
    int used;
  }

  private final int limit;
  private final Map<String, Window> windows = new HashMap<>();

  WeightLimiter(int limit) {
    this.limit = limit;
  }

  int limit() {
    return limit;
  }

  /** Weight used by {@code ip} in the window ending now, without charging anything. */
  int used(String ip, long nowNanos) {
    Window w = windows.get(ip);
    if (w == null) {
      return 0;
    }
    expire(w, nowNanos);
    return w.used;
  }

  Decision charge(String ip, int weight, long nowNanos) {
    Window w = windows.computeIfAbsent(ip, k -> new Window());
    expire(w, nowNanos);
    if (w.used + weight > limit) {
      // wait until enough old weight has left the window for this request to fit
      int toFree = w.used + weight - limit;
      long until = nowNanos;
      for (Charge c : w.charges) {
        toFree -= c.weight();
        until = c.atNanos() + WINDOW_NANOS;
        if (toFree <= 0) {
          break;
        }
      }
      long seconds = Math.max(1, (until - nowNanos + 999_999_999L) / 1_000_000_000L);
      return new Decision(false, w.used, seconds);
    }
    w.charges.addLast(new Charge(nowNanos, weight));
    w.used += weight;
    return new Decision(true, w.used, 0);
  }

  private static void expire(Window w, long nowNanos) {
    while (!w.charges.isEmpty() && nowNanos - w.charges.peekFirst().atNanos() >= WINDOW_NANOS) {
      w.used -= w.charges.removeFirst().weight();
    }
  }
}
