package io.candlebus.simulator;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Faults of the all-symbols {@code GET /api/v3/ticker/24hr} (neither {@code symbol} nor {@code symbols}): the next
 * calls refused with 429/418, or answered late. Each is a countdown set from any thread and taken by the calls it
 * hits; setting one replaces what is left of the previous one, a count of 0 clears it.
 */
final class TickerFaults {

  /** {@code remaining} more calls get {@code status} + {@code Retry-After: retryAfterSeconds}. */
  record Refusal(int status, long retryAfterSeconds, int remaining) {}

  /** {@code remaining} more calls are answered {@code delayMs} after they were computed. */
  record Delay(long delayMs, int remaining) {}

  private final AtomicReference<Refusal> refusal = new AtomicReference<>();
  private final AtomicReference<Delay> delay = new AtomicReference<>();

  void refuse(int status, long retryAfterSeconds, int count) {
    if (status != 429 && status != 418) {
      throw new IllegalArgumentException("status must be 429 or 418, not " + status);
    }
    if (retryAfterSeconds < 0) {
      throw new IllegalArgumentException("retryAfterSeconds must be >= 0, not " + retryAfterSeconds);
    }
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, not " + count);
    }
    refusal.set(count == 0 ? null : new Refusal(status, retryAfterSeconds, count));
  }

  void delay(long delayMs, int count) {
    if (delayMs < 0) {
      throw new IllegalArgumentException("delayMs must be >= 0, not " + delayMs);
    }
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, not " + count);
    }
    delay.set(count == 0 ? null : new Delay(delayMs, count));
  }

  /** The refusal for this call, counting it down; null when there is none. */
  Refusal takeRefusal() {
    while (true) {
      Refusal r = refusal.get();
      if (r == null) {
        return null;
      }
      Refusal next = r.remaining() <= 1 ? null : new Refusal(r.status(), r.retryAfterSeconds(), r.remaining() - 1);
      if (refusal.compareAndSet(r, next)) {
        return r;
      }
    }
  }

  /** How long to hold this call's answer, counting it down; 0 when it is not delayed. */
  long takeDelayMs() {
    while (true) {
      Delay d = delay.get();
      if (d == null) {
        return 0;
      }
      Delay next = d.remaining() <= 1 ? null : new Delay(d.delayMs(), d.remaining() - 1);
      if (delay.compareAndSet(d, next)) {
        return d.delayMs();
      }
    }
  }
}
