package io.candlebus.persistence;

import io.candlebus.domain.Interval;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;

/** Reads the JSON requests of {@code DB_CANDLES_QUERY} and {@code DB_CANDLES_LATEST}; errors name the field. */
final class CandleRequests {
  static final int DEFAULT_LIMIT = 500;

  record Query(String symbol, Interval interval, Long startTime, Long endTime, int limit) {}

  record Series(String symbol, Interval interval) {}

  private CandleRequests() {}

  static Query query(Object body) {
    JsonObject json = object(body);
    Series series = series(json);
    Long limit = number(json, "limit");
    if (limit != null && (limit < 1 || limit > CandleStore.MAX_QUERY_LIMIT)) {
      throw new IllegalArgumentException("limit must be 1.." + CandleStore.MAX_QUERY_LIMIT + ", got " + limit);
    }
    return new Query(series.symbol(), series.interval(), number(json, "startTime"), number(json, "endTime"),
        limit == null ? DEFAULT_LIMIT : limit.intValue());
  }

  static Series series(Object body) {
    JsonObject json = object(body);
    Object symbol = json.getValue("symbol");
    if (!(symbol instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException("symbol is required");
    }
    Object code = json.getValue("interval");
    Interval interval = code instanceof String c ? Interval.fromCode(c).orElse(null) : null;
    if (interval == null) {
      throw new IllegalArgumentException("interval must be one of 1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M, got "
          + code);
    }
    return new Series(s, interval);
  }

  private static JsonObject object(Object body) {
    if (body instanceof JsonObject json) {
      return json;
    }
    throw new IllegalArgumentException("expected a JSON object body");
  }

  private static Long number(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      try {
        return new BigDecimal(n.toString()).longValueExact();
      } catch (ArithmeticException | NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException(field + " must be an integer, got " + v);
  }
}
