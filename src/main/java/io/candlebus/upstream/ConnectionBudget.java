package io.candlebus.upstream;

import java.util.ArrayDeque;

/**
 * Binance allows 300 WebSocket connection attempts per 5 minutes per IP. One budget per node (shared by every
 * connection, so synchronized) keeps us under {@value #DEFAULT_ATTEMPTS} in any sliding window; the caller passes
 * the time.
 */
public final class ConnectionBudget {
  /** Binance's 300, less a margin for other programs on the same IP. */
  public static final int DEFAULT_ATTEMPTS = 270;
  public static final long DEFAULT_WINDOW_MS = 5 * 60_000L;

  private final int attempts;
  private final long windowMs;
  private final ArrayDeque<Long> recent = new ArrayDeque<>();
  private int sharedBy = 1;

  public ConnectionBudget(int attempts, long windowMs) {
    if (attempts <= 0 || windowMs <= 0) {
      throw new IllegalArgumentException("attempts and window must be positive");
    }
    this.attempts = attempts;
    this.windowMs = windowMs;
  }

  public static ConnectionBudget binanceDefault() {
    return new ConnectionBudget(DEFAULT_ATTEMPTS, DEFAULT_WINDOW_MS);
  }

  /** Records an attempt at {@code now} and returns 0, or records nothing and returns the ms to wait. */
  public synchronized long tryAcquire(long now) {
    while (!recent.isEmpty() && recent.peekFirst() <= now - windowMs) {
      recent.removeFirst();
    }
    if (recent.size() < Math.max(1, attempts / sharedBy)) {
      recent.addLast(now);
      return 0;
    }
    return recent.peekFirst() + windowMs - now;
  }

  /** {@code nodes} nodes connect from the same IP: this one keeps to its equal part of the attempts. */
  public synchronized void shareAmong(int nodes) {
    sharedBy = Math.max(1, nodes);
  }

  public synchronized int used(long now) {
    while (!recent.isEmpty() && recent.peekFirst() <= now - windowMs) {
      recent.removeFirst();
    }
    return recent.size();
  }
}
