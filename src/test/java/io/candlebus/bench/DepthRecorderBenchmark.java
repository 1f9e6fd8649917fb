package io.candlebus.bench;

import io.candlebus.config.RecordSlice;
import io.candlebus.depth.DepthRecorder;
import io.candlebus.depth.DepthRow;
import io.candlebus.depth.DepthTick;
import io.candlebus.depth.Level;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link DepthRecorder} on one thread into a temporary directory: 50 symbols × 5 levels, 1m slices, so every 600
 * ticks 50 files are completed (renamed) and 50 new ones opened; every tick's rows are flushed, as in the gateway. One operation = one row; one
 * invocation = one 100 ms tick of 50 rows (the clock advances 100 ms per invocation, not in real time). The rows
 * are BTC-like: prices around 87 648.21 with 8-decimal scale ({@code "87648.21000000"}, as parsed from Binance), 0.01
 * apart with occasional holes, quantities of 1-5 significant decimals up to 8 places; 600 different ticks, cycled.
 * Completed files are deleted after each iteration (outside the measured time) to bound the disk used.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class DepthRecorderBenchmark {
  static final int SYMBOLS = 50;
  static final int LEVELS = 5;
  static final int TICKS = 600;
  /** 2026-12-06T09:16:00Z. */
  static final long T0 = 1_796_548_560_000L;

  private String[] symbols;
  /** [tick][symbol]: the book's best levels. */
  private List<Level>[][] bids;
  private List<Level>[][] asks;
  private Path dir;
  private DepthRecorder recorder;
  private final Counts counts = new Counts();
  private long time = T0;
  private long tick;
  private final List<DepthRow> rows = new ArrayList<>(SYMBOLS);

  @Setup
  @SuppressWarnings("unchecked")
  public void generate() throws IOException {
    SplittableRandom r = new SplittableRandom(11);
    symbols = new String[SYMBOLS];
    bids = new List[TICKS][SYMBOLS];
    asks = new List[TICKS][SYMBOLS];
    for (int s = 0; s < SYMBOLS; s++) {
      symbols[s] = "SYM" + s + "USDT";
      long mid = 8_764_821L; // cents
      for (int t = 0; t < TICKS; t++) {
        mid += r.nextInt(-3, 4);
        bids[t][s] = side(mid, -1, r);
        asks[t][s] = side(mid + 1, 1, r);
      }
    }
    dir = Files.createTempDirectory("depth-bench");
    recorder = new DepthRecorder(dir, LEVELS, RecordSlice.MINUTE, counts);
  }

  private static List<Level> side(long best, int step, SplittableRandom r) {
    List<Level> out = new ArrayList<>(LEVELS);
    long cents = best;
    for (int i = 0; i < LEVELS; i++) {
      out.add(new Level(BigDecimal.valueOf(cents, 2).setScale(8), quantity(r)));
      cents += step * (r.nextInt(4) == 0 ? r.nextInt(2, 6) : 1);
    }
    return List.copyOf(out);
  }

  /**
   * 0.00001 .. 9.99999 BTC (Binance's step for BTCUSDT), log-uniform, half of them round sizes (2 significant
   * digits), at 8-decimal scale as Binance sends them.
   */
  private static BigDecimal quantity(SplittableRandom r) {
    long units = Math.max(1, (long) Math.exp(r.nextDouble() * Math.log(1_000_000)));
    if (r.nextBoolean()) {
      long round = (long) Math.pow(10, Math.max(0, Long.toString(units).length() - 2));
      units = Math.max(1, units / round) * round;
    }
    return BigDecimal.valueOf(units, 5).setScale(8);
  }

  /** One tick: a row for each of the 50 symbols. */
  @Benchmark
  @OperationsPerInvocation(SYMBOLS)
  public void tick() {
    int t = (int) (tick++ % TICKS);
    rows.clear();
    long updateId = 72_000_000_000L + tick * 37;
    for (int s = 0; s < SYMBOLS; s++) {
      rows.add(new DepthRow(symbols[s], time, updateId + s, time - 13, bids[t][s], asks[t][s]));
    }
    recorder.tick(new DepthTick(time, List.copyOf(rows)));
    time += 100;
  }

  @TearDown(org.openjdk.jmh.annotations.Level.Iteration)
  public void deleteCompleted() throws IOException {
    if (counts.dropped > 0 || recorder.problem().isPresent()) {
      throw new IllegalStateException("rows dropped: " + counts.dropped + " " + recorder.problem());
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".csv")).toList()) {
        Files.delete(f);
      }
    }
  }

  @TearDown
  public void removeDirectory() throws IOException {
    recorder.close();
    System.out.printf("%n%d rows written, %d files completed, %d partial%n", counts.written, counts.complete,
        counts.partial);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  /** The recorder's outcomes, checked after each iteration. */
  static final class Counts implements DepthRecorder.Listener {
    long written;
    long dropped;
    long complete;
    long partial;

    @Override
    public void written(String symbol, int rows) {
      written += rows;
    }

    @Override
    public void dropped(String symbol, int rows) {
      dropped += rows;
    }

    @Override
    public void gap(String symbol, long from, long missingTicks) {}

    @Override
    public void file(Path file, boolean complete) {
      if (complete) {
        this.complete++;
      } else {
        partial++;
      }
    }
  }
}
