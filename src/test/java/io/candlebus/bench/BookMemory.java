package io.candlebus.bench;

import io.candlebus.depth.BookSync;
import io.candlebus.depth.DepthDiff;
import io.candlebus.depth.DepthSnapshot;
import io.candlebus.depth.Level;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap held per live order book: {@code N} books of 1 000 levels (500 a side, 8-decimal prices 0.01 apart and
 * 8-decimal quantities, as parsed from Binance's strings) kept by {@link BookSync}, each after a snapshot and one
 * bridging diff; the heap after a full GC with them, minus the heap without them, over {@code N}. Approximate (a
 * GC-based difference, not an object walk), so it takes many books and several runs; prints each run.
 *
 * <pre>mvn -q -Pbench test-compile exec:exec -Dbench.main=io.candlebus.bench.BookMemory -Dbench.args="200 1000"</pre>
 */
public final class BookMemory {
  private BookMemory() {}

  public static void main(String[] args) throws InterruptedException {
    int books = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int levels = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    for (int run = 0; run < 3; run++) {
      long before = usedAfterGc();
      List<BookSync> kept = new ArrayList<>(books);
      for (int b = 0; b < books; b++) {
        kept.add(book("SYM" + b + "USDT", levels, b));
      }
      long after = usedAfterGc();
      long total = kept.stream().mapToLong(s -> s.book().levels()).sum();
      System.out.printf("run %d: %d books of %d levels: %.1f KB per book, %.0f bytes per level%n", run, books,
          total / books, (after - before) / 1024.0 / books, (double) (after - before) / total);
      kept.clear();
    }
  }

  private static BookSync book(String symbol, int levels, int seed) {
    long mid = 8_764_821L + seed; // cents
    List<Level> bids = new ArrayList<>();
    List<Level> asks = new ArrayList<>();
    for (int i = 0; i < levels / 2; i++) {
      bids.add(new Level(BigDecimal.valueOf(mid - i, 2).setScale(8), BigDecimal.valueOf(1 + (i * 7919L) % 99_999, 5)
          .setScale(8)));
      asks.add(new Level(BigDecimal.valueOf(mid + 1 + i, 2).setScale(8),
          BigDecimal.valueOf(1 + (i * 104_729L) % 99_999, 5).setScale(8)));
    }
    BookSync sync = new BookSync(symbol);
    sync.onDiff(new DepthDiff(symbol, 1, 1_000, 1_001, List.of(), List.of()));
    sync.onSnapshot(new DepthSnapshot(1_000, bids, asks));
    sync.onDiff(new DepthDiff(symbol, 2, 1_002, 1_002, List.of(), List.of()));
    if (sync.state() != BookSync.State.LIVE) {
      throw new IllegalStateException(symbol + " not live: " + sync.state());
    }
    return sync;
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime r = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50); // a benchmark, not a test: lets the collector settle
      used = Math.min(used, r.totalMemory() - r.freeMemory());
    }
    return used;
  }
}
