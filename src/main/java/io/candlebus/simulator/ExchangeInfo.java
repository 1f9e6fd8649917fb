package io.candlebus.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * GET /api/v3/exchangeInfo: synthetic (the simulated symbols, TRADING, with PRICE_FILTER and LOT_SIZE matching
 * the generator's tick 0.01 and step 0.00001), or a recorded real answer with the simulated symbols added. In both
 * the REQUEST_WEIGHT limit is the one the simulator enforces, and serverTime is the simulated now.
 *
 * <p>The body is encoded once; each answer only splices serverTime in, so a 1.8 MB recording costs a string
 * concatenation per request, not a JSON encoding. {@link #setStatus} (a symbol going to BREAK, say) builds a
 * changed copy and encodes it again; answers use one published state, so they are always whole. Thread-safe.
 */
final class ExchangeInfo {
  private static final String QUOTES_LONGEST_FIRST =
      "FDUSD,USDT,BUSD,USDC,TUSD,USDP,BIDR,BVND,IDRT,DAI,BTC,ETH,BNB,EUR,TRY,GBP,AUD,BRL,RUB,UAH,NGN,ZAR,XRP,TRX";
  private static final long MARK = Long.MIN_VALUE;

  /** One version of the answer: never changed once published. */
  private record State(JsonObject info, String head, String tail) {
    static State of(JsonObject info) {
      String encoded = info.copy().put("serverTime", MARK).encode();
      int at = encoded.indexOf(Long.toString(MARK));
      return new State(info, encoded.substring(0, at), encoded.substring(at + Long.toString(MARK).length()));
    }
  }

  private final Set<String> symbols = new HashSet<>();
  private volatile State state;

  ExchangeInfo(JsonObject info) {
    info.getJsonArray("symbols").forEach(s -> symbols.add(((JsonObject) s).getString("symbol")));
    this.state = State.of(info);
  }

  /**
   * Sets {@code symbol}'s {@code status} (TRADING, BREAK, HALT, ...) in every later answer; IllegalArgumentException
   * for a symbol it does not list. Blocking (a recorded answer takes tens of ms to encode again).
   */
  synchronized void setStatus(String symbol, String status) {
    if (!has(symbol)) {
      throw new IllegalArgumentException("not a symbol of exchangeInfo: " + symbol);
    }
    JsonObject copy = state.info().copy();
    for (Object o : copy.getJsonArray("symbols")) {
      JsonObject entry = (JsonObject) o;
      if (symbol.equals(entry.getString("symbol"))) {
        entry.put("status", status);
      }
    }
    state = State.of(copy);
  }

  /** {@code symbol}'s status now; null for a symbol it does not list. */
  String status(String symbol) {
    for (Object o : state.info().getJsonArray("symbols")) {
      JsonObject entry = (JsonObject) o;
      if (symbol.equals(entry.getString("symbol"))) {
        return entry.getString("status");
      }
    }
    return null;
  }

  static ExchangeInfo synthetic(List<String> simulated, int weightLimit) {
    JsonArray symbols = new JsonArray();
    simulated.forEach(s -> symbols.add(symbolEntry(s)));
    JsonObject info = new JsonObject()
        .put("timezone", "UTC")
        .put("serverTime", 0L)
        .put("rateLimits", new JsonArray()
            .add(limit("REQUEST_WEIGHT", "MINUTE", 1, weightLimit))
            .add(limit("RAW_REQUESTS", "MINUTE", 5, 61_000)))
        .put("exchangeFilters", new JsonArray())
        .put("symbols", symbols);
    return new ExchangeInfo(info);
  }

  /** The first {@code <url> -> <ts>: <json>} line of a cryptofeed capture holding an exchangeInfo; blocking. */
  static ExchangeInfo fromFile(Path file, List<String> simulated, int weightLimit) throws IOException {
    JsonObject info = null;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null && info == null; line = r.readLine()) {
        int arrow = line.indexOf(" -> ");
        int colon = arrow < 0 ? -1 : line.indexOf(": ", arrow);
        if (line.contains("exchangeInfo") && colon > 0) {
          info = new JsonObject(line.substring(colon + 2));
        }
      }
    }
    if (info == null || info.getJsonArray("symbols") == null) {
      throw new IOException("no exchangeInfo line in " + file);
    }
    Set<String> known = new HashSet<>();
    info.getJsonArray("symbols").forEach(s -> known.add(((JsonObject) s).getString("symbol")));
    for (String s : simulated) {
      if (!known.contains(s)) {
        info.getJsonArray("symbols").add(symbolEntry(s));
      }
    }
    for (Object o : info.getJsonArray("rateLimits", new JsonArray())) {
      JsonObject l = (JsonObject) o;
      if ("REQUEST_WEIGHT".equals(l.getString("rateLimitType"))) {
        l.put("interval", "MINUTE").put("intervalNum", 1).put("limit", weightLimit);
      }
    }
    return new ExchangeInfo(info);
  }

  boolean has(String symbol) {
    return symbols.contains(symbol);
  }

  /** The whole answer at simulated time {@code now}. */
  String render(long now) {
    State st = state;
    return st.head() + now + st.tail();
  }

  /** The answer restricted to {@code wanted} (all known, checked by the caller). */
  String render(long now, Set<String> wanted) {
    JsonObject copy = state.info().copy().put("serverTime", now);
    JsonArray kept = new JsonArray();
    copy.getJsonArray("symbols").forEach(s -> {
      if (wanted.contains(((JsonObject) s).getString("symbol"))) {
        kept.add(s);
      }
    });
    return copy.put("symbols", kept).encode();
  }

  static JsonObject symbolEntry(String symbol) {
    String quote = quoteAsset(symbol);
    return new JsonObject()
        .put("symbol", symbol)
        .put("status", "TRADING")
        .put("baseAsset", symbol.substring(0, symbol.length() - quote.length()))
        .put("baseAssetPrecision", 8)
        .put("quoteAsset", quote)
        .put("quotePrecision", 8)
        .put("quoteAssetPrecision", 8)
        .put("orderTypes", new JsonArray().add("LIMIT").add("LIMIT_MAKER").add("MARKET"))
        .put("icebergAllowed", true)
        .put("ocoAllowed", true)
        .put("isSpotTradingAllowed", true)
        .put("isMarginTradingAllowed", false)
        .put("filters", new JsonArray()
            .add(new JsonObject().put("filterType", "PRICE_FILTER").put("minPrice", "0.01000000")
                .put("maxPrice", "1000000.00000000").put("tickSize", "0.01000000"))
            .add(new JsonObject().put("filterType", "LOT_SIZE").put("minQty", "0.00001000")
                .put("maxQty", "9000.00000000").put("stepSize", "0.00001000")))
        .put("permissions", new JsonArray().add("SPOT"));
  }

  /** The longest known quote asset the symbol ends with; else its last 4 characters (or 3 when short). */
  static String quoteAsset(String symbol) {
    String best = "";
    for (String q : QUOTES_LONGEST_FIRST.split(",")) {
      if (symbol.endsWith(q) && symbol.length() > q.length() && q.length() > best.length()) {
        best = q;
      }
    }
    if (!best.isEmpty()) {
      return best;
    }
    return symbol.substring(symbol.length() - (symbol.length() > 5 ? 4 : Math.max(1, symbol.length() / 2)));
  }

  private static JsonObject limit(String type, String interval, int num, int limit) {
    return new JsonObject().put("rateLimitType", type).put("interval", interval).put("intervalNum", num)
        .put("limit", limit);
  }
}
