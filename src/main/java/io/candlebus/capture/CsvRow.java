package io.candlebus.capture;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One combined-stream frame to the cells of its CSV row, the exchange's values exactly as sent: each cell is the
 * JSON token's own text (Jackson's streaming parser; no number is ever parsed and printed again). A frame that is
 * not a well-formed event of a stream we asked for is {@link Malformed}: bad JSON, trailing text, duplicate keys,
 * no envelope, an unknown stream, a missing field or one of the wrong type, a decimal that is not plain, an id
 * beyond 64 bits, an {@code e}, {@code s} or interval that is not the stream's. Stateless and thread-safe.
 */
final class CsvRow {
  /** What a stream name carries: whose files its rows go to. */
  record Target(String symbol, CaptureStream stream) {}

  sealed interface Parsed permits Row, Shutdown, Reply, Malformed {}

  /** The row after its receiveTime: every cell with its leading comma. */
  record Row(Target target, String cells) implements Parsed {}

  /** Binance's {@code serverShutdown}: it closes the connection soon. */
  record Shutdown() implements Parsed {}

  /** The answer to a SUBSCRIBE we sent ({@code {"result":null,"id":n}}). */
  record Reply() implements Parsed {}

  record Malformed(String reason) implements Parsed {}

  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");
  private static final Parsed SHUTDOWN = new Shutdown();
  private static final Parsed REPLY = new Reply();

  /** A scalar as sent: its token and text; {@code wide} for an integer beyond 64 bits. */
  private record Value(JsonToken token, String text, boolean wide) {}

  /** Thrown inside the parse to reject the frame; no stack trace, it is an answer, not a bug. */
  private static final class Bad extends Exception {
    private static final long serialVersionUID = 1L;

    Bad(String reason) {
      super(reason, null, false, false);
    }
  }

  private CsvRow() {}

  static Parsed parse(String frame, Map<String, Target> targets) {
    try (JsonParser p = JSON.createParser(frame)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new Bad("not a JSON object");
      }
      String stream = null;
      Map<String, Value> data = null;
      boolean reply = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (name.equals("stream") && t == JsonToken.VALUE_STRING) {
          stream = p.getText();
        } else if (name.equals("data") && t == JsonToken.START_OBJECT) {
          data = event(p);
        } else if (name.equals("stream") || name.equals("data")) {
          throw new Bad(name + " is a " + t);
        } else {
          reply |= name.equals("id");
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new Bad("text after the JSON object");
      }
      if (stream == null && data == null && reply) {
        return REPLY;
      }
      if (stream == null || data == null) {
        throw new Bad(stream == null ? "no stream name" : "no data");
      }
      if (stream.equals("!serverShutdown")) {
        return SHUTDOWN;
      }
      Target target = targets.get(stream);
      if (target == null) {
        throw new Bad("not a stream we asked for: " + stream);
      }
      return new Row(target, cells(target, data));
    } catch (Bad e) {
      return new Malformed(e.getMessage());
    } catch (IOException | RuntimeException e) { // Jackson's parse errors and its nesting/size limits
      return new Malformed("bad JSON");
    }
  }

  /** The data object's scalars by path ({@code k.t} for k's), its book sides rendered ({@link #side}). */
  private static Map<String, Value> event(JsonParser p) throws IOException, Bad {
    Map<String, Value> out = new HashMap<>();
    scalars(p, "", out);
    return out;
  }

  private static void scalars(JsonParser p, String prefix, Map<String, Value> out) throws IOException, Bad {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = prefix + p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_OBJECT && name.equals("k")) {
        scalars(p, "k.", out);
      } else if (t == JsonToken.START_ARRAY && (name.equals("bids") || name.equals("asks"))) {
        out.put(name, new Value(t, side(p, name), false));
      } else if (t.isScalarValue()) {
        boolean wide = t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.BIG_INTEGER;
        out.put(name, new Value(t, p.getText(), wide));
      } else {
        p.skipChildren();
        out.put(name, new Value(t, null, false));
      }
    }
  }

  /** {@code [["p","q"],...]} as {@code p:q;p:q}; the parser ends on the array's end. */
  private static String side(JsonParser p, String name) throws IOException, Bad {
    StringBuilder b = new StringBuilder();
    while (p.nextToken() == JsonToken.START_ARRAY) {
      String price = level(p, name);
      String qty = level(p, name);
      if (p.nextToken() != JsonToken.END_ARRAY) {
        throw new Bad(name + ": a level is not [price, qty]");
      }
      b.append(b.length() == 0 ? "" : ";").append(price).append(':').append(qty);
    }
    if (p.currentToken() != JsonToken.END_ARRAY) {
      throw new Bad(name + ": a level is not [price, qty]");
    }
    return b.toString();
  }

  private static String level(JsonParser p, String name) throws IOException, Bad {
    if (p.nextToken() != JsonToken.VALUE_STRING || !DECIMAL.matcher(p.getText()).matches()) {
      throw new Bad(name + ": a level is not [price, qty] of decimal strings");
    }
    return p.getText();
  }

  private static String cells(Target target, Map<String, Value> data) throws Bad {
    CaptureStream s = target.stream();
    if (s.kind().event != null) {
      Value e = data.get("e");
      if (e == null || !s.kind().event.equals(e.text())) {
        throw new Bad("e is not " + s.kind().event);
      }
    }
    StringBuilder b = new StringBuilder(160);
    for (CaptureStream.Field f : s.fields()) {
      Value v = data.get(f.path());
      if (v == null && !f.required()) {
        b.append(',');
        continue;
      }
      check(f, v);
      b.append(',');
      escape(b, v.text());
    }
    if (s.kind() == CaptureStream.Kind.DEPTH) {
      for (String side : new String[] {"bids", "asks"}) {
        Value v = data.get(side);
        if (v == null || v.token() != JsonToken.START_ARRAY) {
          throw new Bad("no " + side + " array");
        }
        b.append(',').append(v.text());
      }
    } else if (!target.symbol().equals(data.get("s").text())) {
      throw new Bad("s is not " + target.symbol());
    }
    if (s.kind() == CaptureStream.Kind.KLINE && !s.interval().code().equals(data.get("k.i").text())) {
      throw new Bad("k.i is not " + s.interval().code());
    }
    return b.toString();
  }

  private static void check(CaptureStream.Field f, Value v) throws Bad {
    boolean ok = v != null && switch (f.type()) {
      case INT -> v.token() == JsonToken.VALUE_NUMBER_INT && !v.wide();
      case DECIMAL -> v.token() == JsonToken.VALUE_STRING && DECIMAL.matcher(v.text()).matches();
      case TEXT -> v.token() == JsonToken.VALUE_STRING;
      case BOOL -> v.token() == JsonToken.VALUE_TRUE || v.token() == JsonToken.VALUE_FALSE;
    };
    if (!ok) {
      throw new Bad(f.path() + (v == null ? " missing" : " is not " + f.type().name().toLowerCase(Locale.ROOT)));
    }
  }

  /** RFC 4180: a cell with a comma, quote or line break goes in quotes, its quotes doubled. */
  static void escape(StringBuilder b, String cell) {
    if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
      b.append(cell);
    } else {
      b.append('"').append(cell.replace("\"", "\"\"")).append('"');
    }
  }
}
