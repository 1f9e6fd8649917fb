package io.candlebus.upstream;

/**
 * Keeps REST calls within Binance's request-weight limit (per IP, per fixed window, read from
 * {@code exchangeInfo.rateLimits}) and obeys {@code Retry-After} after a 429 or 418. One per node, shared by the
 * verticles that call REST (so synchronized); the caller passes the time.
 *
 * <p>Only {@value #BUDGET_PERCENT}% of the limit is used: other programs on the same IP share it, and our window
 * boundaries may differ from Binance's by the clock skew.
 */
public final class RestWeightLimiter {
  static final int BUDGET_PERCENT = 90;

  private int limit;
  private long windowMs;
  private long windowStart = Long.MIN_VALUE;
  private int used;
  private long blockedUntil = Long.MIN_VALUE;

  public RestWeightLimiter(int limit, long windowMs) {
    setLimit(limit, windowMs);
  }

  /** Binance's default before exchangeInfo was read: 6000 weight per minute. */
  public static RestWeightLimiter binanceDefault() {
    return new RestWeightLimiter(6000, 60_000);
  }

  public synchronized void setLimit(int newLimit, long newWindowMs) {
    if (newLimit <= 0 || newWindowMs <= 0) {
      throw new IllegalArgumentException("limit and window must be positive");
    }
    this.limit = newLimit;
    this.windowMs = newWindowMs;
  }

  public synchronized int budget() {
    return Math.max(1, limit * BUDGET_PERCENT / 100);
  }

  public synchronized int limit() {
    return limit;
  }

  public synchronized int used(long now) {
    roll(now);
    return used;
  }

  /**
   * Reserves {@code weight} if it fits now and returns 0; otherwise reserves nothing and returns how many ms to
   * wait before asking again.
   */
  public synchronized long tryAcquire(int weight, long now) {
    if (now < blockedUntil) {
      return blockedUntil - now;
    }
    roll(now);
    if (used + weight <= budget() || used == 0) {
      used += weight;
      return 0;
    }
    return windowStart + windowMs - now;
  }

  /** Binance's own count for this window ({@code X-MBX-USED-WEIGHT-1M}) is authoritative when higher. */
  public synchronized void observeUsed(int usedWeight, long now) {
    roll(now);
    used = Math.max(used, usedWeight);
  }

  /** After a 429 or 418: nothing is sent before {@code until}. */
  public synchronized void blockUntil(long until) {
    blockedUntil = Math.max(blockedUntil, until);
  }

  public synchronized long blockedUntil() {
    return blockedUntil;
  }

  private void roll(long now) {
    long start = Math.floorDiv(now, windowMs) * windowMs;
    if (start != windowStart) {
      windowStart = start;
      used = 0;
    }
  }
}
