package io.candlebus.simulator;

/**
 * Faults of the all-symbols {@code GET /api/v3/ticker/24hr} (neither {@code symbol} nor {@code symbols}): the next
 * calls refused with 429/418, or answered late; each a {@link Countdown}.
 */
final class TickerFaults {
  private final Countdown<Refusal> refusal = new Countdown<>();
  private final Countdown<Long> delay = new Countdown<>();

  void refuse(int status, long retryAfterSeconds, int count) {
    refusal.set(new Refusal(status, retryAfterSeconds), count);
  }

  void delay(long delayMs, int count) {
    if (delayMs < 0) {
      throw new IllegalArgumentException("delayMs must be >= 0, not " + delayMs);
    }
    delay.set(delayMs, count);
  }

  /** The refusal for this call, counting it down; null when there is none. */
  Refusal takeRefusal() {
    return refusal.take();
  }

  /** How long to hold this call's answer, counting it down; 0 when it is not delayed. */
  long takeDelayMs() {
    Long ms = delay.take();
    return ms == null ? 0 : ms;
  }
}
