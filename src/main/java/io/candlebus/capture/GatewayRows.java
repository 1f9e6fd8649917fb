package io.candlebus.capture;

import io.candlebus.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code capture --url}: the bridge messages of a running candlebus to rows in the same columns as Binance's
 * frames give ({@link CaptureStream#header()}): {@code aggTrade} from {@code market.trade.<S>}, {@code kline_<i>}
 * from {@code market.candle.<S>.<i>}, {@code depthN} (the top N levels) from {@code market.depth.<S>}. The values
 * are candlebus's exact strings (Binance's with trailing zeros removed); {@code E} is empty, the gateway does not
 * relay event times. Stateless after construction.
 */
final class GatewayRows {
  private final Map<String, List<CsvRow.Target>> byAddress = new LinkedHashMap<>();

  GatewayRows(CaptureOptions options) {
    for (String symbol : options.symbols()) {
      for (CaptureStream s : options.streams()) {
        byAddress.computeIfAbsent(address(symbol, s), a -> new ArrayList<>()).add(new CsvRow.Target(symbol, s));
      }
    }
  }

  /** The bridge address of a stream; {@code trade} has none (the gateway relays aggTrades). */
  static String address(String symbol, CaptureStream s) {
    return switch (s.kind()) {
      case AGG_TRADE -> Addresses.trade(symbol);
      case KLINE -> Addresses.candle(symbol, s.interval());
      case DEPTH -> Addresses.depth(symbol);
      case TRADE -> throw new IllegalArgumentException("the gateway relays no individual trades");
    };
  }

  List<String> addresses() {
    return List.copyOf(byAddress.keySet());
  }

  /** The rows of one message, one per stream it feeds; none for a note ({@code missed}, {@code RESYNCING}). */
  List<CsvRow.Row> rows(String address, JsonObject m) {
    List<CsvRow.Row> out = new ArrayList<>(1);
    if (m.containsKey("missed") || "RESYNCING".equals(m.getString("state"))) {
      return out;
    }
    for (CsvRow.Target t : byAddress.getOrDefault(address, List.of())) {
      out.add(new CsvRow.Row(t, cells(t.stream(), m)));
    }
    return out;
  }

  private static String cells(CaptureStream s, JsonObject m) {
    List<Object> cells = switch (s.kind()) {
      case AGG_TRADE -> List.of("", m.getString("symbol"), m.getValue("tradeId"), m.getString("price"),
          m.getString("qty"), m.getValue("firstTradeId"), m.getValue("lastTradeId"), m.getValue("time"),
          m.getValue("buyerMaker"));
      case KLINE -> klineCells(m);
      case DEPTH -> List.of(m.getValue("updateId"), side(m.getJsonArray("bids"), depth(s)),
          side(m.getJsonArray("asks"), depth(s)));
      case TRADE -> throw new IllegalArgumentException("no individual trades");
    };
    StringBuilder b = new StringBuilder(160);
    for (Object c : cells) {
      b.append(',');
      CsvRow.escape(b, c == null ? "" : String.valueOf(c));
    }
    return b.toString();
  }

  private static List<Object> klineCells(JsonObject m) {
    List<Object> c = new ArrayList<>(17);
    c.add("");
    c.add(m.getString("symbol"));
    for (String f : List.of("openTime", "closeTime", "interval", "firstTradeId", "lastTradeId", "open", "close",
        "high", "low", "volume", "trades", "closed", "quoteVolume", "takerBuyVolume", "takerBuyQuoteVolume")) {
      c.add(m.getValue(f));
    }
    return c;
  }

  private static int depth(CaptureStream s) {
    return Integer.parseInt(s.name().substring("depth".length()));
  }

  /** The top {@code levels} of a side as {@code price:qty;...}, as the Binance rows write them. */
  private static String side(JsonArray levels, int depth) {
    if (levels == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < Math.min(depth, levels.size()); i++) {
      JsonArray l = levels.getJsonArray(i);
      b.append(i == 0 ? "" : ";").append(l.getString(0)).append(':').append(l.getString(1));
    }
    return b.toString();
  }
}
