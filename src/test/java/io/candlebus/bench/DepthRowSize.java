package io.candlebus.bench;

import io.candlebus.config.RecordSlice;
import io.candlebus.depth.DepthRecorder;
import io.candlebus.depth.DepthRow;
import io.candlebus.depth.DepthTick;
import io.candlebus.depth.Level;
import io.candlebus.testing.SharedData;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Disk used by the depth recorder for one BTCUSDT-like symbol at 5 levels (or the levels given): 6 000 ticks (10 one-minute files) of
 * rows whose numbers are real BTCUSDT strings — prices and quantities of the 5 000 official aggTrades of
 * 2026-01-01 (../shared/data/binance-real/hjb_BTCUSDT_aggTrades_2026-01-01, e.g. {@code 87648.21000000},
 * {@code 0.08185000}): best bid a trade's price, the other levels 0.01 apart, the 10 quantities those of
 * consecutive trades; update ids of 11 digits (an assumption for BTCUSDT today), 13-digit times. Prints the bytes
 * per row (headers excluded) and per symbol per day at 10 rows/s.
 *
 * <pre>mvn -q -o -Pbench test-compile exec:exec -Dbench.main=io.candlebus.bench.DepthRowSize -Dbench.args="5"</pre>
 */
public final class DepthRowSize {
  static final int TICKS = 6_000;
  static final long T0 = 1_796_548_560_000L; // 2026-12-06T09:16:00Z

  public static void main(String[] args) throws IOException {
    int levels = args.length > 0 ? Integer.parseInt(args[0]) : 5; // 5, 10 or 20
    List<String[]> trades = new ArrayList<>();
    for (String line : Files.readAllLines(SharedData.real(
        "hjb_BTCUSDT_aggTrades_2026-01-01/BTCUSDT-aggTrades-2026-01-01.csv"))) {
      trades.add(line.split(","));
    }
    Path dir = Files.createTempDirectory("depth-size");
    DepthRecorderBenchmark.Counts counts = new DepthRecorderBenchmark.Counts();
    DepthRecorder recorder = new DepthRecorder(dir, levels, RecordSlice.MINUTE, counts);
    BigDecimal cent = new BigDecimal("0.01");
    long updateId = 72_345_678_901L;
    for (int i = 0; i < TICKS; i++) {
      int at = i % (trades.size() - 2 * levels);
      BigDecimal best = new BigDecimal(trades.get(at)[1]);
      List<Level> bids = new ArrayList<>();
      List<Level> asks = new ArrayList<>();
      for (int k = 0; k < levels; k++) {
        bids.add(new Level(best.subtract(cent.multiply(BigDecimal.valueOf(k))),
            new BigDecimal(trades.get(at + k)[2])));
        asks.add(new Level(best.add(cent.multiply(BigDecimal.valueOf(k + 1))),
            new BigDecimal(trades.get(at + levels + k)[2])));
      }
      long time = T0 + i * 100L;
      updateId += 20 + i % 61;
      recorder.tick(new DepthTick(time, List.of(new DepthRow("BTCUSDT", time, updateId, time - 7, bids, asks))));
    }
    recorder.tick(new DepthTick(T0 + TICKS * 100L, List.of()));
    recorder.close();
    long bytes = 0;
    int files = 0;
    long header = 0;
    try (Stream<Path> list = Files.list(dir)) {
      for (Path f : list.filter(f -> f.toString().endsWith(".csv")).toList()) {
        bytes += Files.size(f);
        files++;
        header = Files.readAllLines(f).get(0).length() + 1;
      }
    }
    double perRow = (double) (bytes - files * header) / counts.written;
    double perDay = perRow * 864_000 + 1_440 * header;
    System.out.printf("%d rows in %d files, %d bytes (%d of them headers of %d bytes): %.1f bytes/row; "
        + "per symbol per day at 10 rows/s: %.0f MB in 1m files (%.1f MiB)%n", counts.written, files, bytes,
        files * header, header, perRow, perDay / 1e6, perDay / (1 << 20));
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
