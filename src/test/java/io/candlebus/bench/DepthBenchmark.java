package io.candlebus.bench;

import io.candlebus.depth.BookSync;
import io.candlebus.depth.DepthDiff;
import io.candlebus.depth.DepthParser;
import io.candlebus.depth.DepthSnapshot;
import io.candlebus.depth.Level;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A 1 000-level book (500 a side, 0.01 apart around 100.00) kept by {@link BookSync} on one thread. One
 * operation = one level update; a diff carries 1-19 of them (10 on average), within 5.00 of the middle so the book
 * stays ~1 000 levels and never crosses; a quarter of them remove a level. Target: at least 2 000 000 level
 * updates/s on one core (issue 10). {@code parseAndApply} also parses each diff from its combined-stream JSON.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class DepthBenchmark {
  /** 1 000 cycles of diffs carrying 1, 2, ..., 19 updates: 10 on average, exactly. */
  static final int DIFFS = 19 * 1_000;
  static final int SIDE = 500;

  private DepthSnapshot snapshot;
  private DepthDiff[] diffs;
  private String[] frames;

  @Setup
  public void generate() {
    SplittableRandom r = new SplittableRandom(7);
    List<Level> bids = new ArrayList<>();
    List<Level> asks = new ArrayList<>();
    for (int i = 1; i <= SIDE; i++) {
      bids.add(level(10_000 - i, r));
      asks.add(level(10_000 + i, r));
    }
    snapshot = new DepthSnapshot(1_000, bids, asks);
    diffs = new DepthDiff[DIFFS];
    frames = new String[DIFFS];
    long id = 1_001;
    for (int d = 0; d < DIFFS; d++) {
      int n = 1 + d % 19;
      List<Level> b = new ArrayList<>();
      List<Level> a = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        boolean bid = r.nextBoolean();
        long cents = bid ? 10_000 - r.nextInt(1, SIDE + 1) : 10_000 + r.nextInt(1, SIDE + 1);
        Level l = r.nextInt(4) == 0 ? new Level(price(cents), BigDecimal.ZERO) : level(cents, r);
        (bid ? b : a).add(l);
      }
      diffs[d] = new DepthDiff("BTCUSDT", 1_700_000_000_000L + d * 100L, id, id + n - 1, b, a);
      frames[d] = json(diffs[d]);
      id += n;
    }
  }

  private static Level level(long cents, SplittableRandom r) {
    return new Level(price(cents), new BigDecimal(r.nextInt(1, 100_000_000)).movePointLeft(8));
  }

  private static BigDecimal price(long cents) {
    return BigDecimal.valueOf(cents, 2).setScale(8);
  }

  private static String json(DepthDiff d) {
    StringBuilder s = new StringBuilder("{\"stream\":\"btcusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":")
        .append(d.eventTime()).append(",\"s\":\"BTCUSDT\",\"U\":").append(d.firstId()).append(",\"u\":")
        .append(d.finalId()).append(",\"b\":");
    levels(s, d.bids()).append(",\"a\":");
    return levels(s, d.asks()).append("}}").toString();
  }

  private static StringBuilder levels(StringBuilder s, List<Level> levels) {
    s.append('[');
    for (int i = 0; i < levels.size(); i++) {
      s.append(i > 0 ? ",[\"" : "[\"").append(levels.get(i).price().toPlainString()).append("\",\"")
          .append(levels.get(i).quantity().toPlainString()).append("\"]");
    }
    return s.append(']');
  }

  private BookSync fresh() {
    BookSync sync = new BookSync("BTCUSDT");
    sync.onDiff(new DepthDiff("BTCUSDT", 0, 1_000, 1_000, List.of(), List.of()));
    sync.onSnapshot(snapshot);
    return sync;
  }

  /** Each invocation rebuilds the book from the snapshot (a few µs) and applies all diffs. */
  @Benchmark
  @OperationsPerInvocation(DIFFS * 10)
  public void apply(Blackhole bh) {
    BookSync sync = fresh();
    for (DepthDiff d : diffs) {
      bh.consume(sync.onDiff(d));
    }
    bh.consume(sync.book().bestBid());
  }

  @Benchmark
  @OperationsPerInvocation(DIFFS * 10)
  public void parseAndApply(Blackhole bh) {
    BookSync sync = fresh();
    for (String f : frames) {
      bh.consume(sync.onDiff(DepthParser.diff(f)));
    }
    bh.consume(sync.book().bestBid());
  }
}
