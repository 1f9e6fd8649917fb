package io.candlebus.simulator;

import static io.candlebus.simulator.FrameText.quoted;
import static io.candlebus.simulator.FrameText.render;
import static io.candlebus.simulator.FrameText.with;
import static io.candlebus.simulator.FrameText.without;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Bad {@code <s>@depth@100ms} frames, for robustness tests of an order-book client. Each one is built around a
 * plausible diff that would continue the symbol's book ({@code U} = its update id + 1, prices next to its best
 * levels), so a client that accepted any of them would corrupt its book or see a hole in the update ids next:
 * not JSON, truncated, not an object, a wrong or missing event type, a field missing, {@code u} before {@code U},
 * ids of the wrong type or out of range, a side that is no array, a level that is no pair, decimals as numbers
 * or not plain decimals (exponents, NaN, commas, blanks), negative or zero values, a symbol not carried, trailing
 * garbage, a duplicate key whose last value is bad, and nesting deeper than any parser should follow.
 *
 * <p>Pure and deterministic: the same arguments give the same frames. Each block of {@link #kinds()} frames holds
 * every kind once, in a seeded order.
 */
public final class MalformedDepthFrames {
  private MalformedDepthFrames() {}

  /** Where the book stands: the diffs are built to continue it. */
  public record Book(String symbol, long updateId, long eventTime, BigDecimal bestBid, BigDecimal bestAsk) {}

  private record Kind(String name, Function<Gen, String> make) {}

  /** One frame's randomness and the book it pretends to continue. */
  private record Gen(SplitMix64 r, Book book) {
    Map<String, String> diff() {
      long first = book.updateId() + 1;
      Map<String, String> d = new LinkedHashMap<>();
      d.put("e", "\"depthUpdate\"");
      d.put("E", Long.toString(book.eventTime() + r.nextInt(100)));
      d.put("s", quoted(book.symbol()));
      d.put("U", Long.toString(first));
      d.put("u", Long.toString(first + r.nextInt(5)));
      d.put("b", "[[" + quoted(near(book.bestBid(), -1)) + "," + quoted(qty()) + "]]");
      d.put("a", "[[" + quoted(near(book.bestAsk(), 1)) + "," + quoted(qty()) + "]]");
      return d;
    }

    String near(BigDecimal best, int direction) {
      return best.add(BigDecimal.valueOf(direction * r.nextInt(50), 2)).setScale(8).toPlainString();
    }

    String qty() {
      return "0." + String.format(Locale.ROOT, "%08d", 1 + r.nextInt(99_999_999));
    }

    @SafeVarargs
    final <T> T pick(T... options) {
      return options[r.nextInt(options.length)];
    }
  }

  private static final List<Kind> KINDS = List.of(
      new Kind("not JSON", g -> g.pick("depthUpdate", "<html><body>502 Bad Gateway</body></html>",
          "{e:depthUpdate}", "{'e':'depthUpdate'}", "\u0001\u0002")),
      new Kind("truncated JSON", g -> {
        String full = render(g.diff());
        return full.substring(0, 1 + g.r().nextInt(full.length() - 1));
      }),
      new Kind("not an object", g -> g.pick("[]", "[" + render(g.diff()) + "]", "42", "null", "true",
          "\"depthUpdate\"", "")),
      new Kind("wrong event type", g -> render(with(g.diff(), "e",
          g.pick("\"depthUpdates\"", "\"DEPTHUPDATE\"", "\"aggTrade\"", "\"\"", "null", "1")))),
      new Kind("no event type", g -> render(without(g.diff(), "e"))),
      new Kind("a field missing", g -> render(without(g.diff(), g.pick("E", "s", "U", "u", "b", "a")))),
      new Kind("u before U", g -> {
        Map<String, String> d = g.diff();
        return render(with(d, "u", Long.toString(Long.parseLong(d.get("U")) - 1 - g.r().nextInt(3))));
      }),
      new Kind("id of the wrong type", g -> render(with(g.diff(), g.pick("U", "u", "E"),
          g.pick("\"" + (g.book().updateId() + 1) + "\"", (g.book().updateId() + 1) + ".5", "null", "true",
              "[1]")))),
      new Kind("id out of range", g -> render(with(g.diff(), g.pick("U", "u", "E"),
          g.pick("-1", "-" + g.book().updateId(), "9223372036854775808", "1" + "0".repeat(30), "1e400")))),
      new Kind("side not an array", g -> render(with(g.diff(), g.pick("b", "a"),
          g.pick("\"oops\"", "{}", "null", "42", "{\"p\":\"1.0\",\"q\":\"1.0\"}")))),
      new Kind("level not a pair", g -> render(with(g.diff(), g.pick("b", "a"), "[" + g.pick("[]",
          "[" + quoted(g.near(g.book().bestBid(), -1)) + "]", quoted("1.0,2.0"), "null",
          "{\"p\":\"1.0\",\"q\":\"2.0\"}") + "]"))),
      new Kind("decimal as number", g -> render(with(g.diff(), g.pick("b", "a"),
          "[[" + g.near(g.book().bestBid(), -1) + "," + quoted(g.qty()) + "]]"))),
      new Kind("not a plain decimal", g -> render(with(g.diff(), g.pick("b", "a"), "[[" + quoted(
          g.pick("NaN", "Infinity", "", " ", "1e400", "5E+4", "5e-3", "1,000.00", " 50000 ", "0x1F", "50000.1.2",
              "+1.0", ".5", "5.")) + "," + quoted(g.qty()) + "]]"))),
      new Kind("negative price or quantity", g -> render(with(g.diff(), g.pick("b", "a"), g.pick(
          "[[" + quoted("-" + g.near(g.book().bestBid(), -1)) + "," + quoted(g.qty()) + "]]",
          "[[" + quoted(g.near(g.book().bestBid(), -1)) + "," + quoted("-" + g.qty()) + "]]")))),
      new Kind("zero price", g -> render(with(g.diff(), g.pick("b", "a"),
          "[[\"0.00000000\"," + quoted(g.qty()) + "]]"))),
      new Kind("symbol not carried", g -> render(with(g.diff(), "s", quoted(g.pick("NOPEUSDT",
          g.book().symbol().toLowerCase(Locale.ROOT), g.book().symbol() + " ", "BTC\\u0000USDT"))))),
      new Kind("trailing garbage", g -> render(g.diff()) + g.pick(" x", "}", ",", render(g.diff()))),
      new Kind("duplicate key, last one bad", g -> {
        String d = render(g.diff());
        return d.substring(0, d.length() - 1) + "," + g.pick("\"u\":-1", "\"b\":\"oops\"", "\"e\":\"trade\"")
            + "}";
      }),
      new Kind("very deep nesting", g -> {
        int depth = 1_000 + g.r().nextInt(4_000);
        return render(with(g.diff(), g.pick("b", "a"), "[".repeat(depth) + "]".repeat(depth)));
      }));

  public static int kinds() {
    return KINDS.size();
  }

  /** The kind of the i-th frame of {@code generate(…, seed)}, for test messages. */
  public static String kindOf(int index, long seed) {
    return KINDS.get(order(index, seed)).name();
  }

  /**
   * {@code count} bad frames continuing {@code book}, each bare or, when {@code stream} is not null, inside a
   * combined-stream envelope of that stream.
   */
  public static List<String> generate(Book book, String stream, int count, long seed) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, not " + count);
    }
    SplitMix64 r = new SplitMix64(seed ^ 0xD3E7L);
    Gen g = new Gen(r, book);
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String frame = KINDS.get(order(i, seed)).make().apply(g);
      out.add(stream == null ? frame : "{\"stream\":" + quoted(stream) + ",\"data\":" + frame + "}");
    }
    return out;
  }

  private static int order(int i, long seed) {
    return FrameText.kindIndex(i, KINDS.size(), seed, 37);
  }
}
