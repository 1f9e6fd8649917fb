package io.candlebus.simulator;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every REST request goes through before its endpoint: the log of calls, the 418 ban of a client that comes
 * back before the Retry-After we announced (Binance's auto-ban), injected 429/418 faults (any request, then the
 * all-symbols ticker's own, see {@link TickerFaults}), then the request weight. Refusals of any kind cost no
 * weight and carry {@code Retry-After}, {@code X-MBX-USED-WEIGHT-1M} and a -1003 body. The ticker's own refusals
 * do not ban: the client's other requests go on being answered, so a test sees only the snapshot refused.
 *
 * <p>The ban lasts until the announced Retry-After has passed; coming back early is answered 418 with the time
 * left, but, unlike Binance, does not lengthen the ban (so tests stay bounded).
 */
final class RestGuard {
  static final int MAX_LOGGED_CALLS = 100_000;

  /** An injected fault: the next {@code remaining} requests are answered {@code status}. */

  /** A logged call whose status is filled in when the answer starts. */
  private static final class Entry {
    final long atMillis;
    final String uri;
    volatile int status;

    Entry(long atMillis, String uri) {
      this.atMillis = atMillis;
      this.uri = uri;
    }
  }

  private final WeightLimiter limiter;
  private final SimCounters counters;
  private final TickerFaults tickerFaults;
  private final Countdown<Refusal> fault = new Countdown<>();
  private final Map<String, Long> bannedUntilNanos = new ConcurrentHashMap<>();
  private final Deque<Entry> calls = new ArrayDeque<>();

  RestGuard(WeightLimiter limiter, SimCounters counters, TickerFaults tickerFaults) {
    this.limiter = limiter;
    this.counters = counters;
    this.tickerFaults = tickerFaults;
  }

  int limit() {
    return limiter.limit();
  }

  /** Takes effect for the very next request; replaces a fault still pending. Any thread. */
  void restFault(int status, long retryAfterSeconds, int count) {
    fault.set(new Refusal(status, retryAfterSeconds), count);
  }

  List<RestCall> calls() {
    synchronized (calls) {
      List<RestCall> out = new ArrayList<>(calls.size());
      calls.forEach(e -> out.add(new RestCall(e.atMillis, e.uri, e.status)));
      return out;
    }
  }

  void handle(RoutingContext rc) {
    long nowNanos = System.nanoTime();
    Entry entry = log(rc.request().uri());
    rc.addHeadersEndHandler(v -> entry.status = rc.response().getStatusCode());
    counters.restRequests.incrementAndGet();
    String ip = rc.request().remoteAddress() == null ? "?" : rc.request().remoteAddress().host();
    String path = rc.request().path();
    boolean allTickers = RestApi.allSymbolsTicker(path, rc.queryParams().contains("symbol"),
        rc.queryParams().contains("symbols"));
    if (allTickers) {
      counters.tickerAllCalls.incrementAndGet();
    } else if (path.equals(RestApi.TICKER_24HR)) {
      counters.tickerSymbolCalls.incrementAndGet();
    }

    Long until = bannedUntilNanos.get(ip);
    if (until != null && nowNanos < until) {
      counters.restViolations.incrementAndGet();
      long bannedUntilMillis = System.currentTimeMillis() + (until - nowNanos) / 1_000_000L;
      refuse(rc, ip, nowNanos, 418, ceilSeconds(until - nowNanos), "Way too much request weight used; IP banned "
          + "until " + bannedUntilMillis + ". Please use WebSocket Streams for live updates to avoid bans.");
      return;
    }
    Refusal f = fault.take();
    if (f != null) {
      ban(ip, nowNanos, f.retryAfterSeconds());
      refuse(rc, ip, nowNanos, f);
      return;
    }
    Refusal tf = allTickers ? tickerFaults.takeRefusal() : null;
    if (tf != null) {
      refuse(rc, ip, nowNanos, tf); // no ban: the single-symbol calls go on being answered
      return;
    }
    int weight = RestApi.weightOf(path, rc.queryParams());
    WeightLimiter.Decision d = limiter.charge(ip, weight, nowNanos);
    if (!d.allowed()) {
      ban(ip, nowNanos, d.retryAfterSeconds());
      refuse(rc, ip, nowNanos, 429, d.retryAfterSeconds(), tooMuch());
      return;
    }
    announceWeight(rc, d.used());
    rc.next();
  }

  private Entry log(String uri) {
    Entry e = new Entry(System.currentTimeMillis(), uri);
    synchronized (calls) {
      if (calls.size() >= MAX_LOGGED_CALLS) {
        calls.removeFirst();
      }
      calls.addLast(e);
    }
    return e;
  }

  private void ban(String ip, long nowNanos, long seconds) {
    if (seconds > 0) {
      bannedUntilNanos.merge(ip, nowNanos + seconds * 1_000_000_000L, Math::max);
    }
  }

  /** An injected refusal, answered as Binance words it. */
  private void refuse(RoutingContext rc, String ip, long nowNanos, Refusal r) {
    refuse(rc, ip, nowNanos, r.status(), r.retryAfterSeconds(), r.status() == 418
        ? "Way too much request weight used; IP banned until " + (System.currentTimeMillis()
            + r.retryAfterSeconds() * 1000) + ". Please use WebSocket Streams for live updates to avoid bans."
        : tooMuch());
  }

  private void refuse(RoutingContext rc, String ip, long nowNanos, int status, long retryAfter, String msg) {
    counters.restRefused.incrementAndGet();
    announceWeight(rc, limiter.used(ip, nowNanos));
    rc.response().setStatusCode(status)
        .putHeader("Retry-After", Long.toString(retryAfter))
        .putHeader("Content-Type", RestApi.JSON)
        .end(BinanceJson.error(-1003, msg).encode());
  }

  private void announceWeight(RoutingContext rc, int used) {
    counters.weightAnnounced(used);
    rc.response().putHeader(RestApi.WEIGHT_HEADER, Integer.toString(used));
  }

  private String tooMuch() {
    return "Too much request weight used; current limit is " + limiter.limit() + " request weight per 1 MINUTE. "
        + "Please use WebSocket Streams for live updates to avoid polling the API.";
  }

  private static long ceilSeconds(long nanos) {
    return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }
}
