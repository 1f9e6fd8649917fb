package io.candlebus.upstream;

import io.candlebus.domain.Interval;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Binance stream names for our symbols, and how they are spread over connections. */
public final class StreamNames {
  /** Binance's limit per connection. */
  public static final int MAX_STREAMS_PER_CONNECTION = 1024;
  /** Streams go in the URL; keep its request line well under common server limits (4 KB in Vert.x). */
  public static final int MAX_URL_STREAM_CHARS = 3_000;
  private static final String AGG_TRADE = "@aggTrade";
  private static final String KLINE = "@kline_";

  private StreamNames() {}

  public static String aggTrade(String symbol) {
    return symbol.toLowerCase(Locale.ROOT) + AGG_TRADE;
  }

  public static String kline(String symbol, Interval interval) {
    return symbol.toLowerCase(Locale.ROOT) + KLINE + interval.code();
  }

  /**
   * Whether the combined envelope's {@code stream} name fits its event: a trade or kline must come on its own
   * symbol's (lower-case) stream. Other events, and frames without envelope ({@code stream} null), pass.
   */
  static boolean carries(String stream, StreamEvent event) {
    return stream == null ? !(event instanceof StreamEvent.TradeEvent || event instanceof StreamEvent.KlineEvent)
        : carries(stream, 0, stream.length(), event);
  }

  /** The same for {@code s[from, to)}, without allocating: this runs for every frame. */
  static boolean carries(String s, int from, int to, StreamEvent event) {
    if (event instanceof StreamEvent.TradeEvent t) {
      int at = symbolPrefix(s, from, to, t.trade().symbol());
      return at >= 0 && to - at == AGG_TRADE.length() && s.startsWith(AGG_TRADE, at);
    }
    if (event instanceof StreamEvent.KlineEvent k) {
      int at = symbolPrefix(s, from, to, k.kline().symbol());
      String code = k.kline().interval().code();
      return at >= 0 && to - at == KLINE.length() + code.length() && s.startsWith(KLINE, at)
          && s.startsWith(code, at + KLINE.length());
    }
    return true;
  }

  /** Where {@code s[from, to)} continues after the lower-cased {@code symbol}, or -1 if it does not start so. */
  private static int symbolPrefix(String s, int from, int to, String symbol) {
    int n = symbol.length();
    if (to - from < n) {
      return -1;
    }
    for (int i = 0; i < n; i++) {
      char c = symbol.charAt(i);
      char lower = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c < 128 ? c : Character.toLowerCase(c);
      if (s.charAt(from + i) != lower) {
        return -1;
      }
    }
    return from + n;
  }

  /** All streams of one symbol: its aggTrades and a kline stream per interval (to check our candles). */
  public static List<String> forSymbol(String symbol, List<Interval> intervals) {
    List<String> out = new ArrayList<>();
    out.add(aggTrade(symbol));
    intervals.forEach(i -> out.add(kline(symbol, i)));
    return out;
  }

  /**
   * Groups symbols into connections: a symbol's streams stay on one connection (so a dropped connection means a
   * known set of symbols lost continuity), at most 1024 streams and about {@value #MAX_URL_STREAM_CHARS}
   * characters of stream names per connection.
   */
  public static List<List<String>> groupSymbols(List<String> symbols, List<Interval> intervals) {
    List<List<String>> groups = new ArrayList<>();
    List<String> current = new ArrayList<>();
    int streams = 0;
    int chars = 0;
    for (String symbol : symbols) {
      List<String> names = forSymbol(symbol, intervals);
      int len = names.stream().mapToInt(n -> n.length() + 1).sum();
      if (!current.isEmpty() && (streams + names.size() > MAX_STREAMS_PER_CONNECTION
          || chars + len > MAX_URL_STREAM_CHARS)) {
        groups.add(current);
        current = new ArrayList<>();
        streams = 0;
        chars = 0;
      }
      current.add(symbol);
      streams += names.size();
      chars += len;
    }
    if (!current.isEmpty()) {
      groups.add(current);
    }
    return groups;
  }
}
