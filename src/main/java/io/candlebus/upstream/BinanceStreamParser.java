package io.candlebus.upstream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.candlebus.domain.Trade;
import io.candlebus.upstream.StreamEvent.ControlReply;
import io.candlebus.upstream.StreamEvent.Ignored;
import io.candlebus.upstream.StreamEvent.KlineEvent;
import io.candlebus.upstream.StreamEvent.Malformed;
import io.candlebus.upstream.StreamEvent.ShutdownEvent;
import io.candlebus.upstream.StreamEvent.TradeEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Set;

/**
 * Parses Binance stream frames, raw or in the combined {@code {"stream":..,"data":..}} envelope. aggTrade and
 * kline frames in Binance's own shape take the {@link FastFrameScanner}; everything else goes through Jackson's
 * streaming parser, which also classifies bad frames. Pure: no Vert.x. Never throws: bad frames come back as
 * {@link Malformed} with a counter label.
 */
public final class BinanceStreamParser {
  /** Longer frames are refused unread; our streams send a few hundred bytes. */
  public static final int MAX_FRAME_CHARS = 64 * 1024;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Duplicate keys are refused: which of two prices would be the right one? */
  private static final JsonFactory JSON = MAPPER.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** Parses one text frame. */
  public StreamEvent parse(String frame) {
    return parse(frame, true);
  }

  /** Without the fast path, to check that both paths agree. */
  StreamEvent parseGeneral(String frame) {
    return parse(frame, false);
  }

  private StreamEvent parse(String frame, boolean fastPath) {
    if (frame.length() > MAX_FRAME_CHARS) {
      return new Malformed("too_large", frame.length() + " chars");
    }
    StreamEvent fast = fastPath ? FastFrameScanner.scan(frame) : null;
    if (fast != null) {
      return Plausibility.check(fast);
    }
    try (JsonParser p = JSON.createParser(frame)) {
      return Plausibility.check(parse(p));
    } catch (JsonParseException e) {
      return new Malformed("invalid_json", e.getOriginalMessage());
    } catch (BadField e) {
      return new Malformed(e.kind, e.getMessage());
    } catch (IOException | RuntimeException e) {
      return new Malformed("invalid_json", String.valueOf(e.getMessage()));
    }
  }

  private StreamEvent parse(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      // `!miniTicker@arr` frames are arrays; we do not subscribe to them
      return new Malformed("not_an_object", "frame is not a JSON object");
    }
    StreamEvent event;
    if (p.nextToken() != JsonToken.FIELD_NAME) {
      return new Malformed("unknown_event", "empty object");
    }
    String first = p.currentName();
    if ("stream".equals(first)) {
      String stream = p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : null;
      p.skipChildren();
      if (p.nextToken() != JsonToken.FIELD_NAME || !"data".equals(p.currentName())
          || p.nextToken() != JsonToken.START_OBJECT) {
        return new Malformed("missing_field", "combined frame without data object");
      }
      p.nextToken();
      event = readEvent(p);
      if (p.nextToken() != JsonToken.END_OBJECT) {
        return new Malformed("invalid_json", "unexpected field after data");
      }
      if (!StreamNames.carries(stream, event)) {
        return new Malformed("stream_mismatch", "stream " + stream + " does not carry this event");
      }
    } else if ("result".equals(first) || "id".equals(first) || "code".equals(first) || "msg".equals(first)) {
      event = readReply(p);
    } else {
      event = readEvent(p);
    }
    if (p.nextToken() != null) {
      return new Malformed("invalid_json", "trailing content after the frame");
    }
    return event;
  }

  /**
   * Reads an event object whose first field name is the current token. Binance puts {@code "e"} first; field
   * letters mean different things per event type (aggTrade {@code a} is an id, depth {@code a} the asks), so
   * the type decides how the rest is read. Objects without a leading {@code e} are read as a tree first.
   */
  private static StreamEvent readEvent(JsonParser p) throws IOException {
    if (!"e".equals(p.currentName())) {
      return readUnordered(p);
    }
    String type = text(p, p.nextToken(), "e");
    return switch (type) {
      case "aggTrade", "kline", "serverShutdown" -> readTyped(p, type);
      case "trade", "depthUpdate", "24hrMiniTicker", "24hrTicker" -> skipRest(p, type);
      default -> {
        skipRest(p, type);
        yield new Malformed("unknown_event", "event type " + type);
      }
    };
  }

  private static StreamEvent skipRest(JsonParser p, String type) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      p.nextToken();
      p.skipChildren();
    }
    return new Ignored(type);
  }

  private static StreamEvent readUnordered(JsonParser p) throws IOException {
    ObjectNode node = MAPPER.createObjectNode();
    do {
      String name = p.currentName();
      p.nextToken();
      node.set(name, MAPPER.readTree(p));
    } while (p.nextToken() == JsonToken.FIELD_NAME);
    JsonNode e = node.get("e");
    if (e == null) {
      boolean bookTicker = node.has("u") && node.has("s") && node.has("b") && node.has("a");
      return bookTicker ? new Ignored("bookTicker") : new Malformed("unknown_event", "no event type");
    }
    if (!e.isTextual()) {
      return new Malformed("wrong_type", "e is not a string");
    }
    node.remove("e");
    if (!Set.of("aggTrade", "kline", "serverShutdown").contains(e.asText())) {
      return new Ignored(e.asText());
    }
    try (JsonParser tree = MAPPER.treeAsTokens(node)) {
      tree.nextToken();
      return readTyped(tree, e.asText());
    }
  }

  /** Reads the remaining fields of an aggTrade, kline or serverShutdown object up to its end. */
  private static StreamEvent readTyped(JsonParser p, String type) throws IOException {
    Fields f = new Fields();
    f.event = type;
    boolean trade = "aggTrade".equals(type);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if ("E".equals(name)) {
        f.eventTime = number(p, t, name);
      } else if ("s".equals(name)) {
        f.symbol = text(p, t, name);
      } else if ("k".equals(name) && !trade) {
        if (t != JsonToken.START_OBJECT) {
          throw new BadField("wrong_type", "k is not an object");
        }
        f.kline = readKline(p);
      } else if (trade) {
        readTradeField(p, name, t, f);
      } else {
        p.skipChildren();
      }
    }
    return toEvent(f);
  }

  private static StreamEvent readReply(JsonParser p) throws IOException {
    Fields f = new Fields();
    do {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "id" -> f.id = t == JsonToken.VALUE_NULL ? null : p.getText();
        case "code" -> f.errorCode = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : null;
        case "msg" -> f.msg = p.getText();
        default -> p.skipChildren();
      }
    } while (p.nextToken() == JsonToken.FIELD_NAME);
    return new ControlReply(f.id, f.errorCode, f.msg);
  }

  private static void readTradeField(JsonParser p, String name, JsonToken t, Fields f) throws IOException {
    switch (name) {
      case "a" -> f.aggId = number(p, t, name);
      case "p" -> f.price = decimal(p, t, name);
      case "q" -> f.qty = decimal(p, t, name);
      case "f" -> f.first = number(p, t, name);
      case "l" -> f.last = number(p, t, name);
      case "T" -> f.tradeTime = number(p, t, name);
      case "m" -> f.buyerMaker = bool(p, t, name);
      default -> p.skipChildren();
    }
  }

  private static KlineFields readKline(JsonParser p) throws IOException {
    KlineFields k = new KlineFields();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "t" -> k.open = number(p, t, "k.t");
        case "T" -> k.close = number(p, t, "k.T");
        case "s" -> k.symbol = text(p, t, "k.s");
        case "i" -> k.interval = text(p, t, "k.i");
        case "f" -> k.first = number(p, t, "k.f");
        case "L" -> k.last = number(p, t, "k.L");
        case "o" -> k.o = decimal(p, t, "k.o");
        case "c" -> k.c = decimal(p, t, "k.c");
        case "h" -> k.h = decimal(p, t, "k.h");
        case "l" -> k.l = decimal(p, t, "k.l");
        case "v" -> k.v = decimal(p, t, "k.v");
        case "n" -> k.n = number(p, t, "k.n");
        case "x" -> k.x = bool(p, t, "k.x");
        case "q" -> k.q = decimal(p, t, "k.q");
        case "V" -> k.takerV = decimal(p, t, "k.V");
        case "Q" -> k.takerQ = decimal(p, t, "k.Q");
        default -> p.skipChildren();
      }
    }
    return k;
  }

  private static StreamEvent toEvent(Fields f) {
    return switch (f.event) {
      case "aggTrade" -> trade(f);
      case "kline" -> kline(f);
      default -> new ShutdownEvent(f.eventTime == null ? 0 : f.eventTime);
    };
  }

  private static StreamEvent trade(Fields f) {
    if (f.symbol == null || f.aggId == null || f.price == null || f.qty == null || f.first == null
        || f.last == null || f.tradeTime == null || f.buyerMaker == null) {
      return new Malformed("missing_field", "aggTrade without one of s,a,p,q,f,l,T,m");
    }
    long eventTime = f.eventTime == null ? f.tradeTime : f.eventTime;
    return new TradeEvent(new Trade(f.symbol, f.aggId, f.price, f.qty, f.first, f.last, f.tradeTime,
        f.buyerMaker, eventTime));
  }

  private static StreamEvent kline(Fields f) {
    KlineFields k = f.kline;
    if (k == null || k.open == null || k.close == null || k.interval == null || k.o == null || k.c == null
        || k.h == null || k.l == null || k.v == null || k.n == null || k.x == null || k.q == null
        || k.takerV == null || k.takerQ == null) {
      return new Malformed("missing_field", "kline without one of its fields");
    }
    String symbol = k.symbol != null ? k.symbol : f.symbol;
    Interval interval = Interval.fromCode(k.interval).orElse(null);
    if (symbol == null || interval == null) {
      return new Malformed("wrong_value", "kline symbol or interval " + k.interval);
    }
    if (interval.openTime(k.open) != k.open || interval.closeTime(k.open) != k.close) {
      return new Malformed("wrong_value", "kline window " + k.open + ".." + k.close + " is not a " + interval);
    }
    long first = k.first == null ? Candle.NO_ID : k.first;
    long last = k.last == null ? Candle.NO_ID : k.last;
    Candle c = new Candle(symbol, interval, k.open, k.close, k.o, k.h, k.l, k.c, k.v, k.q, k.takerV, k.takerQ,
        k.n, first, last, k.x);
    return new KlineEvent(c, f.eventTime == null ? k.close : f.eventTime);
  }

  private static String text(JsonParser p, JsonToken t, String field) throws IOException {
    if (t != JsonToken.VALUE_STRING) {
      throw new BadField("wrong_type", field + " is not a string");
    }
    return p.getText();
  }

  private static Long number(JsonParser p, JsonToken t, String field) throws IOException {
    if (t != JsonToken.VALUE_NUMBER_INT) {
      throw new BadField("wrong_type", field + " is not an integer");
    }
    if (p.getNumberType() != JsonParser.NumberType.INT && p.getNumberType() != JsonParser.NumberType.LONG) {
      throw new BadField("wrong_value", field + " is out of range");
    }
    return p.getLongValue();
  }

  private static Boolean bool(JsonParser p, JsonToken t, String field) throws IOException {
    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
      throw new BadField("wrong_type", field + " is not a boolean");
    }
    return t == JsonToken.VALUE_TRUE;
  }

  /** Binance sends decimals as strings; anything else, or a string that is not a plain decimal, is refused. */
  private static BigDecimal decimal(JsonParser p, JsonToken t, String field) throws IOException {
    if (t != JsonToken.VALUE_STRING) {
      throw new BadField("wrong_type", field + " is not a decimal string");
    }
    char[] chars = p.getTextCharacters();
    int off = p.getTextOffset();
    int len = p.getTextLength();
    if (len == 0 || len > 64) {
      throw new BadField("wrong_value", field + " has " + len + " characters");
    }
    for (int i = off; i < off + len; i++) {
      char c = chars[i];
      if ((c < '0' || c > '9') && c != '.' && !(c == '-' && i == off)) {
        throw new BadField("wrong_value", field + " is not a plain decimal");
      }
    }
    try {
      return new BigDecimal(chars, off, len);
    } catch (NumberFormatException e) {
      throw new BadField("wrong_value", field + " is not a decimal");
    }
  }

  private static final class Fields {
    String event;
    Long eventTime;
    String symbol;
    Long aggId;
    BigDecimal price;
    BigDecimal qty;
    Long first;
    Long last;
    Long tradeTime;
    Boolean buyerMaker;
    KlineFields kline;
    String id;
    Integer errorCode;
    String msg;
  }

  private static final class KlineFields {
    Long open;
    Long close;
    String symbol;
    String interval;
    Long first;
    Long last;
    BigDecimal o;
    BigDecimal c;
    BigDecimal h;
    BigDecimal l;
    BigDecimal v;
    Long n;
    Boolean x;
    BigDecimal q;
    BigDecimal takerV;
    BigDecimal takerQ;
  }

  /** A field of the wrong type or value; carries the counter label. Cheap: no stack trace. */
  private static final class BadField extends RuntimeException {
    final String kind;

    BadField(String kind, String message) {
      super(message, null, false, false);
      this.kind = kind;
    }
  }
}
