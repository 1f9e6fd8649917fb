package io.candlebus.simulator;

/** An injected refusal: {@code status} (429 or 418) with {@code Retry-After: retryAfterSeconds}. */
record Refusal(int status, long retryAfterSeconds) {
  Refusal {
    if (status != 429 && status != 418) {
      throw new IllegalArgumentException("status must be 429 or 418, not " + status);
    }
    if (retryAfterSeconds < 0) {
      throw new IllegalArgumentException("retryAfterSeconds must be >= 0, not " + retryAfterSeconds);
    }
  }
}
