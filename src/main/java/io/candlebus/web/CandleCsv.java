package io.candlebus.web;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** {@code /api/candles.csv}: the JSON fields as columns, header first, decimals exactly as in JSON. */
final class CandleCsv {
  static final String[] COLUMNS = {"symbol", "interval", "openTime", "closeTime", "open", "high", "low", "close",
      "volume", "quoteVolume", "takerBuyVolume", "takerBuyQuoteVolume", "trades", "closed"};

  private CandleCsv() {}

  static String write(List<JsonObject> candles) {
    StringBuilder sb = new StringBuilder(64 + candles.size() * 128);
    sb.append(String.join(",", COLUMNS)).append('\n');
    for (JsonObject c : candles) {
      for (int i = 0; i < COLUMNS.length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        Object v = c.getValue(COLUMNS[i]);
        sb.append(v == null ? "" : v.toString());
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
