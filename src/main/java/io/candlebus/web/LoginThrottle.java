package io.candlebus.web;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows and then refuses repeated failed logins, per username and per client address: from the
 * {@value #SLOW_AFTER}th failure within {@link #WINDOW_MS} each answer is delayed (doubling, at most
 * {@link #MAX_DELAY_MS}); from the {@value #REFUSE_AFTER}th, logins are refused with 429 until the oldest failure
 * leaves the window. A success clears the username's failures. One per node, shared by the event loops that serve
 * logins (hence synchronized; each call is a few map operations); the caller passes the time.
 */
public final class LoginThrottle {
  static final int SLOW_AFTER = 3;
  static final int REFUSE_AFTER = 10;
  static final long WINDOW_MS = 15 * 60_000L;
  static final long FIRST_DELAY_MS = 250;
  static final long MAX_DELAY_MS = 2_000;
  /** Keys remembered at most; beyond, the longest idle are forgotten (bounded memory under a spray). */
  static final int MAX_KEYS = 100_000;

  /** What to do with a login attempt. */
  public record Decision(boolean refused, long delayMs, long retryAfterMs) {}

  private final Map<String, Deque<Long>> failures = new LinkedHashMap<>(16, 0.75f, true);

  /** Before checking the password. */
  public synchronized Decision check(String username, String address, long now) {
    int n = Math.max(count("u:" + username, now), count("a:" + address, now));
    if (n >= REFUSE_AFTER) {
      long oldest = Math.min(oldest("u:" + username, now), oldest("a:" + address, now));
      return new Decision(true, 0, Math.max(1_000, oldest + WINDOW_MS - now));
    }
    if (n >= SLOW_AFTER) {
      long delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS << Math.min(n - SLOW_AFTER, 10));
      return new Decision(false, delay, 0);
    }
    return new Decision(false, 0, 0);
  }

  public synchronized void failed(String username, String address, long now) {
    add("u:" + username, now);
    add("a:" + address, now);
  }

  public synchronized void succeeded(String username) {
    failures.remove("u:" + username);
  }

  private void add(String key, long now) {
    failures.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(now);
    prune(key, now);
    if (failures.size() > MAX_KEYS) {
      Iterator<String> eldest = failures.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
  }

  private int count(String key, long now) {
    Deque<Long> d = prune(key, now);
    return d == null ? 0 : d.size();
  }

  private long oldest(String key, long now) {
    Deque<Long> d = prune(key, now);
    return d == null || d.isEmpty() ? Long.MAX_VALUE : d.peekFirst();
  }

  private Deque<Long> prune(String key, long now) {
    Deque<Long> d = failures.get(key);
    if (d == null) {
      return null;
    }
    while (!d.isEmpty() && d.peekFirst() <= now - WINDOW_MS) {
      d.pollFirst();
    }
    // keep at most what the decisions need
    while (d.size() > REFUSE_AFTER) {
      d.pollFirst();
    }
    if (d.isEmpty()) {
      failures.remove(key);
      return null;
    }
    return d;
  }
}
