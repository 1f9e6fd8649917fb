package io.candlebus.config;

import io.candlebus.domain.Interval;
import io.candlebus.tickers.TickerWindow;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code conf/config.json}, lets the {@code CANDLEBUS_*} environment variables override it, and validates
 * every value. The first bad value stops with a {@link ConfigException} whose message names the key, where it
 * came from and the value.
 */
public final class ConfigLoader {
  public static final Path DEFAULT_FILE = Path.of("conf", "config.json");

  /** Binance cuts a connection at 24 h; it is replaced (make-before-break) ten minutes before. */
  public static final int DEFAULT_MAX_AGE_MS = 24 * 3_600_000 - 600_000;
  /** HTTP event loops at most (0 in the configuration = one per available core). */
  public static final int MAX_HTTP_INSTANCES = 64;
  private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9]{2,30}");
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.\\-]+:\\d{1,5}");

  /** Five retries within ten minutes (issue 13): a receiver down for 30 s gets the firing at the fourth try. */
  static final String DEFAULT_WEBHOOK_RETRIES = "2s,8s,30s,2m,7m";

  /** The defaults of SPEC.md; {@code conf/config.json} holds the same (checked by a test). */
  public static JsonObject builtInDefaults() {
    return new JsonObject()
        .put("http.port", 8080)
        .put("http.host", "0.0.0.0")
        .put("http.instances", 0)
        .put("public.origin", "")
        .put("binance.ws.url", "wss://stream.binance.com:9443")
        .put("binance.rest.url", "https://api.binance.com")
        .put("symbols", "BTCUSDT,ETHUSDT")
        .put("intervals", "1m,5m,15m,1h,4h,1d")
        .put("history.limit", 1000)
        .put("pg.url", "")
        .put("data.dir", "./data")
        .put("cluster", false)
        .put("cluster.members", "127.0.0.1:5701")
        .put("cluster.host", "127.0.0.1")
        .put("cluster.port", 5701)
        .put("role", "all")
        .put("upstream.max.age.ms", DEFAULT_MAX_AGE_MS)
        .put("upstream.silence.ms", 30_000)
        .put("depth.symbols", "")
        .put("depth.levels", 5)
        .put("depth.snapshot.limit", 1000)
        .put("depth.record.dir", "")
        .put("depth.record.slice", "1m")
        .put("tickers", true)
        .put("tickers.windows", "")
        .put("symbols.max", 50)
        .put("exchange.info.refresh.ms", 3_600_000)
        .put("alerts.webhook.retries", DEFAULT_WEBHOOK_RETRIES)
        .put("http.idle.timeout.ms", LimitSettings.DEFAULT_HTTP_IDLE_TIMEOUT_MS)
        .put("http.header.timeout.ms", LimitSettings.DEFAULT_HTTP_HEADER_TIMEOUT_MS)
        .put("http.body.timeout.ms", LimitSettings.DEFAULT_HTTP_BODY_TIMEOUT_MS)
        .put("http.max.connections", LimitSettings.DEFAULT_HTTP_MAX_CONNECTIONS)
        .put("http.max.connections.per.address", LimitSettings.DEFAULT_HTTP_MAX_CONNECTIONS_PER_ADDRESS)
        .put("bridge.max.sockets.per.session", LimitSettings.DEFAULT_BRIDGE_MAX_SOCKETS_PER_SESSION)
        .put("bridge.max.sockets.per.user", LimitSettings.DEFAULT_BRIDGE_MAX_SOCKETS_PER_USER)
        .put("indicators.max.feeds.per.user", LimitSettings.DEFAULT_INDICATOR_MAX_FEEDS_PER_USER)
        .put("indicators.max.feeds", LimitSettings.DEFAULT_INDICATOR_MAX_FEEDS);
  }

  private ConfigLoader() {}

  /**
   * Loads {@code file} (or the built-in defaults when {@code file} is the default path and does not exist) and
   * applies {@code env}.
   */
  public static CandlebusConfig load(Path file, boolean explicitFile, Map<String, String> env) {
    JsonObject json = builtInDefaults();
    String source = "built-in defaults";
    if (file != null && (explicitFile || Files.exists(file))) {
      json.mergeIn(readFile(file));
      source = file.toString();
    }
    return fromJson(json, source, env);
  }

  /** Validates {@code json} (keys as in {@code conf/config.json}) with {@code env} overriding it. */
  public static CandlebusConfig fromJson(JsonObject json, String source, Map<String, String> env) {
    Map<ConfigKey, Raw> raw = new EnumMap<>(ConfigKey.class);
    for (String key : json.fieldNames()) {
      ConfigKey k = ConfigKey.fromJsonKey(key);
      if (k == null) {
        throw new ConfigException("bad configuration: unknown key \"" + key + "\" in " + source
            + " (known keys: see README, Configuration)");
      }
      raw.put(k, new Raw(k, stringOf(json.getValue(key)), k.jsonKey() + " in " + source));
    }
    for (ConfigKey k : ConfigKey.values()) {
      String v = env.get(k.envVar());
      if (v != null) {
        raw.put(k, new Raw(k, v, k.envVar()));
      }
    }
    return build(raw);
  }

  private static CandlebusConfig build(Map<ConfigKey, Raw> raw) {
    int port = port(raw.get(ConfigKey.HTTP_PORT), true);
    String host = nonEmpty(raw.get(ConfigKey.HTTP_HOST));
    int instances = intRange(raw.get(ConfigKey.HTTP_INSTANCES), 0, MAX_HTTP_INSTANCES);
    if (instances == 0) {
      instances = Math.min(MAX_HTTP_INSTANCES, Runtime.getRuntime().availableProcessors());
    }
    List<String> origins = origins(raw.get(ConfigKey.PUBLIC_ORIGIN), port);
    URI ws = url(raw.get(ConfigKey.BINANCE_WS_URL), Set.of("ws", "wss"));
    URI rest = url(raw.get(ConfigKey.BINANCE_REST_URL), Set.of("http", "https"));
    List<String> symbols = symbols(raw.get(ConfigKey.SYMBOLS));
    List<Interval> intervals = intervals(raw.get(ConfigKey.INTERVALS));
    int historyLimit = intRange(raw.get(ConfigKey.HISTORY_LIMIT), 0, 1_000_000);
    Optional<String> pgUrl = pgUrl(raw.get(ConfigKey.PG_URL));
    Path dataDir = path(raw.get(ConfigKey.DATA_DIR));
    boolean cluster = bool(raw.get(ConfigKey.CLUSTER));
    List<String> members = members(raw.get(ConfigKey.CLUSTER_MEMBERS));
    String clusterHost = nonEmpty(raw.get(ConfigKey.CLUSTER_HOST));
    int clusterPort = port(raw.get(ConfigKey.CLUSTER_PORT), false);
    Role role = role(raw.get(ConfigKey.ROLE));
    if (cluster && pgUrl.isEmpty()) {
      // each node would otherwise start its own embedded database and the cluster's candles would be split
      throw new ConfigException("bad configuration: " + ConfigKey.PG_URL.envVar() + " is not set (" + raw.get(
          ConfigKey.PG_URL).where + " is empty): a cluster (" + raw.get(ConfigKey.CLUSTER).where
          + " = true) needs one PostgreSQL shared by all nodes");
    }
    int maxAge = intRange(raw.get(ConfigKey.UPSTREAM_MAX_AGE_MS), 1_000, 24 * 3_600_000 - 60_000);
    int silence = intRange(raw.get(ConfigKey.UPSTREAM_SILENCE_MS), 500, 3_600_000);
    return new CandlebusConfig(port, host, origins, ws, rest, symbols, intervals, historyLimit, pgUrl, dataDir,
        cluster, members, clusterHost, clusterPort, role, maxAge, silence, instances, depth(raw),
        tickers(raw), retries(raw.get(ConfigKey.ALERTS_WEBHOOK_RETRIES)), limits(raw));
  }

  private static LimitSettings limits(Map<ConfigKey, Raw> raw) {
    int minTimeout = LimitSettings.MIN_TIMEOUT_MS;
    int maxTimeout = LimitSettings.MAX_TIMEOUT_MS;
    return new LimitSettings(
        intRange(raw.get(ConfigKey.HTTP_IDLE_TIMEOUT_MS), 1_000, maxTimeout),
        intRange(raw.get(ConfigKey.HTTP_HEADER_TIMEOUT_MS), minTimeout, maxTimeout),
        intRange(raw.get(ConfigKey.HTTP_BODY_TIMEOUT_MS), minTimeout, maxTimeout),
        intRange(raw.get(ConfigKey.HTTP_MAX_CONNECTIONS), 0, LimitSettings.MAX_CAP),
        intRange(raw.get(ConfigKey.HTTP_MAX_CONNECTIONS_PER_ADDRESS), 0, LimitSettings.MAX_CAP),
        intRange(raw.get(ConfigKey.BRIDGE_MAX_SOCKETS_PER_SESSION), 0, LimitSettings.MAX_CAP),
        intRange(raw.get(ConfigKey.BRIDGE_MAX_SOCKETS_PER_USER), 0, LimitSettings.MAX_CAP),
        intRange(raw.get(ConfigKey.INDICATORS_MAX_FEEDS_PER_USER), 0, LimitSettings.MAX_CAP),
        intRange(raw.get(ConfigKey.INDICATORS_MAX_FEEDS), 0, LimitSettings.MAX_CAP));
  }

  /** The waits before each webhook retry: at most 10, each 100 ms to 10 min, together at most 1 h. */
  private static List<Long> retries(Raw r) {
    List<Long> out = new ArrayList<>();
    String expected = "expected a list of waits like 2s,8s,30s,2m,7m (at most 10, each 100ms..10m, 1h in all)";
    for (String part : r.value.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,7})(ms|s|m)").matcher(part.trim());
      if (!m.matches()) {
        throw bad(r, expected);
      }
      long unit = switch (m.group(2)) {
        case "ms" -> 1L;
        case "s" -> 1_000L;
        default -> 60_000L;
      };
      long ms = Long.parseLong(m.group(1)) * unit;
      if (ms < 100 || ms > 600_000) {
        throw bad(r, expected);
      }
      out.add(ms);
    }
    if (out.size() > 10 || out.stream().mapToLong(Long::longValue).sum() > 3_600_000) {
      throw bad(r, expected);
    }
    return out;
  }

  private static TickerSettings tickers(Map<ConfigKey, Raw> raw) {
    boolean on = bool(raw.get(ConfigKey.TICKERS));
    Raw windowsRaw = raw.get(ConfigKey.TICKERS_WINDOWS);
    List<TickerWindow> windows = new ArrayList<>();
    for (String w : windowsRaw.value.split(",")) {
      if (w.isBlank()) {
        continue;
      }
      TickerWindow window = TickerWindow.fromCode(w.trim()).filter(TickerSettings.OPTIONAL_WINDOWS::contains)
          .orElseThrow(() -> bad(windowsRaw, "expected a list of 1h, 4h, 1d (the rolling-window ticker streams;"
              + " the 24 h mini ticker is always on)"));
      if (!windows.contains(window)) {
        windows.add(window);
      }
    }
    Raw maxRaw = raw.get(ConfigKey.SYMBOLS_MAX);
    int max = intRange(maxRaw, 1, 100_000);
    int refresh = intRange(raw.get(ConfigKey.EXCHANGE_INFO_REFRESH_MS), 1_000, 24 * 3_600_000);
    return new TickerSettings(on, windows, max, refresh);
  }

  private static DepthSettings depth(Map<ConfigKey, Raw> raw) {
    Raw symbolsRaw = raw.get(ConfigKey.DEPTH_SYMBOLS);
    List<String> symbols = symbolsRaw.value.isBlank() ? List.of() : symbols(symbolsRaw);
    Raw levelsRaw = raw.get(ConfigKey.DEPTH_LEVELS);
    int levels = intRange(levelsRaw, 1, 20);
    if (!DepthSettings.LEVELS.contains(levels)) {
      throw bad(levelsRaw, "expected 5, 10 or 20 (the levels of Binance's partial books)");
    }
    int limit = intRange(raw.get(ConfigKey.DEPTH_SNAPSHOT_LIMIT), 1, DepthSettings.MAX_SNAPSHOT_LIMIT);
    Raw dirRaw = raw.get(ConfigKey.DEPTH_RECORD_DIR);
    Optional<Path> dir = dirRaw.value.isBlank() ? Optional.empty() : Optional.of(path(dirRaw));
    Raw sliceRaw = raw.get(ConfigKey.DEPTH_RECORD_SLICE);
    RecordSlice slice = RecordSlice.fromCode(sliceRaw.value.trim())
        .orElseThrow(() -> bad(sliceRaw, "expected 1m, 1h or 1d"));
    return new DepthSettings(symbols, levels, limit, dir, slice);
  }

  private static JsonObject readFile(Path file) {
    try {
      return new JsonObject(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new ConfigException("bad configuration: file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("bad configuration: cannot read " + file + ": " + e.getMessage());
    } catch (DecodeException e) {
      throw new ConfigException("bad configuration: " + file + " is not a JSON object: "
          + firstLine(e.getMessage()));
    }
  }

  private static String stringOf(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof JsonArray a) {
      List<String> parts = new ArrayList<>();
      a.forEach(x -> parts.add(String.valueOf(x)));
      return String.join(",", parts);
    }
    return String.valueOf(v);
  }

  private static ConfigException bad(Raw r, String expected) {
    return new ConfigException("bad configuration: " + r.where + " = \"" + r.value + "\": " + expected);
  }

  private static int port(Raw r, boolean zeroAllowed) {
    int min = zeroAllowed ? 0 : 1;
    try {
      int p = Integer.parseInt(r.value.trim());
      if (p >= min && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw bad(r, "expected a port number " + min + "-65535" + (zeroAllowed ? " (0 = any free port)" : ""));
  }

  private static int intRange(Raw r, int min, int max) {
    try {
      int v = Integer.parseInt(r.value.trim());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw bad(r, "expected a whole number " + min + "-" + max);
  }

  private static String nonEmpty(Raw r) {
    if (r.value.isBlank()) {
      throw bad(r, "must not be empty");
    }
    return r.value.trim();
  }

  private static boolean bool(Raw r) {
    return switch (r.value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw bad(r, "expected true or false");
    };
  }

  private static URI url(Raw r, Set<String> schemes) {
    try {
      URI u = new URI(r.value.trim());
      if (u.getScheme() != null && schemes.contains(u.getScheme().toLowerCase(Locale.ROOT))
          && u.getHost() != null && u.getQuery() == null) {
        return u;
      }
    } catch (URISyntaxException ignored) {
      // reported below
    }
    throw bad(r, "expected a URL with scheme " + String.join(" or ", new java.util.TreeSet<>(schemes))
        + " and a host, without query");
  }

  private static List<String> origins(Raw r, int port) {
    if (r.value.isBlank()) {
      // SPEC's default, and the same page opened as 127.0.0.1 (a 403 on the login form would surprise)
      return List.of("http://localhost:" + port, "http://127.0.0.1:" + port);
    }
    List<String> out = new ArrayList<>();
    for (String o : r.value.split(",")) {
      String origin = o.trim();
      try {
        URI u = new URI(origin);
        boolean ok = u.getScheme() != null && Set.of("http", "https").contains(u.getScheme())
            && u.getHost() != null && (u.getPath() == null || u.getPath().isEmpty()) && u.getQuery() == null;
        if (!ok) {
          throw bad(r, "\"" + origin + "\" is not an origin like https://example.com:8443");
        }
      } catch (URISyntaxException e) {
        throw bad(r, "\"" + origin + "\" is not an origin like https://example.com:8443");
      }
      out.add(origin);
    }
    return out;
  }

  private static List<String> symbols(Raw r) {
    Set<String> out = new LinkedHashSet<>();
    for (String s : r.value.split(",")) {
      String sym = s.trim().toUpperCase(Locale.ROOT);
      if (!SYMBOL.matcher(sym).matches()) {
        throw bad(r, "\"" + s.trim() + "\" is not a Binance symbol (letters and digits, e.g. BTCUSDT)");
      }
      out.add(sym);
    }
    return List.copyOf(out);
  }

  private static List<Interval> intervals(Raw r) {
    Set<Interval> out = new LinkedHashSet<>();
    for (String s : r.value.split(",")) {
      String code = s.trim();
      Interval i = Interval.fromCode(code).orElseThrow(() -> bad(r, "\"" + code
          + "\" is not a Binance interval (one of 1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M)"));
      out.add(i);
    }
    List<Interval> sorted = new ArrayList<>(out);
    sorted.sort(null);
    return sorted;
  }

  private static Optional<String> pgUrl(Raw r) {
    String v = r.value.trim();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI u = new URI(v);
      boolean ok = ("postgresql".equals(u.getScheme()) || "postgres".equals(u.getScheme()))
          && u.getHost() != null && u.getPath() != null && u.getPath().length() > 1;
      if (ok) {
        return Optional.of(v);
      }
    } catch (URISyntaxException ignored) {
      // reported below
    }
    throw new ConfigException("bad configuration: " + r.where + " = \"" + redact(v)
        + "\": expected postgresql://user:pass@host:port/db");
  }

  private static String redact(String url) {
    return url.replaceAll("(//[^:/@]*):[^@/]*@", "$1:***@");
  }

  private static Path path(Raw r) {
    try {
      return Path.of(nonEmpty(r));
    } catch (InvalidPathException e) {
      throw bad(r, "not a valid path");
    }
  }

  private static List<String> members(Raw r) {
    List<String> out = new ArrayList<>();
    for (String m : r.value.split(",")) {
      String member = m.trim();
      if (!HOST_PORT.matcher(member).matches()) {
        throw bad(r, "\"" + member + "\" is not host:port");
      }
      out.add(member);
    }
    return out;
  }

  private static Role role(Raw r) {
    return switch (r.value.trim()) {
      case "all" -> Role.ALL;
      case "ingest" -> Role.INGEST;
      case "edge" -> Role.EDGE;
      default -> throw bad(r, "expected all, ingest or edge");
    };
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private record Raw(ConfigKey key, String value, String where) {}
}
