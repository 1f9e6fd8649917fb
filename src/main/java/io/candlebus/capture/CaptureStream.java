package io.candlebus.capture;

import io.candlebus.domain.Interval;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One stream type {@code capture} records, as named on its command line ({@code trade}, {@code aggTrade},
 * {@code kline_1m}, {@code depth5}), with its Binance stream suffix and its CSV columns.
 *
 * @param name the command-line name, also the directory of its files
 * @param suffix what follows {@code <symbol>@} in Binance's stream name
 * @param interval the kline interval; null for the other kinds
 */
public record CaptureStream(Kind kind, String name, String suffix, Interval interval) {
  /** The value types {@link CsvRow} checks a field against. */
  enum Type { INT, DECIMAL, TEXT, BOOL }

  /** One column: {@code path} in the event ({@code k.t} is field t of k), {@code column} in the header. */
  record Field(String column, String path, Type type, boolean required) {
    static Field of(String path, Type type) {
      return new Field(path.substring(path.indexOf('.') + 1), path, type, true);
    }
  }

  public enum Kind {
    TRADE("trade"),
    AGG_TRADE("aggTrade"),
    KLINE("kline"),
    DEPTH(null);

    /** The event's {@code e}; null for the partial book, which has none. */
    final String event;

    Kind(String event) {
      this.event = event;
    }
  }

  static final String EXPECTED = "trade, aggTrade, kline_<interval>, depth5|10|20";
  private static final List<Field> TRADE = List.of(Field.of("E", Type.INT), Field.of("s", Type.TEXT),
      Field.of("t", Type.INT), Field.of("p", Type.DECIMAL), Field.of("q", Type.DECIMAL), Field.of("T", Type.INT),
      Field.of("m", Type.BOOL), new Field("b", "b", Type.INT, false), new Field("a", "a", Type.INT, false));
  private static final List<Field> AGG_TRADE = List.of(Field.of("E", Type.INT), Field.of("s", Type.TEXT),
      Field.of("a", Type.INT), Field.of("p", Type.DECIMAL), Field.of("q", Type.DECIMAL), Field.of("f", Type.INT),
      Field.of("l", Type.INT), Field.of("T", Type.INT), Field.of("m", Type.BOOL));
  private static final List<Field> KLINE = klineFields();
  /** The book's sides are cells of their own ({@code price:qty;...}), rendered by {@link CsvRow}. */
  private static final List<Field> DEPTH = List.of(Field.of("lastUpdateId", Type.INT));

  /** E and s of the event, then k's fields in Binance's order, typed by letter. */
  private static List<Field> klineFields() {
    List<Field> f = new ArrayList<>(List.of(Field.of("E", Type.INT), Field.of("s", Type.TEXT)));
    for (String p : "t,T,i,f,L,o,c,h,l,v,n,x,q,V,Q".split(",")) {
      Type type = p.equals("i") ? Type.TEXT : p.equals("x") ? Type.BOOL : "tTfLn".contains(p) ? Type.INT
          : Type.DECIMAL;
      f.add(Field.of("k." + p, type));
    }
    return List.copyOf(f);
  }

  /** The stream type for a command-line name, or empty; names are case-sensitive, as Binance's are. */
  public static Optional<CaptureStream> parse(String name) {
    switch (name) {
      case "trade":
        return Optional.of(new CaptureStream(Kind.TRADE, name, "trade", null));
      case "aggTrade":
        return Optional.of(new CaptureStream(Kind.AGG_TRADE, name, "aggTrade", null));
      case "depth5", "depth10", "depth20":
        return Optional.of(new CaptureStream(Kind.DEPTH, name, name + "@100ms", null));
      default:
        if (name.startsWith("kline_")) {
          return Interval.fromCode(name.substring(6)).map(i -> new CaptureStream(Kind.KLINE, name, name, i));
        }
        return Optional.empty();
    }
  }

  /** Binance's stream name for {@code symbol}: lower-case symbol, e.g. {@code btcusdt@depth5@100ms}. */
  public String binanceName(String symbol) {
    return symbol.toLowerCase(Locale.ROOT) + "@" + suffix;
  }

  List<Field> fields() {
    return switch (kind) {
      case TRADE -> TRADE;
      case AGG_TRADE -> AGG_TRADE;
      case KLINE -> KLINE;
      case DEPTH -> DEPTH;
    };
  }

  /** The header line, without its newline. */
  public String header() {
    StringBuilder h = new StringBuilder("receiveTime");
    fields().forEach(f -> h.append(',').append(f.column()));
    return (kind == Kind.DEPTH ? h.append(",bids,asks") : h).toString();
  }
}
