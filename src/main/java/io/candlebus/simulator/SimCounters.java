package io.candlebus.simulator;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The simulator's running counts, written on the event loop and read from any thread. */
final class SimCounters {
  final AtomicLong connectionAttempts = new AtomicLong();
  final AtomicLong rateLimitCloses = new AtomicLong();
  final AtomicLong pongTimeoutCloses = new AtomicLong();
  final AtomicLong controlMessages = new AtomicLong();
  final AtomicLong pongs = new AtomicLong();
  final AtomicLong restRequests = new AtomicLong();
  final AtomicLong restRefused = new AtomicLong();
  final AtomicLong restViolations = new AtomicLong();
  final AtomicInteger maxWeightUsed = new AtomicInteger();
  /** GET /api/v3/ticker/24hr requests received (refused ones too): for every symbol, and with symbol(s). */
  final AtomicLong tickerAllCalls = new AtomicLong();
  final AtomicLong tickerSymbolCalls = new AtomicLong();
  /** Stream ticks run, their total and their longest duration (real ns): what the simulator costs per tick. */
  final AtomicLong ticks = new AtomicLong();
  final AtomicLong tickNanos = new AtomicLong();
  final AtomicLong maxTickNanos = new AtomicLong();

  void weightAnnounced(int used) {
    maxWeightUsed.accumulateAndGet(used, Math::max);
  }

  void tickTook(long nanos) {
    ticks.incrementAndGet();
    tickNanos.addAndGet(nanos);
    maxTickNanos.accumulateAndGet(nanos, Math::max);
  }
}
