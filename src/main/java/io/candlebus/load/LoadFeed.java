package io.candlebus.load;

import io.candlebus.simulator.BinanceSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The upstream side of the load commands: aggTrade events for a few symbols, sent by the simulator at a fixed
 * rate on a 5 ms timer. Each symbol's aggregate ids run on without a hole from their own base (the upstream would
 * fetch a hole over REST), and a frame's sequence number can be read back from its id alone, which indexes its
 * send time. The trade time {@code T} is the moment of sending, the exchange's clock being this one.
 */
final class LoadFeed {
  private static final long AGG_BASE = 1_000_000_000L;
  private static final int TICK_MS = 5;

  private final BinanceSimulator sim;
  private final List<String> symbols;
  /** The next sequence number; a later run on the same symbols continues where the last ended. */
  private long next;

  LoadFeed(BinanceSimulator sim, List<String> symbols) {
    this.sim = sim;
    this.symbols = symbols;
  }

  List<String> symbols() {
    return symbols;
  }

  static long aggId(long seq, int symbols) {
    return AGG_BASE * (1 + seq % symbols) + seq / symbols;
  }

  static long seqOf(long aggId, int symbols) {
    return (aggId % AGG_BASE) * symbols + (aggId / AGG_BASE - 1);
  }

  static String stream(String symbol) {
    return symbol.toLowerCase(Locale.ROOT) + "@aggTrade";
  }

  /** A measure for the next run of {@code frames} frames (and some slack). */
  LoadMeasure newMeasure(long frames) {
    return new LoadMeasure(next, (int) Math.min(Integer.MAX_VALUE - 8, frames + 1_000), symbols.size());
  }

  /**
   * Sends {@code rate} frames per second for {@code warmupSeconds + seconds} on a timer of {@code vertx}
   * (measuring from the end of the warm-up), then waits at most 5 s for the clients to have everything.
   */
  void run(Vertx vertx, int rate, int warmupSeconds, int seconds, LoadMeasure m, int clients) throws Exception {
    long total = (long) rate * (seconds + warmupSeconds);
    long first = next;
    long start = System.nanoTime();
    AtomicLong sent = new AtomicLong();
    long warmupEnd = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
    Future<Void> done = Future.future(p -> vertx.setPeriodic(TICK_MS, id -> {
      long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
      while (sent.get() < due) {
        long seq = first + sent.getAndIncrement();
        long nanos = System.nanoTime();
        if (!m.measuring() && nanos >= warmupEnd) {
          m.startMeasuring(seq, nanos);
        }
        m.sent(seq, nanos);
        String symbol = symbols.get((int) (seq % symbols.size()));
        sim.publish(stream(symbol), event(symbol, aggId(seq, symbols.size()), System.currentTimeMillis()));
      }
      if (sent.get() >= total) {
        vertx.cancelTimer(id);
        m.stopMeasuring(System.nanoTime());
        p.complete();
      }
    }));
    done.await(seconds + warmupSeconds + 60, TimeUnit.SECONDS);
    next = first + total;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (m.received() < m.expected(clients) && System.nanoTime() < deadline) {
      Thread.sleep(50); // a command, not a test: waiting for stragglers before the report
    }
  }

  /** Binance's aggTrade event, in its exact shape. */
  static String event(String symbol, long aggId, long now) {
    return "{\"e\":\"aggTrade\",\"E\":" + now + ",\"s\":\"" + symbol + "\",\"a\":" + aggId
        + ",\"p\":\"100.00000000\",\"q\":\"1.00000000\",\"f\":" + aggId + ",\"l\":" + aggId + ",\"T\":" + now
        + ",\"m\":false,\"M\":true}";
  }
}
