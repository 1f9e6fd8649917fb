package io.candlebus.simulator;

import static io.candlebus.simulator.FrameText.quoted;
import static io.candlebus.simulator.FrameText.render;
import static io.candlebus.simulator.FrameText.with;
import static io.candlebus.simulator.FrameText.without;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Bad text frames a Binance stream client can receive, for robustness tests: not JSON, truncated JSON, empty
 * text, arrays / numbers / strings instead of an object, unknown event types, envelopes with bad or no data,
 * aggTrades with a field missing or of the wrong type, absurd numbers (negative, NaN-like, 1e400, beyond Long,
 * times far off), invalid klines, unknown stream names, very deep nesting, duplicate keys, trailing garbage and
 * replies to requests never made. Which of these a client should reject and which it may accept is the
 * client's business; nothing here predicts it.
 *
 * <p>Pure and deterministic: the same (count, seed) gives the same frames on any JDK. Every run of
 * {@link #kinds()} frames holds each kind once, in a seeded order, with seeded values.
 */
public final class MalformedFrames {
  private static final long BASE_TIME = 1_704_067_200_000L;  // 2024-01-01T00:00Z

  private MalformedFrames() {}

  /** A generator of one kind of bad frame. */
  private record Kind(String name, Function<SplitMix64, String> make) {}

  private static final List<Kind> KINDS = List.of(
      new Kind("not JSON", r -> pick(r, "hello", "<html><body>502 Bad Gateway</body></html>",
          "aggTrade btcusdt 50000", "{e:aggTrade}", "{'e':'aggTrade'}", "\u0001\u0002\u0003")),
      new Kind("truncated JSON", r -> {
        String full = render(trade(r));
        return full.substring(0, 1 + r.nextInt(full.length() - 1));
      }),
      new Kind("empty text", r -> ""),
      new Kind("whitespace only", r -> pick(r, " ", "\n", "\t \r\n")),
      new Kind("array", r -> pick(r, "[]", "[1,2,3]", "[" + render(trade(r)) + "]")),
      new Kind("number", r -> pick(r, "42", "-1.5e3", "0", Long.toString(r.nextLong()))),
      new Kind("string", r -> pick(r, "\"aggTrade\"", "\"\"", "\"{\\\"e\\\":\\\"aggTrade\\\"}\"")),
      new Kind("literal", r -> pick(r, "null", "true", "false")),
      new Kind("unknown event type", r -> render(with(trade(r), "e",
          quoted(pick(r, "aggTrades", "AGGTRADE", "trade2", "mystery", "outboundAccountPosition"))))),
      new Kind("no event type", r -> render(without(trade(r), "e"))),
      new Kind("envelope with bad data", r -> "{\"stream\":\"btcusdt@aggTrade\",\"data\":"
          + pick(r, "\"oops\"", "null", "[1]", "42", "{}", quoted(render(trade(r)).replace("\"", "\\\""))) + "}"),
      new Kind("envelope without data or stream", r -> pick(r, "{\"stream\":\"btcusdt@aggTrade\"}",
          "{\"data\":" + render(trade(r)) + "}", "{\"stream\":null,\"data\":" + render(trade(r)) + "}",
          "{\"stream\":42,\"data\":" + render(trade(r)) + "}")),
      new Kind("missing p", r -> render(without(trade(r), "p"))),
      new Kind("missing q", r -> render(without(trade(r), "q"))),
      new Kind("missing a", r -> render(without(trade(r), "a"))),
      new Kind("missing T", r -> render(without(trade(r), "T"))),
      new Kind("price as number", r -> render(with(trade(r), "p", (50_000 + r.nextInt(1000)) + ".12"))),
      new Kind("quantity as number", r -> render(with(trade(r), "q", "0.0" + (1 + r.nextInt(9000))))),
      new Kind("id as string", r -> render(with(trade(r), "a", quoted(Long.toString(id(r)))))),
      new Kind("m as string", r -> render(with(trade(r), "m", pick(r, "\"true\"", "\"false\"", "1", "\"yes\"")))),
      new Kind("time as string", r -> render(with(trade(r), "T", quoted(Long.toString(BASE_TIME))))),
      new Kind("negative number", r -> render(with(trade(r), pick(r, "p", "q"), "\"-" + price(r) + "\""))),
      new Kind("NaN-like string", r -> render(with(trade(r), pick(r, "p", "q"), quoted(pick(r, "NaN", "Infinity",
          "-Infinity", "nan", "1e400", "", "0x1F", "1,000.00", " 50000 ", "5e-400", "50000.1.2"))))),
      new Kind("huge number", r -> render(with(trade(r), pick(r, "p", "q", "T"), pick(r, "1e400", "-1e400",
          "1" + "0".repeat(400))))),
      new Kind("id beyond Long", r -> render(with(trade(r), pick(r, "a", "f", "l"),
          pick(r, "9223372036854775808", "99999999999999999999", "-9223372036854775809")))),
      new Kind("time far in the future", r -> render(with(trade(r), pick(r, "T", "E"),
          pick(r, "32503680000000", "1704067200000000", "9223372036854775807")))),
      new Kind("time far in the past", r -> render(with(trade(r), pick(r, "T", "E"), pick(r, "0", "-1", "1000")))),
      new Kind("zero price or quantity", r -> render(with(trade(r), pick(r, "p", "q"), "\"0.00000000\""))),
      new Kind("first trade id after last", r -> {
        Map<String, String> t = trade(r);
        long f = Long.parseLong(t.get("f"));
        return render(with(t, "l", Long.toString(f - 1 - r.nextInt(5))));
      }),
      new Kind("null field", r -> render(with(trade(r), pick(r, "p", "q", "a", "T", "s", "m"), "null"))),
      new Kind("invalid kline", MalformedFrames::badKline),
      new Kind("unknown stream name", r -> "{\"stream\":" + quoted(pick(r, "btcusdt@depth20@100ms",
          "BTCUSDT@aggTrade", "nopeusdt@aggTrade", "btcusdt@kline_7m", "btcusdt@aggtrade", "", "!miniTicker@arr"))
          + ",\"data\":" + render(trade(r)) + "}"),
      new Kind("symbol mismatch or odd symbol", r -> "{\"stream\":\"btcusdt@aggTrade\",\"data\":"
          + render(with(trade(r), "s", quoted(pick(r, "ETHUSDT", "", "btcusdt", "BTC\\u0000USDT", "BTCÜSDT"))))
          + "}"),
      new Kind("very deep nesting", MalformedFrames::deep),
      new Kind("duplicate keys", r -> {
        String t = render(trade(r));
        return t.substring(0, t.length() - 1) + ",\"p\":\"-1.00000000\",\"a\":" + id(r) + "}";
      }),
      new Kind("trailing garbage", r -> render(trade(r)) + pick(r, " xyz", render(trade(r)), "}", ",")),
      new Kind("reply to no request", r -> pick(r, "{\"result\":null,\"id\":" + id(r) + "}",
          "{\"code\":2,\"msg\":\"Invalid request\"}", "{\"result\":[\"btcusdt@aggTrade\"],\"id\":\"x\"}")));

  /** How many kinds there are: {@code generate(kinds(), seed)} holds each once. */
  public static int kinds() {
    return KINDS.size();
  }

  /** The name of the kind of the i-th frame of {@code generate(count, seed)}, for test messages. */
  public static String kindOf(int index, long seed) {
    return KINDS.get(order(index, seed)).name();
  }

  /** {@code count} bad frames, a deterministic mix of every kind (each once per {@link #kinds()} frames). */
  public static List<String> generate(int count, long seed) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, not " + count);
    }
    SplitMix64 values = new SplitMix64(seed ^ 0x5DEECE66DL);
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(KINDS.get(order(i, seed)).make().apply(values));
    }
    return out;
  }

  /**
   * A syntactically valid aggTrade event of exactly {@code bytes} bytes (UTF-8), padded with an extra string
   * field; IllegalArgumentException when {@code bytes} is below the unpadded size (about 200).
   */
  public static String oversize(int bytes) {
    Map<String, String> t = trade(new SplitMix64(1));
    String head = render(t);
    head = head.substring(0, head.length() - 1) + ",\"pad\":\"";
    int pad = bytes - head.length() - 2;
    if (pad < 0) {
      throw new IllegalArgumentException("an aggTrade frame needs at least " + (head.length() + 2) + " bytes");
    }
    return head + "x".repeat(pad) + "\"}";
  }

  private static int order(int i, long seed) {
    return FrameText.kindIndex(i, KINDS.size(), seed, 31);
  }

  private static String badKline(SplitMix64 r) {
    long t = BASE_TIME + 60_000L * r.nextInt(10_000);
    Map<String, String> k = new LinkedHashMap<>();
    k.put("t", Long.toString(t));
    k.put("T", Long.toString(t + 59_999));
    k.put("s", "\"BTCUSDT\"");
    k.put("i", "\"1m\"");
    k.put("f", Long.toString(id(r)));
    k.put("L", Long.toString(id(r) + 100));
    k.put("o", quoted(price(r)));
    k.put("c", quoted(price(r)));
    k.put("h", "\"60000.00000000\"");
    k.put("l", "\"40000.00000000\"");
    k.put("v", "\"1.00000000\"");
    k.put("n", "10");
    k.put("x", "false");
    k.put("q", "\"50000.00000000\"");
    k.put("V", "\"0.50000000\"");
    k.put("Q", "\"25000.00000000\"");
    k.put("B", "\"0\"");
    String inner = switch (r.nextInt(8)) {
      case 0 -> "\"not a kline\"";
      case 1 -> "null";
      case 2 -> render(without(k, pick(r, "o", "c", "h", "l", "v", "t", "i")));
      case 3 -> render(with(with(k, "h", "\"1.00000000\""), "l", "\"99999.00000000\""));  // high below low
      case 4 -> render(with(k, "T", Long.toString(t - 1)));                                 // closes before it opens
      case 5 -> render(with(k, "i", quoted(pick(r, "7m", "", "1M1", "60s"))));
      case 6 -> render(with(k, "x", pick(r, "\"yes\"", "1", "null")));
      default -> render(with(k, "t", Long.toString(t + 17)));                               // not on the minute
    };
    String event = "{\"e\":\"kline\",\"E\":" + (t + 1000) + ",\"s\":\"BTCUSDT\",\"k\":" + inner + "}";
    return r.nextInt(2) == 0 ? event : "{\"stream\":\"btcusdt@kline_1m\",\"data\":" + event + "}";
  }

  private static String deep(SplitMix64 r) {
    int depth = 1_000 + r.nextInt(4_000);
    boolean arrays = r.nextInt(2) == 0;
    String nest = arrays ? "[".repeat(depth) + "]".repeat(depth)
        : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    String t = render(trade(r));
    return r.nextInt(2) == 0 ? nest : t.substring(0, t.length() - 1) + ",\"x\":" + nest + "}";
  }

  /** A plausible aggTrade event, as raw JSON values in Binance's field order. */
  private static Map<String, String> trade(SplitMix64 r) {
    long a = id(r);
    long f = a * 2 + r.nextInt(1000);
    long time = BASE_TIME + r.nextInt(86_400_000);
    Map<String, String> t = new LinkedHashMap<>();
    t.put("e", "\"aggTrade\"");
    t.put("E", Long.toString(time + r.nextInt(50)));
    t.put("s", "\"BTCUSDT\"");
    t.put("a", Long.toString(a));
    t.put("p", quoted(price(r)));
    t.put("q", quoted("0." + String.format(Locale.ROOT, "%08d", 1 + r.nextInt(99_999_999))));
    t.put("f", Long.toString(f));
    t.put("l", Long.toString(f + r.nextInt(3)));
    t.put("T", Long.toString(time));
    t.put("m", r.nextInt(2) == 0 ? "true" : "false");
    t.put("M", "true");
    return t;
  }

  private static long id(SplitMix64 r) {
    return 1_000_000L + r.nextInt(9_000_000);
  }

  private static String price(SplitMix64 r) {
    return (40_000 + r.nextInt(20_000)) + "." + String.format(Locale.ROOT, "%02d", r.nextInt(100)) + "000000";
  }

  @SafeVarargs
  private static <T> T pick(SplitMix64 r, T... options) {
    return options[r.nextInt(options.length)];
  }
}
