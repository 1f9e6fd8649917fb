package io.candlebus.depth;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.config.RecordSlice;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder's files: UTC slices, complete-then-renamed, partial on a stop, exact cells, errors contained. */
class DepthRecorderTest {
  private static final long T0 = 1_764_979_200_000L; // 2025-12-06T00:00:00Z, a day, hour and minute boundary

  @TempDir
  Path dir;
  final List<String> events = new ArrayList<>();
  long written;
  long dropped;

  private DepthRecorder recorder(int levels, RecordSlice slice) {
    return new DepthRecorder(dir, levels, slice, new DepthRecorder.Listener() {
      @Override
      public void written(String symbol, int rows) {
        written += rows;
      }

      @Override
      public void dropped(String symbol, int rows) {
        dropped += rows;
      }

      @Override
      public void gap(String symbol, long from, long missingTicks) {
        events.add("gap " + symbol + " " + (from - T0) + " " + missingTicks);
      }

      @Override
      public void file(Path file, boolean complete) {
        events.add((complete ? "complete " : "partial ") + file.getFileName());
      }
    });
  }

  private static Level l(String p, String q) {
    return new Level(new BigDecimal(p), new BigDecimal(q));
  }

  private static DepthRow row(String symbol, long time) {
    return new DepthRow(symbol, time, time / 100, time - 7, List.of(l("50000.10", "0.00100000"), l("49999", "2")),
        List.of(l("50000.2", "1.5")));
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private void ticks(DepthRecorder r, long from, long to, String... symbols) {
    for (long t = from; t < to; t += 100) {
      List<DepthRow> rows = new ArrayList<>();
      for (String s : symbols) {
        rows.add(row(s, t));
      }
      r.tick(new DepthTick(t, rows));
    }
  }

  @Test
  void aSliceAppearsOnlyWhenCompleteWithOneRowPerTickAndExactCells() throws IOException {
    DepthRecorder r = recorder(3, RecordSlice.MINUTE);
    ticks(r, T0, T0 + 60_000, "BTCUSDT");
    assertThat(names()).as("the slice has not ended yet").containsExactly("BTCUSDT_3_20251206T000000Z.csv.tmp");
    r.tick(new DepthTick(T0 + 60_000, List.of())); // time goes on without a row: the slice still ends
    assertThat(names()).containsExactly("BTCUSDT_3_20251206T000000Z.csv");
    List<String> lines = Files.readAllLines(dir.resolve("BTCUSDT_3_20251206T000000Z.csv"));
    assertThat(lines.get(0)).isEqualTo("time,bid1_price,bid1_qty,bid2_price,bid2_qty,bid3_price,bid3_qty,"
        + "ask1_price,ask1_qty,ask2_price,ask2_qty,ask3_price,ask3_qty,updateId,eventTime");
    assertThat(lines).hasSize(1 + 600);
    assertThat(lines.get(1)).isEqualTo(T0 + ",50000.1,0.001,49999,2,,,50000.2,1.5,,,,," + T0 / 100 + ","
        + (T0 - 7));
    assertThat(lines.get(600)).startsWith((T0 + 59_900) + ",");
    assertThat(lines).allSatisfy(line -> assertThat(line.split(",", -1)).hasSize(1 + 4 * 3 + 2));
    assertThat(written).isEqualTo(600);
    assertThat(events).containsExactly("complete BTCUSDT_3_20251206T000000Z.csv");
  }

  @Test
  void slicesAreCutOnUtcMinuteHourAndDayBoundaries() throws IOException {
    for (RecordSlice slice : RecordSlice.values()) {
      Path sub = dir.resolve(slice.code());
      DepthRecorder r = new DepthRecorder(sub, 5, slice, new CountingListener());
      long end = T0 + slice.millis();
      ticks(r, T0, T0 + 200, "ETHUSDT");
      ticks(r, end - 100, end + 100, "ETHUSDT"); // the last tick of the slice, the first of the next
      r.close();
      try (Stream<Path> files = Files.list(sub)) {
        assertThat(files.map(p -> p.getFileName().toString()).sorted()).as(slice.code()).containsExactly(
            "ETHUSDT_5_20251206T000000Z.csv",
            "ETHUSDT_5_" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(end)) + ".partial.csv");
      }
      assertThat(Files.readAllLines(sub.resolve("ETHUSDT_5_20251206T000000Z.csv"))).hasSize(1 + 3)
          .last().asString().startsWith((end - 100) + ",");
    }
  }

  @Test
  void aStopLeavesThePartialSliceAndAJoinedMidwaySliceIsPartialToo() throws IOException {
    DepthRecorder r = recorder(5, RecordSlice.MINUTE);
    ticks(r, T0 + 30_000, T0 + 60_500, "BTCUSDT", "BNBUSDT"); // joined mid-way through 06:00
    r.close();
    assertThat(names()).containsExactly("BNBUSDT_5_20251206T000000Z.partial.csv",
        "BNBUSDT_5_20251206T000100Z.partial.csv", "BTCUSDT_5_20251206T000000Z.partial.csv",
        "BTCUSDT_5_20251206T000100Z.partial.csv");
    assertThat(Files.readAllLines(dir.resolve("BTCUSDT_5_20251206T000000Z.partial.csv"))).hasSize(1 + 300);
    assertThat(Files.readAllLines(dir.resolve("BTCUSDT_5_20251206T000100Z.partial.csv"))).hasSize(1 + 5);

    // a second run in the same slice never overwrites: its file gets -2
    DepthRecorder again = recorder(5, RecordSlice.MINUTE);
    ticks(again, T0 + 61_000, T0 + 61_200, "BTCUSDT");
    again.close();
    assertThat(names()).contains("BTCUSDT_5_20251206T000100Z.partial.csv", "BTCUSDT_5_20251206T000100Z-2.partial.csv");
    assertThat(Files.readAllLines(dir.resolve("BTCUSDT_5_20251206T000100Z.partial.csv"))).hasSize(1 + 5);
  }

  @Test
  void aGapIsCountedAndNoRowInvented() throws IOException {
    DepthRecorder r = recorder(5, RecordSlice.MINUTE);
    ticks(r, T0, T0 + 1_000, "BTCUSDT");
    ticks(r, T0 + 1_000, T0 + 1_500); // resyncing: ticks without a row
    ticks(r, T0 + 1_500, T0 + 60_100, "BTCUSDT");
    assertThat(events).containsExactly("gap BTCUSDT 1000 5", "complete BTCUSDT_5_20251206T000000Z.csv");
    List<String> lines = Files.readAllLines(dir.resolve("BTCUSDT_5_20251206T000000Z.csv"));
    assertThat(lines).hasSize(1 + 600 - 5);
    assertThat(lines).noneMatch(line -> line.startsWith((T0 + 1_200) + ","));
  }

  @Test
  void anUnwritableDirectoryDropsAndReportsThenRecovers() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x"); // fails for root too, unlike permissions
    Path target = file.resolve("books");
    DepthRecorder r = new DepthRecorder(target, 5, RecordSlice.MINUTE, new CountingListener() {
      @Override
      public void dropped(String symbol, int rows) {
        dropped += rows;
      }
    });
    ticks(r, T0, T0 + 500, "BTCUSDT", "ETHUSDT");
    assertThat(dropped).isEqualTo(10);
    assertThat(r.problem()).hasValueSatisfying(p -> assertThat(p).contains("cannot write").contains("books"));

    Files.delete(file);
    ticks(r, T0 + 500, T0 + 1_500, "BTCUSDT"); // tried again a second after the failure
    assertThat(r.problem()).isEmpty();
    r.close();
    assertThat(Files.readAllLines(target.resolve("BTCUSDT_5_20251206T000000Z.partial.csv")).get(1))
        .startsWith((T0 + 1_000) + ",");
    assertThat(dropped).as("rows in the second after the failure").isEqualTo(10 + 5);
  }

  @Test
  void aTmpLeftByACrashIsKeptAsPartial() throws IOException {
    Files.writeString(dir.resolve("BTCUSDT_5_20251206T000000Z.csv.tmp"), "time\n1,2\n");
    Files.writeString(dir.resolve("BTCUSDT_5_20251206T000000Z.partial.csv"), "earlier\n");
    recorder(5, RecordSlice.MINUTE).close();
    assertThat(names()).containsExactly("BTCUSDT_5_20251206T000000Z-2.partial.csv",
        "BTCUSDT_5_20251206T000000Z.partial.csv");
    assertThat(Files.readString(dir.resolve("BTCUSDT_5_20251206T000000Z-2.partial.csv"))).isEqualTo("time\n1,2\n");
  }

  private static class CountingListener implements DepthRecorder.Listener {
    @Override
    public void written(String symbol, int rows) {}

    @Override
    public void dropped(String symbol, int rows) {}

    @Override
    public void gap(String symbol, long from, long missingTicks) {}

    @Override
    public void file(Path file, boolean complete) {}
  }
}
