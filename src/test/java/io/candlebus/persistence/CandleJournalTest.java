package io.candlebus.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk journal on its own: order, segments, reopening, torn records, deletion after commit. */
class CandleJournalTest {
  private static final long T0 = Instant.parse("2025-03-01T00:00:00Z").toEpochMilli();

  @TempDir
  Path dir;

  @Test
  void candlesComeBackInAppendOrderAcrossSegmentsWithExactDecimals() throws IOException {
    List<Candle> candles = new ArrayList<>(TestCandles.series("BTCUSDT", T0, 7));
    // a later version of the first window, and decimals whose scale must survive
    candles.add(TestCandles.withClose(candles.get(0), "0.000100000"));
    candles.add(TestCandles.withVolume(candles.get(1), new BigDecimal("1E+3")));
    try (CandleJournal j = CandleJournal.open(dir, 3)) {
      j.append(candles.subList(0, 2));
      j.append(candles.subList(2, 9));

      assertThat(j.size()).isEqualTo(9);
      assertThat(j.segmentSizes().values()).containsExactlyInAnyOrder(3, 3, 3);
      assertThat(drain(j)).isEqualTo(candles);
      assertThat(j.size()).isZero();
    }
    assertThat(segmentFiles()).as("every segment deleted after its commit").isEmpty();
  }

  @Test
  void aReopenedJournalHasWhatWasAppendedAndAppendsBehindIt() throws IOException {
    List<Candle> first = TestCandles.series("ETHUSDT", T0, 5);
    List<Candle> second = TestCandles.series("ETHUSDT", T0 + 5 * 60_000L, 4);
    try (CandleJournal j = CandleJournal.open(dir, 4)) {
      j.append(first);
    }
    try (CandleJournal j = CandleJournal.open(dir, 4)) {
      assertThat(j.size()).isEqualTo(5);
      j.append(second);
      List<Candle> all = new ArrayList<>(first);
      all.addAll(second);
      assertThat(drain(j)).isEqualTo(all);
    }
  }

  @Test
  void aPrependedSegmentIsReplayedFirst() throws IOException {
    List<Candle> older = TestCandles.series("SOLUSDT", T0, 3);
    List<Candle> newer = TestCandles.series("SOLUSDT", T0 + 3 * 60_000L, 3);
    try (CandleJournal j = CandleJournal.open(dir, 100)) {
      j.append(newer);
      j.prepend(older);
    }
    try (CandleJournal j = CandleJournal.open(dir, 100)) {
      List<Candle> all = new ArrayList<>(older);
      all.addAll(newer);
      assertThat(drain(j)).isEqualTo(all);
    }
  }

  @Test
  void aTornLastRecordIsCountedAndCutOffNotMisread() throws IOException {
    List<Candle> candles = TestCandles.series("BTCUSDT", T0, 4);
    try (CandleJournal j = CandleJournal.open(dir, 100)) {
      j.append(candles);
    }
    Path seg = segmentFiles().get(0);
    long intact = Files.size(seg);
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(intact - 7); // the process died in the middle of writing the last record
    }

    try (CandleJournal j = CandleJournal.open(dir, 100)) {
      assertThat(j.tornRecords()).isEqualTo(1);
      assertThat(j.size()).isEqualTo(3);
      j.append(List.of(candles.get(3))); // written again after the restart: lands behind the good ones
      assertThat(drain(j)).isEqualTo(candles);
    }
  }

  @Test
  void aRecordWithAWrongChecksumEndsItsSegment() throws IOException {
    List<Candle> candles = TestCandles.series("BTCUSDT", T0, 3);
    try (CandleJournal j = CandleJournal.open(dir, 100)) {
      j.append(candles);
    }
    Path seg = segmentFiles().get(0);
    byte[] bytes = Files.readAllBytes(seg);
    int third = bytes.length - CandleJournal.encode(candles.get(2)).length();
    bytes[third + 3] ^= 0x01; // one flipped bit in the last record's payload: "BTCUSDT" becomes "BTCTSDT"
    Files.write(seg, bytes);

    try (CandleJournal j = CandleJournal.open(dir, 100)) {
      assertThat(j.tornRecords()).isEqualTo(1);
      assertThat(drain(j)).isEqualTo(candles.subList(0, 2));
    }
  }

  @Test
  void aSegmentIsKeptUntilCommittedSoACrashReplaysItAgain() throws IOException {
    List<Candle> candles = TestCandles.series("BTCUSDT", T0, 3);
    try (CandleJournal j = CandleJournal.open(dir, 100)) {
      j.append(candles);
      assertThat(j.oldest()).get().extracting(CandleJournal.Segment::candles).isEqualTo(candles);
      // no commit: the process "dies" after writing them to PostgreSQL
    }
    try (CandleJournal j = CandleJournal.open(dir, 100)) {
      assertThat(j.size()).isEqualTo(3);
      CandleJournal.Segment s = j.oldest().orElseThrow();
      j.append(TestCandles.series("BTCUSDT", T0 + 3 * 60_000L, 1)); // sealed: appends go to a new segment
      j.commit(s);
      assertThat(j.size()).isEqualTo(1);
      assertThat(segmentFiles()).hasSize(1);
    }
  }

  private static List<Candle> drain(CandleJournal j) throws IOException {
    List<Candle> out = new ArrayList<>();
    for (var s = j.oldest(); s.isPresent(); s = j.oldest()) {
      out.addAll(s.get().candles());
      j.commit(s.get());
    }
    return out;
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(CandleJournal.SUFFIX)).sorted().toList();
    }
  }
}
