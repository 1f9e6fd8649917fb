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
 * lower-case simulated symbol. Anything else is accepted on a connection but stays silent, as on Binance.
 *
 * @param symbol upper-case, as in payloads
 * @param interval null for aggTrade
 */
record StreamName(String stream, String symbol, Interval interval) {

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

  static String kline(String symbol, Interval interval) {
    return symbol.toLowerCase(Locale.ROOT) + "@kline_" + interval.code();
  }

  /** The streams asked for in a connection URL, or null when the path is not a stream endpoint. */
  static List<String> ofUrl(String path, String query) {
    if (path.equals("/ws") || path.equals("/ws/")) {
      return List.of();
    }
    if (path.startsWith("/ws/")) {
      return split(path.substring(4));
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

  private static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    Arrays.stream(s.split("/")).filter(x -> !x.isEmpty() && !out.contains(x)).forEach(out::add);
    return out;
  }
}
