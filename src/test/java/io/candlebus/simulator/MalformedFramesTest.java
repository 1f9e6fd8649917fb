package io.candlebus.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The bad-frame generator: deterministic, every kind in every round, and really bad in the ways it claims. */
class MalformedFramesTest {
  /** No nesting limit, so that deep frames parse and can be measured. */
  private static final ObjectMapper LENIENT = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE)
          .maxNumberLength(Integer.MAX_VALUE).build()).build());

  @Test
  void sameSeedSameFramesOtherSeedOtherFrames() {
    List<String> a = MalformedFrames.generate(200, 42);
    assertThat(MalformedFrames.generate(200, 42)).isEqualTo(a);
    assertThat(MalformedFrames.generate(200, 43)).isNotEqualTo(a);
    assertThat(MalformedFrames.generate(50, 42)).isEqualTo(a.subList(0, 50));
    assertThat(MalformedFrames.generate(0, 1)).isEmpty();
    assertThatThrownBy(() -> MalformedFrames.generate(-1, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyRoundHoldsEveryKindOnce() {
    int n = MalformedFrames.kinds();
    assertThat(n).isGreaterThanOrEqualTo(30);
    for (long seed : new long[] {0, 1, -7, Long.MAX_VALUE}) {
      for (int round = 0; round < 3; round++) {
        int from = round * n;
        Set<String> kinds = new HashSet<>();
        IntStream.range(from, from + n).forEach(i -> kinds.add(MalformedFrames.kindOf(i, seed)));
        assertThat(kinds).as("seed %d round %d", seed, round).hasSize(n);
      }
    }
    // and the order differs between rounds, so a client cannot pass by remembering positions
    assertThat(IntStream.range(0, n).mapToObj(i -> MalformedFrames.kindOf(i, 3)).toList())
        .isNotEqualTo(IntStream.range(n, 2 * n).mapToObj(i -> MalformedFrames.kindOf(i, 3)).toList());
  }

  @Test
  void theFramesAreBadInTheWaysTheirKindSays() {
    int n = MalformedFrames.kinds();
    List<String> frames = MalformedFrames.generate(n * 4, 9);
    int unparseable = 0;
    int notObjects = 0;
    for (int i = 0; i < frames.size(); i++) {
      String kind = MalformedFrames.kindOf(i, 9);
      String f = frames.get(i);
      JsonNode node = parseOrNull(f);
      if (node == null) {
        unparseable++;
      } else if (!node.isObject()) {
        notObjects++;
      }
      switch (kind) {
        case "empty text" -> assertThat(f).isEmpty();
        case "not JSON", "truncated JSON", "trailing garbage" -> assertThat(node).as(kind + ": " + f).isNull();
        case "array", "number", "string", "literal" -> {
          assertThat(node).as(kind).isNotNull();
          assertThat(node.isObject()).as(kind + ": " + f).isFalse();
        }
        case "missing p", "missing q", "missing a", "missing T" -> {
          assertThat(node).as(kind).isNotNull();
          assertThat(node.has(kind.substring(8))).as(kind + ": " + f).isFalse();
          assertThat(node.get("e").asText()).isEqualTo("aggTrade");
        }
        case "price as number" -> assertThat(node.get("p").isNumber()).isTrue();
        case "id as string" -> assertThat(node.get("a").isTextual()).isTrue();
        case "m as string" -> assertThat(node.get("m").isBoolean()).isFalse();
        case "id beyond Long" -> assertThat(f).containsAnyOf("9223372036854775808", "99999999999999999999",
            "-9223372036854775809");
        case "very deep nesting" -> assertThat(depth(f)).isGreaterThanOrEqualTo(1_000);
        case "first trade id after last" -> assertThat(node.get("l").asLong()).isLessThan(node.get("f").asLong());
        case "unknown stream name" -> assertThat(node.get("stream").asText())
            .isNotIn("btcusdt@aggTrade", "btcusdt@kline_1m");
        default -> assertThat(f).as(kind).isNotNull();
      }
    }
    assertThat(unparseable).isGreaterThanOrEqualTo(4 * 3);  // not JSON, truncated, trailing garbage
    // array, number, string, literal, empty and blank text (no value at all)
    assertThat(notObjects).isGreaterThanOrEqualTo(4 * 6);
  }

  @Test
  void oversizeIsAValidAggTradeOfExactlyTheSize() throws Exception {
    for (int size : new int[] {300, 65_536, 1 << 20}) {
      String f = MalformedFrames.oversize(size);
      assertThat(f.getBytes(StandardCharsets.UTF_8)).hasSize(size);
      JsonNode node = new ObjectMapper().readTree(f);
      assertThat(node.get("e").asText()).isEqualTo("aggTrade");
      assertThat(node.get("p").asText()).matches("\\d+\\.\\d{8}");
    }
    assertThatThrownBy(() -> MalformedFrames.oversize(10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least");
  }

  private static JsonNode parseOrNull(String text) {
    try {
      JsonNode n = LENIENT.readTree(text);
      if (n == null || n.isMissingNode()) {
        return LENIENT.nullNode();  // empty or blank text: no value at all
      }
      // Jackson stops after the first value; trailing data makes it invalid JSON
      try (var p = LENIENT.createParser(text)) {
        p.nextToken();
        p.skipChildren();
        if (p.nextToken() != null) {
          return null;
        }
      }
      return n;
    } catch (Exception e) {
      return null;
    }
  }

  private static int depth(String s) {
    int d = 0;
    int max = 0;
    for (char c : s.toCharArray()) {
      if (c == '[' || c == '{') {
        max = Math.max(max, ++d);
      } else if (c == ']' || c == '}') {
        d--;
      }
    }
    return max;
  }
}
