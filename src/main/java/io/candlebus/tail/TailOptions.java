package io.candlebus.tail;

import io.candlebus.domain.Interval;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code tail} command line, checked whole before anything connects: a wrong argument is one
 * {@link BadArgument} naming the flag. Flags that would be silently ignored (an interval for trades, a gateway URL
 * with {@code --binance}) are refused too, as the configuration refuses unknown keys.
 *
 * @param symbol upper-case, as in bus addresses and payloads
 * @param price one of o, h, l, c (candles only)
 * @param url the gateway's base URL (gateway mode)
 * @param wsUrl Binance's WebSocket base ({@code --binance} mode)
 */
public record TailOptions(String symbol, Interval interval, char price, Stream stream, TimeFormat time, URI url,
    String user, boolean binance, URI wsUrl) {

  public enum Stream { CANDLE, TRADE }

  public enum TimeFormat { MS, ISO, LOCAL }

  static final String DEFAULT_URL = "http://localhost:8080";
  static final String DEFAULT_WS_URL = "wss://stream.binance.com:9443";
  private static final Set<String> WITH_VALUE = Set.of("--symbol", "--interval", "--price", "--stream", "--time",
      "--url", "--user", "--ws-url");

  /** A bad command line; the message names the flag. */
  public static final class BadArgument extends RuntimeException {
    BadArgument(String message) {
      super(message);
    }
  }

  /** The event-bus address of the gateway this tail follows. */
  public String address() {
    return stream == Stream.TRADE ? "market.trade." + symbol : "market.candle." + symbol + "." + interval.code();
  }

  /** Binance's raw stream name for the same data: aggTrades, as the gateway's {@code market.trade} carries them. */
  public String binanceStream() {
    String lower = symbol.toLowerCase(Locale.ROOT);
    return stream == Stream.TRADE ? lower + "@aggTrade" : lower + "@kline_" + interval.code();
  }

  /** {@code env} gives the defaults of {@code --user} and {@code --ws-url}. */
  public static TailOptions parse(List<String> args, Map<String, String> env) {
    Map<String, String> given = new java.util.HashMap<>();
    Set<String> flags = new HashSet<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--binance")) {
        if (!flags.add(a)) {
          throw new BadArgument("--binance: given twice");
        }
      } else if (WITH_VALUE.contains(a)) {
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
          throw new BadArgument(a + ": needs a value");
        }
        if (given.put(a, args.get(++i)) != null) {
          throw new BadArgument(a + ": given twice");
        }
      } else if (a.startsWith("-")) {
        throw new BadArgument("unknown flag \"" + a + "\" (flags: --symbol, --interval, --price, --stream, --time, "
            + "--url, --user, --binance, --ws-url)");
      } else {
        throw new BadArgument("unexpected argument \"" + a + "\" (did you mean --symbol " + a + "?)");
      }
    }
    boolean binance = flags.contains("--binance");
    String symbol = given.get("--symbol");
    if (symbol == null) {
      throw new BadArgument("--symbol is required, e.g. --symbol btcusdt");
    }
    if (!symbol.matches("[A-Za-z0-9]{1,30}")) {
      throw new BadArgument("--symbol: \"" + symbol + "\" is not a symbol (letters and digits, e.g. btcusdt)");
    }
    Stream stream = oneOf("--stream", given.get("--stream"), "candle", Map.of("candle", Stream.CANDLE,
        "trade", Stream.TRADE), "candle, trade");
    if (stream == Stream.TRADE) {
      for (String f : List.of("--interval", "--price")) {
        if (given.containsKey(f)) {
          throw new BadArgument(f + ": only for --stream candle (trades have no " + f.substring(2) + ")");
        }
      }
    }
    String intervalCode = given.getOrDefault("--interval", "1m");
    Interval interval = Interval.fromCode(intervalCode).orElseThrow(() -> new BadArgument("--interval: \""
        + intervalCode + "\" is not one of " + Interval.all().stream().map(Interval::code)
        .collect(Collectors.joining(", "))));
    char price = oneOf("--price", given.get("--price"), "c", Map.of("o", 'o', "h", 'h', "l", 'l', "c", 'c'),
        "o, h, l, c");
    TimeFormat time = oneOf("--time", given.get("--time"), "iso", Map.of("ms", TimeFormat.MS, "iso",
        TimeFormat.ISO, "local", TimeFormat.LOCAL), "ms, iso, local");
    if (binance) {
      for (String f : List.of("--url", "--user")) {
        if (given.containsKey(f)) {
          throw new BadArgument(f + ": not used with --binance (it reads Binance directly)");
        }
      }
    } else if (given.containsKey("--ws-url")) {
      throw new BadArgument("--ws-url: only with --binance");
    }
    URI url = url("--url", given.getOrDefault("--url", DEFAULT_URL), Set.of("http", "https"));
    String wsDefault = env.getOrDefault("CANDLEBUS_BINANCE_WS_URL", "");
    URI wsUrl = url(given.containsKey("--ws-url") || wsDefault.isBlank() ? "--ws-url" : "CANDLEBUS_BINANCE_WS_URL",
        given.getOrDefault("--ws-url", wsDefault.isBlank() ? DEFAULT_WS_URL : wsDefault), Set.of("ws", "wss"));
    String envUser = env.getOrDefault("CANDLEBUS_USER", "");
    String user = given.getOrDefault("--user", envUser.isBlank() ? "admin" : envUser);
    if (user.isBlank()) {
      throw new BadArgument("--user: must not be empty");
    }
    return new TailOptions(symbol.toUpperCase(Locale.ROOT), interval, price, stream, time, url, user, binance,
        wsUrl);
  }

  private static <T> T oneOf(String flag, String value, String dflt, Map<String, T> choices, String names) {
    T v = choices.get(value == null ? dflt : value);
    if (v == null) {
      throw new BadArgument(flag + ": \"" + value + "\" is not one of " + names);
    }
    return v;
  }

  private static URI url(String flag, String value, Set<String> schemes) {
    String expected = String.join(" or ", schemes.stream().sorted().map(s -> s + "://").toList());
    try {
      URI u = new URI(value);
      if (u.getScheme() == null || !schemes.contains(u.getScheme().toLowerCase(Locale.ROOT))
          || u.getHost() == null || u.getRawQuery() != null || u.getRawFragment() != null) {
        throw new BadArgument(flag + ": \"" + value + "\" is not a " + expected + "host[:port] URL");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new BadArgument(flag + ": \"" + value + "\" is not a " + expected + "host[:port] URL");
    }
  }
}
