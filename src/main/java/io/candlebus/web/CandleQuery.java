package io.candlebus.web;

import io.candlebus.config.CandlebusConfig;
import io.candlebus.domain.Interval;
import io.candlebus.domain.UserInput;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The parameters of {@code /api/candles}, validated: Binance's semantics for {@code startTime}, {@code endTime}
 * (both on open times, inclusive) and {@code limit} (default 500, at most 1000).
 */
record CandleQuery(String symbol, Interval interval, Long startTime, Long endTime, int limit) {
  static final int DEFAULT_LIMIT = 500;
  static final int MAX_LIMIT = 1000;

  static CandleQuery parse(MultiMap params, CandlebusConfig config, CarriedSymbols carried) {
    String symbol = UserInput.symbol("symbol", required(params, "symbol"));
    String intervalCode = required(params, "interval").strip();
    Interval interval = Interval.fromCode(intervalCode).orElseThrow(() -> ApiError.badParameter("interval",
        "\"" + intervalCode + "\" is not a Binance interval"));
    if (!carried.contains(symbol)) {
      throw ApiError.notFound("symbol " + symbol + " is not carried (carried: "
          + String.join(",", carried.list()) + ")");
    }
    if (!config.intervals().contains(interval)) {
      throw ApiError.badParameter("interval", interval + " is not carried (carried: "
          + String.join(",", config.intervals().stream().map(Interval::code).toList()) + ")");
    }
    Long start = params.get("startTime") == null ? null : UserInput.time("startTime", params.get("startTime"));
    Long end = params.get("endTime") == null ? null : UserInput.time("endTime", params.get("endTime"));
    if (start != null && end != null && start > end) {
      throw ApiError.badParameter("startTime", "is after endTime");
    }
    int limit = params.get("limit") == null ? DEFAULT_LIMIT : UserInput.whole("limit", params.get("limit"), 1,
        MAX_LIMIT);
    return new CandleQuery(symbol, interval, start, end, limit);
  }

  private static String required(MultiMap params, String name) {
    String v = params.get(name);
    if (v == null || v.isBlank()) {
      throw ApiError.badParameter(name, "is required");
    }
    return v;
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject().put("symbol", symbol).put("interval", interval.code()).put("limit", limit);
    if (startTime != null) {
      o.put("startTime", startTime);
    }
    if (endTime != null) {
      o.put("endTime", endTime);
    }
    return o;
  }

  /**
   * Stored candles plus the newest ones seen on the bus (the open candle, and a closed one that may not be
   * stored yet), by open time, within the window and the limit.
   */
  List<JsonObject> merge(JsonArray stored, List<JsonObject> recent) {
    TreeMap<Long, JsonObject> byOpen = new TreeMap<>();
    for (int i = 0; i < stored.size(); i++) {
      JsonObject c = stored.getJsonObject(i);
      byOpen.put(c.getLong("openTime"), c);
    }
    for (JsonObject c : recent) {
      long open = c.getLong("openTime");
      if ((startTime == null || open >= startTime) && (endTime == null || open <= endTime)) {
        byOpen.put(open, c);
      }
    }
    List<JsonObject> all = new ArrayList<>(byOpen.values());
    if (all.size() <= limit) {
      return all;
    }
    return startTime != null ? all.subList(0, limit) : all.subList(all.size() - limit, all.size());
  }
}
