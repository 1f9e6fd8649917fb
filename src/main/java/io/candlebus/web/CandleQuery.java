package io.candlebus.web;

import io.candlebus.config.CandlebusConfig;
import io.candlebus.domain.Interval;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The parameters of {@code /api/candles}, validated: Binance's semantics for {@code startTime}, {@code endTime}
 * (both on open times, inclusive) and {@code limit} (default 500, at most 1000).
 */
record CandleQuery(String symbol, Interval interval, Long startTime, Long endTime, int limit) {
  static final int DEFAULT_LIMIT = 500;
  static final int MAX_LIMIT = 1000;

  static CandleQuery parse(MultiMap params, CandlebusConfig config, CarriedSymbols carried) {
    String symbol = required(params, "symbol").toUpperCase(Locale.ROOT);
    String intervalCode = required(params, "interval");
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
    Long start = time(params, "startTime");
    Long end = time(params, "endTime");
    if (start != null && end != null && start > end) {
      throw ApiError.badParameter("startTime", "is after endTime");
    }
    int limit = DEFAULT_LIMIT;
    String l = params.get("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l.trim());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw ApiError.badParameter("limit", "\"" + l + "\" is not a whole number 1-" + MAX_LIMIT);
      }
    }
    return new CandleQuery(symbol, interval, start, end, limit);
  }

  private static String required(MultiMap params, String name) {
    String v = params.get(name);
    if (v == null || v.isBlank()) {
      throw ApiError.badParameter(name, "is required");
    }
    return v.trim();
  }

  private static Long time(MultiMap params, String name) {
    String v = params.get(name);
    if (v == null) {
      return null;
    }
    try {
      long t = Long.parseLong(v.trim());
      if (t >= 0) {
        return t;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw ApiError.badParameter(name, "\"" + v + "\" is not a time in epoch milliseconds");
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
