package io.candlebus.web;

import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The bridge's hot path on its own, one thread: a turn of the bridge's loop offering {@code burst} trades to a
 * browser that keeps up, then flushing it (as {@code MarketBridge} does per turn), into a transport that takes
 * everything. One JMH operation = one turn ({@code burst} trades); {@link #main} prints CPU time per trade. In
 * this package because the client is not public.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class BridgeClientBenchmark {
  private static final String ADDRESS = "market.trade.BTCUSDT";
  private static final int DISTINCT = 1_024;

  /** Trades per turn: 1 at a quiet market, 16 in a burst. */
  @Param({"1", "16"})
  public int burst;

  private Vertx vertx;
  private BridgeClient client;
  private Outbound[] trades;
  private int next;
  private Blackhole sink;

  @Setup(Level.Trial)
  public void setUp(Blackhole bh) {
    sink = bh;
    vertx = Vertx.vertx();
    BridgeClient.Counters counters = new BridgeClient.Counters() {
      @Override
      public void delivered(int n) {
        sink.consume(n);
      }

      @Override
      public void droppedTrade() {}

      @Override
      public void conflated(BridgeClient.Kind kind) {}
    };
    client = new BridgeClient(new KeepingUp(), "bench", vertx.getOrCreateContext(), counters, 0);
    trades = new Outbound[DISTINCT];
    for (int i = 0; i < DISTINCT; i++) {
      trades[i] = Outbound.of("{\"type\":\"rec\",\"address\":\"" + ADDRESS + "\",\"body\":{\"symbol\":\"BTCUSDT\","
          + "\"tradeId\":" + (1_000_000 + i) + ",\"price\":\"50123.45\",\"qty\":\"0.0123\",\"time\":" + i + "}}");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    vertx.close();
  }

  /**
   * CPU time per trade of {@link #offerAndFlush}, the best of 10 rounds of 20 M trades after 5 of warm-up: on the
   * shared build box JMH's wall-clock throughput swings by ±40 % with the neighbours' load, a thread's CPU time
   * far less. {@code mvn -q -Pbench test-compile exec:exec -Dbench.main=io.candlebus.web.BridgeClientBenchmark}.
   */
  public static void main(String[] args) {
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is "
        + "dangerous.");
    for (int burst : new int[] {1, 16}) {
      BridgeClientBenchmark b = new BridgeClientBenchmark();
      b.burst = burst;
      b.setUp(bh);
      int turns = 20_000_000 / burst;
      double best = Double.MAX_VALUE;
      for (int round = 0; round < 15; round++) {
        long start = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < turns; i++) {
          b.offerAndFlush();
        }
        double ns = (cpu.getCurrentThreadCpuTime() - start) / (double) (turns * (long) burst);
        best = round < 5 ? best : Math.min(best, ns);
      }
      System.out.printf("burst %d: %.2f ns of CPU per trade%n", burst, best);
      b.tearDown();
    }
  }

  @Benchmark
  public void offerAndFlush() {
    for (int i = 0; i < burst; i++) {
      client.offer(BridgeClient.Kind.TRADE, ADDRESS, trades[next++ & (DISTINCT - 1)]);
    }
    client.flush();
  }

  /** A transport that always takes more; it looks at each message as a real one would read its literal. */
  private final class KeepingUp implements BridgeClient.Sink {
    @Override
    public boolean writable() {
      return true;
    }

    @Override
    public void whenWritable(Runnable r) {}

    @Override
    public void write(Outbound[] messages, int n, Runnable done) {
      for (int i = 0; i < n; i++) {
        sink.consume(messages[i].literal());
      }
      done.run();
    }

    @Override
    public void close(int code, String reason) {}
  }
}
