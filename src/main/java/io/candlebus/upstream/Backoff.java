package io.candlebus.upstream;

import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: after the n-th failure in a row, a delay drawn uniformly from
 * [min, min(cap, base * 2^n)]. Jitter keeps many clients (or connections) from reconnecting in lockstep after a
 * shared outage.
 */
public final class Backoff {
  private final long baseMs;
  private final long capMs;
  private final long minMs;
  /** Maps an exclusive upper bound to a value in [0, bound); a seeded random in tests. */
  private final LongUnaryOperator random;
  private int failures;

  Backoff(long baseMs, long capMs, long minMs, LongUnaryOperator random) {
    this.baseMs = baseMs;
    this.capMs = capMs;
    this.minMs = minMs;
    this.random = random;
  }

  public static Backoff standard() {
    return new Backoff(500, 30_000, 100,
        bound -> java.util.concurrent.ThreadLocalRandom.current().nextLong(bound));
  }

  /** The delay before the next attempt; each call counts one more failure. */
  public long next() {
    long ceiling = Math.min(capMs, baseMs << Math.min(failures, 20));
    failures++;
    return Math.max(minMs, random.applyAsLong(ceiling + 1));
  }

  public void reset() {
    failures = 0;
  }

  int failures() {
    return failures;
  }
}
