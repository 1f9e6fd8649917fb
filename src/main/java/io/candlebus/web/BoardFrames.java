package io.candlebus.web;

import io.candlebus.Addresses;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The board's frames on one bridge ({@code market.ticker}: the entries that changed, once a second), each encoded
 * once for all its browsers, and every market's newest entry with the number of the frame that brought it. A
 * browser too slow to take each frame gets instead one frame of every entry that changed since the last frame it
 * took: each market's newest entry — what merging the frames it missed by market would give, built only when it
 * can take it. So a slow browser waits on at most one board message, and the bridge holds one entry per market
 * and window however many browsers are slow. Confined to the bridge's event loop.
 */
final class BoardFrames {
  private static final String HEAD = "{\"type\":\"rec\",\"address\":\"" + Addresses.MARKET_TICKER + "\",\"body\":[";

  /** The {@code seq}-th frame of the board, as every browser keeping up gets it. */
  record Frame(long seq, Outbound message) {}

  private record Entry(String json, long seq) {}

  private final Map<String, Entry> entries = new HashMap<>();
  private long seq;

  /** A frame of the board's changed entries, as published; remembered as each market's newest. */
  Frame add(JsonArray changed) {
    seq++;
    StringBuilder frame = new StringBuilder(HEAD);
    for (int i = 0; i < changed.size(); i++) {
      Object value = changed.getValue(i);
      String json = Json.encode(value);
      // a market's entry per window ("24h", "1h"...); anything else is kept as itself
      String key = value instanceof JsonObject o ? o.getString("window") + " " + o.getString("symbol") : json;
      entries.put(key, new Entry(json, seq));
      frame.append(i > 0 ? "," : "").append(json);
    }
    return new Frame(seq, Outbound.of(frame.append("]}").toString()));
  }

  /** One frame of every entry that changed after frame {@code after}: the frames since merged by market. */
  Outbound since(long after) {
    StringBuilder frame = new StringBuilder(HEAD);
    boolean first = true;
    for (Entry e : entries.values()) {
      if (e.seq() > after) {
        frame.append(first ? "" : ",").append(e.json());
        first = false;
      }
    }
    return Outbound.of(frame.append("]}").toString());
  }

  /** Markets (per window) remembered. */
  int size() {
    return entries.size();
  }
}
