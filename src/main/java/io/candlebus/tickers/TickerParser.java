package io.candlebus.tickers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.candlebus.domain.Decimals;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Binance's all-market ticker frames ({@code !miniTicker@arr}, {@code !ticker_<w>@arr}, raw or wrapped by the
 * combined stream) and {@code /api/v3/ticker/24hr} answers into exact {@link Ticker}s, with Jackson's streaming
 * parser: a frame of 1 500 markets arrives every second. An item that is bad on its own is skipped and named in
 * {@link Parsed#skipped()}, the others are kept; a frame that is no ticker array at all is a {@link MalformedTicker}.
 */
public final class TickerParser {
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  static final int MAX_SYMBOL_LENGTH = 40;

  private TickerParser() {}

  /** What one frame or answer held: the usable tickers and a kind for each item skipped. */
  public record Parsed(List<Ticker> tickers, List<String> skipped) {}

  /** A frame that is no ticker array (a subscription reply, a shutdown notice, or garbage). */
  public static final class MalformedTicker extends IllegalArgumentException {
    private final String kind;

    MalformedTicker(String kind, String message) {
      super(message);
      this.kind = kind;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // control frames arrive on the same connection: no stack trace for them
    }

    /** A short fixed label for a counter, never the frame's content. */
    public String kind() {
      return kind;
    }
  }

  /** One stream frame: {@code [item...]} or {@code {"stream":"!miniTicker@arr","data":[item...]}}. */
  public static Parsed streamFrame(String text) {
    try (JsonParser p = JSON.createParser(text)) {
      JsonToken t = p.nextToken();
      Parsed out;
      if (t == JsonToken.START_ARRAY) {
        out = items(p, false);
      } else if (t == JsonToken.START_OBJECT) {
        out = null;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          t = p.nextToken();
          if (name.equals("data") && t == JsonToken.START_ARRAY) {
            out = items(p, false);
          } else if (name.equals("stream") && t == JsonToken.VALUE_STRING) {
            if (TickerWindow.fromStream(p.getText()) == null) {
              throw new MalformedTicker("not_ticker", "stream " + p.getText() + " is no ticker stream");
            }
          } else {
            p.skipChildren();
          }
        }
        if (out == null) {
          throw new MalformedTicker("not_ticker", "no ticker array in the frame");
        }
      } else {
        throw new MalformedTicker("not_ticker", "neither an array nor an object");
      }
      if (p.nextToken() != null) {
        throw new MalformedTicker("bad_json", "trailing tokens");
      }
      return out;
    } catch (IOException e) {
      throw new MalformedTicker("bad_json", "not JSON: " + e.getMessage());
    }
  }

  /** A {@code /api/v3/ticker/24hr} answer (FULL or MINI): one object, or an array of them. */
  public static Parsed rest24hr(String body) {
    try (JsonParser p = JSON.createParser(body)) {
      JsonToken t = p.nextToken();
      Parsed out;
      if (t == JsonToken.START_ARRAY) {
        out = items(p, true);
      } else if (t == JsonToken.START_OBJECT) {
        List<Ticker> one = new ArrayList<>(1);
        List<String> skipped = new ArrayList<>(0);
        item(p, true, one, skipped);
        out = new Parsed(one, skipped);
      } else {
        throw new MalformedTicker("bad_json", "neither an array nor an object");
      }
      if (p.nextToken() != null) {
        throw new MalformedTicker("bad_json", "trailing tokens");
      }
      return out;
    } catch (IOException e) {
      throw new MalformedTicker("bad_json", "not JSON: " + e.getMessage());
    }
  }

  private static Parsed items(JsonParser p, boolean rest) throws IOException {
    List<Ticker> out = new ArrayList<>();
    List<String> skipped = new ArrayList<>(0);
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw new MalformedTicker("bad_json", "the array does not end");
      }
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        skipped.add("not_an_object");
        continue;
      }
      item(p, rest, out, skipped);
    }
    return new Parsed(out, skipped);
  }

  /** Reads one object (positioned on its START_OBJECT) to its end; adds a ticker or the kind it was skipped for. */
  private static void item(JsonParser p, boolean rest, List<Ticker> out, List<String> skipped) throws IOException {
    String e = rest ? TickerWindow.H24.eventType() : null;
    long time = -1;
    String symbol = null;
    String c = null;
    String o = null;
    String h = null;
    String l = null;
    String v = null;
    String q = null;
    String bad = null;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      t = p.nextToken();
      String text = t == JsonToken.VALUE_STRING ? p.getText() : null;
      switch (rest ? restField(name) : name) {
        case "e" -> e = text;
        case "E" -> {
          if (t == JsonToken.VALUE_NUMBER_INT) {
            time = p.getLongValue();
          } else {
            bad = "bad_time";
          }
        }
        case "s" -> symbol = text;
        case "c" -> c = text;
        case "o" -> o = text;
        case "h" -> h = text;
        case "l" -> l = text;
        case "v" -> v = text;
        case "q" -> q = text;
        default -> p.skipChildren();
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new MalformedTicker("bad_json", "an item does not end");
    }
    TickerWindow window = e == null ? null : TickerWindow.fromEventType(e);
    if (bad == null && window == null) {
      bad = "bad_event_type";
    }
    if (bad == null && time <= 0) {
      bad = "bad_time";
    }
    if (bad == null && (symbol == null || symbol.isEmpty() || symbol.length() > MAX_SYMBOL_LENGTH)) {
      bad = "bad_symbol";
    }
    if (bad == null && !(ok(c) && ok(o) && ok(h) && ok(l) && ok(v) && ok(q))) {
      bad = "bad_decimal";
    }
    if (bad != null) {
      skipped.add(bad);
      return;
    }
    out.add(new Ticker(symbol, window, time, new BigDecimal(c), new BigDecimal(o), new BigDecimal(h),
        new BigDecimal(l), new BigDecimal(v), new BigDecimal(q), rest ? Ticker.Source.REST : Ticker.Source.STREAM));
  }

  /** The REST field names mapped onto the stream's one-letter ones. */
  private static String restField(String name) {
    return switch (name) {
      case "closeTime" -> "E";
      case "symbol" -> "s";
      case "lastPrice" -> "c";
      case "openPrice" -> "o";
      case "highPrice" -> "h";
      case "lowPrice" -> "l";
      case "volume" -> "v";
      case "quoteVolume" -> "q";
      default -> "";
    };
  }

  private static boolean ok(String decimal) {
    return decimal != null && Decimals.isPlain(decimal) && decimal.charAt(0) != '-';
  }
}
