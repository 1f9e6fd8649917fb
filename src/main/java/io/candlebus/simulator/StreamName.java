package io.candlebus.simulator;

import io.candlebus.domain.Interval;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A stream the simulator produces data for: {@code <symbol>@aggTrade} or {@code <symbol>@kline_<interval>} with a
 * lower-case simulated symbol ({@code <symbol>@trade} is the {@link StreamEngine}'s too, by name). The all-market ticker streams ({@link #MINI_TICKER_ARR} and the rolling windows of
 * {@link #ROLLING_TICKER_ARR}) have no symbol and are the {@link TickerEngine}'s; the depth streams are the
 * {@link DepthEngine}'s. Anything else is accepted on a connection but stays silent, as on Binance.
 *
 * @param symbol upper-case, as in payloads
 * @param interval null for aggTrade
 */
record StreamName(String stream, String symbol, Interval interval) {
  /** Binance's all-market 24 h mini ticker: changed symbols only, every second. */
  static final String MINI_TICKER_ARR = "!miniTicker@arr";
  /** The all-market rolling-window tickers, by their window code (1h, 4h, 1d). */
  static final List<String> ROLLING_TICKER_ARR = List.of("!ticker_1h@arr", "!ticker_4h@arr", "!ticker_1d@arr");

  static StreamName parse(String stream, Collection<String> symbols) {
    int at = stream.indexOf('@');
    if (at <= 0) {
      return null;
    }
    String lower = stream.substring(0, at);
    String symbol = lower.toUpperCase(Locale.ROOT);
    if (!lower.equals(lower.toLowerCase(Locale.ROOT)) || !symbols.contains(symbol)) {
      return null;
    }
    String kind = stream.substring(at + 1);
    if (kind.equals("aggTrade")) {
      return new StreamName(stream, symbol, null);
    }
    if (kind.startsWith("kline_")) {
      return Interval.fromCode(kind.substring(6)).map(i -> new StreamName(stream, symbol, i)).orElse(null);
    }
    return null;
  }

  static String aggTrade(String symbol) {
    return symbol.toLowerCase(Locale.ROOT) + "@aggTrade";
  }

  static String trade(String symbol) {
    return symbol.toLowerCase(Locale.ROOT) + "@trade";
  }

  static String kline(String symbol, Interval interval) {
    return symbol.toLowerCase(Locale.ROOT) + "@kline_" + interval.code();
  }

  /** The streams asked for in a connection URL, or null when the path is not a stream endpoint. */
  static List<String> ofUrl(String path, String query) {
    if (path.equals("/ws") || path.equals("/ws/")) {
      return List.of();
    }
    if (path.startsWith("/ws/")) {
      // the path comes raw: a client may send !miniTicker@arr as %21miniTicker%40arr ('+' stays '+' in a path)
      return split(percentDecode(path.substring(4)));
    }
    if (path.equals("/stream") || path.equals("/stream/")) {
      if (query != null) {
        for (String kv : query.split("&")) {
          if (kv.startsWith("streams=")) {
            return split(URLDecoder.decode(kv.substring(8), StandardCharsets.UTF_8));
          }
        }
      }
      return List.of();
    }
    return null;
  }

  /** %XX escapes decoded as UTF-8; anything that is no valid escape is kept as it is. */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int hi = c == '%' && i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
      int lo = hi < 0 ? -1 : Character.digit(s.charAt(i + 2), 16);
      if (lo >= 0) {
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        int cp = s.codePointAt(i);
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        i += Character.charCount(cp) - 1;
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    Arrays.stream(s.split("/")).filter(x -> !x.isEmpty() && !out.contains(x)).forEach(out::add);
    return out;
  }
}
