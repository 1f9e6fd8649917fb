package io.candlebus.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.depth.DepthDiff;
import io.candlebus.depth.DepthParser;
import io.candlebus.depth.DepthParser.MalformedDepth;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The bad depth frames: deterministic, every kind in every round, and each one refused by the gateway's parser
 * (or naming a symbol it does not carry) — the parser is the client these frames were written against.
 */
class MalformedDepthFramesTest {
  private static final MalformedDepthFrames.Book BOOK = new MalformedDepthFrames.Book("BTCUSDT", 7_000_000L,
      1_764_979_200_000L, new BigDecimal("50000.10000000"), new BigDecimal("50000.20000000"));

  @Test
  void sameSeedSameFramesAndEveryRoundHoldsEveryKind() {
    List<String> a = MalformedDepthFrames.generate(BOOK, null, 300, 5);
    assertThat(MalformedDepthFrames.generate(BOOK, null, 300, 5)).isEqualTo(a);
    assertThat(MalformedDepthFrames.generate(BOOK, null, 300, 6)).isNotEqualTo(a);
    int n = MalformedDepthFrames.kinds();
    assertThat(n).isGreaterThanOrEqualTo(18);
    for (int round = 0; round < 3; round++) {
      Set<String> kinds = new HashSet<>();
      int from = round * n;
      IntStream.range(from, from + n).forEach(i -> kinds.add(MalformedDepthFrames.kindOf(i, 5)));
      assertThat(kinds).hasSize(n);
    }
  }

  @Test
  void everyFrameIsRefusedBareOrInAnEnvelope() {
    for (String stream : new String[] {null, "btcusdt@depth@100ms"}) {
      List<String> frames = MalformedDepthFrames.generate(BOOK, stream, 40 * MalformedDepthFrames.kinds(), 11);
      Map<String, Integer> byReason = new TreeMap<>();
      for (int i = 0; i < frames.size(); i++) {
        String f = frames.get(i);
        String kind = MalformedDepthFrames.kindOf(i, 11);
        try {
          DepthDiff d = DepthParser.diff(f);
          assertThat(kind).as("accepted: %s", f).isEqualTo("symbol not carried");
          assertThat(d.symbol()).isNotEqualTo(BOOK.symbol());
          byReason.merge("unknown_symbol", 1, Integer::sum);
        } catch (MalformedDepth e) {
          byReason.merge(e.kind(), 1, Integer::sum);
        }
      }
      assertThat(byReason.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(frames.size());
      assertThat(byReason).containsKeys("invalid_json", "not_depth_update", "bad_field", "bad_ids", "bad_level",
          "bad_decimal");
      if (stream == null) {
        assertThat(byReason).containsKey("not_an_object"); // in an envelope, "data":[] is a frame without "e"
      }
    }
  }

  @Test
  void theFramesPretendToContinueTheBook() {
    // a frame that were accepted would move the book on: its ids continue it and its prices sit at its top
    String truncatedAtTheEnd = MalformedDepthFrames.generate(BOOK, null, 2_000, 3).stream()
        .filter(f -> f.startsWith("{\"e\":\"depthUpdate\"") && f.endsWith("} x")).findFirst().orElseThrow();
    DepthDiff d = DepthParser.diff(truncatedAtTheEnd.substring(0, truncatedAtTheEnd.length() - 2));
    assertThat(d.firstId()).isEqualTo(BOOK.updateId() + 1);
    assertThat(d.bids().get(0).price()).isLessThanOrEqualTo(BOOK.bestBid());
    assertThat(d.asks().get(0).price()).isGreaterThanOrEqualTo(BOOK.bestAsk());
  }
}
