package io.candlebus.upstream;

import java.util.ArrayDeque;
import java.util.function.LongConsumer;

/**
 * Keeps REST calls within Binance's request-weight limit (per IP, read from {@code exchangeInfo.rateLimits}) and
 * obeys {@code Retry-After} after a 429 or 418. One per node, shared by the verticles that call REST (so
 * synchronized); the caller passes the time.
 *
 * <p>Binance counts per calendar window; this counts over a sliding window of the same length, which is
 * stricter: if no sliding window holds more than the budget, no calendar window does either, whatever the skew
 * between our clock and Binance's. Only {@value #BUDGET_PERCENT}% of the limit is used: other programs on the
 * same IP share it.
 */
public final class RestWeightLimiter {
  static final int BUDGET_PERCENT = 90;

  private record Charge(long at, int weight) {}

  private final ArrayDeque<Charge> charges = new ArrayDeque<>();
  private int limit;
  private long windowMs;
  private int used;
  private long blockedUntil = Long.MIN_VALUE;
  private int sharedBy = 1;
  /** When shared: Binance's count for the whole IP, and the end of the calendar window it counts in. */
  private int ipUsed;
  private long ipWindowEnd = Long.MIN_VALUE;
  private volatile LongConsumer onBlocked = until -> {};

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

  /** What this node may use per window: its equal part of {@value #BUDGET_PERCENT}% of the IP's limit. */
  public synchronized int budget() {
    return Math.max(1, ipBudget() / sharedBy);
  }

  private int ipBudget() {
    return Math.max(1, limit * BUDGET_PERCENT / 100);
  }

  /** {@code nodes} nodes call REST from the same IP: this one keeps to its equal part of the budget. */
  public synchronized void shareAmong(int nodes) {
    sharedBy = Math.max(1, nodes);
  }

  /** Told of every new block this node receives (a cluster passes it on to the other nodes of the IP). */
  public void onBlocked(LongConsumer listener) {
    onBlocked = listener;
  }

  public synchronized int limit() {
    return limit;
  }

  public synchronized int used(long now) {
    expire(now);
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
    expire(now);
    if (now < ipWindowEnd && ipUsed + weight > ipBudget()) {
      return ipWindowEnd - now; // the other nodes of the IP used it up: wait for Binance's next window
    }
    int budget = budget();
    if (used + weight <= budget || charges.isEmpty()) {
      if (now < ipWindowEnd) {
        ipUsed += weight;
      }
      charges.addLast(new Charge(now, weight));
      used += weight;
      return 0;
    }
    // until enough of the oldest weight has left the window
    int toFree = used + weight - budget;
    long until = now;
    for (Charge c : charges) {
      toFree -= c.weight();
      until = c.at() + windowMs;
      if (toFree <= 0) {
        break;
      }
    }
    return Math.max(1, until - now);
  }

  /**
   * Binance's own count ({@code X-MBX-USED-WEIGHT-1M}) is authoritative when higher: the rest is charged now. When
   * several nodes share the IP, it counts theirs too, so it is held against the IP's whole budget until Binance's
   * calendar window ends, while this node's own calls stay within its part.
   */
  public synchronized void observeUsed(int usedWeight, long now) {
    expire(now);
    if (sharedBy > 1) {
      long windowEnd = Math.floorDiv(now, windowMs) * windowMs + windowMs;
      ipUsed = windowEnd == ipWindowEnd ? Math.max(ipUsed, usedWeight) : usedWeight;
      ipWindowEnd = windowEnd;
      return;
    }
    if (usedWeight > used) {
      charges.addLast(new Charge(now, usedWeight - used));
      used = usedWeight;
    }
  }

  /** After a 429 or 418: nothing is sent before {@code until}. */
  public void blockUntil(long until) {
    boolean later;
    synchronized (this) {
      later = until > blockedUntil;
      blockedUntil = Math.max(blockedUntil, until);
    }
    if (later) {
      onBlocked.accept(until);
    }
  }

  /** A block another node of the same IP received: obeyed here too, not passed on again. */
  public synchronized void blockedElsewhere(long until) {
    blockedUntil = Math.max(blockedUntil, until);
  }

  public synchronized long blockedUntil() {
    return blockedUntil;
  }

  private void expire(long now) {
    while (!charges.isEmpty() && charges.peekFirst().at() <= now - windowMs) {
      used -= charges.removeFirst().weight();
    }
  }
}
