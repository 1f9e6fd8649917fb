package io.candlebus.capture;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code capture} command line, checked as a whole before anything starts.
 *
 * @param symbols upper-case, in the order given, without repeats
 * @param streams in the order given, without repeats
 * @param minutes how long to run; 0 = until stopped
 * @param rotateMillis the length of a file's slice; slices are UTC multiples of it
 * @param wsUrl the WebSocket base: {@code --ws-url}, else {@code CANDLEBUS_BINANCE_WS_URL}, else Binance
 * @param url a running candlebus to capture from ({@code --url}), over its bridge; null: Binance directly
 * @param user who logs in there: {@code --user}, else {@code CANDLEBUS_USER}, else {@code admin}
 */
public record CaptureOptions(List<String> symbols, List<CaptureStream> streams, Path out, double minutes,
    long rotateMillis, URI wsUrl, URI url, String user) {
  public static final String DEFAULT_WS_URL = "wss://stream.binance.com:9443";
  public static final String WS_URL_ENV = "CANDLEBUS_BINANCE_WS_URL";
  static final List<String> FLAGS = List.of("--symbols", "--streams", "--out", "--minutes", "--rotate", "--ws-url",
      "--url", "--user");
  private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,5})([smhd])");
  private static final Pattern SYMBOL = Pattern.compile("[\\p{L}\\p{N}]{1,40}");

  /** A bad command line; the message names the flag (or variable) and says what is wrong, on one line. */
  public static final class BadArgument extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadArgument(String flag, String what) {
      super(flag + ": " + what, null, false, false);
    }
  }

  /** The options of {@code args} (after the word {@code capture}), {@code env} for the URL's fallback. */
  public static CaptureOptions parse(String[] args, Map<String, String> env) {
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      int eq = arg.indexOf('=');
      String flag = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
      if (!FLAGS.contains(flag)) {
        throw new BadArgument(arg.startsWith("-") ? flag : quoted(arg), "not an option of capture ("
            + String.join(", ", FLAGS) + ")");
      }
      String value = eq > 0 && arg.startsWith("--") ? arg.substring(eq + 1) : i + 1 < args.length ? args[++i] : null;
      if (value == null || value.isBlank() || (eq < 0 && FLAGS.contains(value))) {
        throw new BadArgument(flag, "needs a value");
      }
      if (given.put(flag, value) != null) {
        throw new BadArgument(flag, "given twice");
      }
    }
    List<String> symbols = symbols(required(given, "--symbols", "e.g. --symbols BTCUSDT,ETHUSDT"));
    List<CaptureStream> streams = streams(required(given, "--streams", "e.g. --streams trade,kline_1m"));
    Path out = out(required(given, "--out", "the directory to write to, e.g. --out capture"));
    double minutes = given.containsKey("--minutes") ? minutes(given.get("--minutes")) : 0;
    long rotate = given.containsKey("--rotate") ? duration("--rotate", given.get("--rotate")) : 3_600_000L;
    String url = given.get("--ws-url");
    URI ws = url != null ? wsUrl("--ws-url", url)
        : env.get(WS_URL_ENV) != null && !env.get(WS_URL_ENV).isBlank() ? wsUrl(WS_URL_ENV, env.get(WS_URL_ENV))
        : URI.create(DEFAULT_WS_URL);
    URI gateway = given.containsKey("--url") ? gatewayUrl(given.get("--url")) : null;
    if (gateway == null && given.containsKey("--user")) {
      throw new BadArgument("--user", "only with --url (Binance needs no login)");
    }
    if (gateway != null && url != null) {
      throw new BadArgument("--ws-url", "not with --url: capture reads either a candlebus or Binance");
    }
    if (gateway != null && streams.stream().anyMatch(s -> s.kind() == CaptureStream.Kind.TRADE)) {
      throw new BadArgument("--streams", "\"trade\" is not relayed by a candlebus (its market.trade.<S> carries "
          + "aggTrades): use aggTrade with --url");
    }
    String user = given.getOrDefault("--user", env.getOrDefault("CANDLEBUS_USER", "admin"));
    return new CaptureOptions(symbols, streams, out, minutes, rotate, ws, gateway, user);
  }

  /** Where the records come from, for the messages. */
  public String source() {
    return url != null ? url.toString() : wsUrl.toString();
  }

  private static URI gatewayUrl(String v) {
    try {
      URI u = new URI(v);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null && u.getRawQuery() == null) {
        return u;
      }
    } catch (URISyntaxException e) {
      // said below
    }
    throw new BadArgument("--url", quoted(v) + " is not an http:// or https:// URL (e.g. http://localhost:8080)");
  }

  private static String required(Map<String, String> given, String flag, String example) {
    String v = given.get(flag);
    if (v == null) {
      throw new BadArgument(flag, "missing (" + example + ")");
    }
    return v;
  }

  private static List<String> symbols(String v) {
    Set<String> out = new LinkedHashSet<>();
    for (String s : items("--symbols", v)) {
      if (!SYMBOL.matcher(s).matches()) {
        throw new BadArgument("--symbols", quoted(s) + " is not a symbol (letters and digits, e.g. BTCUSDT)");
      }
      out.add(s.toUpperCase(Locale.ROOT));
    }
    return List.copyOf(out);
  }

  private static List<CaptureStream> streams(String v) {
    Set<CaptureStream> out = new LinkedHashSet<>();
    for (String s : items("--streams", v)) {
      out.add(CaptureStream.parse(s).orElseThrow(() -> new BadArgument("--streams",
          quoted(s) + " is not a stream (" + CaptureStream.EXPECTED + ")")));
    }
    return List.copyOf(out);
  }

  private static List<String> items(String flag, String v) {
    List<String> out = new ArrayList<>();
    for (String s : v.split(",", -1)) {
      if (s.isBlank()) {
        throw new BadArgument(flag, "an empty item in " + quoted(v) + " (a comma-separated list)");
      }
      out.add(s.trim());
    }
    return out;
  }

  private static Path out(String v) {
    try {
      Path p = Path.of(v);
      if (Files.exists(p) && !Files.isDirectory(p)) {
        throw new BadArgument("--out", quoted(v) + " is not a directory");
      }
      return p;
    } catch (InvalidPathException e) {
      throw new BadArgument("--out", quoted(v) + " is not a path");
    }
  }

  private static double minutes(String v) {
    double m;
    try {
      m = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      m = Double.NaN;
    }
    if (!(m > 0) || Double.isInfinite(m) || !v.matches("[0-9.]+")) {
      throw new BadArgument("--minutes", quoted(v) + " is not a number of minutes above 0 (e.g. 10 or 0.5)");
    }
    return m;
  }

  /** {@code 30s}, {@code 15m}, {@code 1h}, {@code 1d}: whole seconds, minutes, hours or days, at least 1 s. */
  static long duration(String flag, String v) {
    Matcher m = DURATION.matcher(v);
    if (!m.matches()) {
      throw new BadArgument(flag, quoted(v) + " is not a duration (e.g. 30s, 1m, 15m, 1h, 1d)");
    }
    long unit = switch (m.group(2)) {
      case "s" -> 1_000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      default -> 86_400_000L;
    };
    return Long.parseLong(m.group(1)) * unit;
  }

  private static URI wsUrl(String flag, String v) {
    try {
      URI u = new URI(v);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("ws") || scheme.equals("wss")) && u.getHost() != null && u.getRawQuery() == null) {
        return u;
      }
    } catch (URISyntaxException e) {
      // said below
    }
    throw new BadArgument(flag, quoted(v) + " is not a ws:// or wss:// URL (e.g. " + DEFAULT_WS_URL + ")");
  }

  private static String quoted(String v) {
    return "\"" + v + "\"";
  }
}
