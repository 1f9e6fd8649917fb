package io.candlebus.simulator;

import io.candlebus.domain.Interval;
import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Query parameters read the way Binance reads them, failing with its error codes: -1102 for a missing or empty
 * mandatory one, -1100 for one that is not a non-negative integer, -1120 for a bad interval, -1121 for an unknown
 * symbol. Timestamps of 16 digits or more are taken as microseconds and turned into ms, as Binance accepts both.
 */
final class RestParams {
  static final String DIGITS = "^[0-9]{1,20}$";
  private final MultiMap q;

  RestParams(MultiMap q) {
    this.q = q;
  }

  String symbol(Predicate<String> known) {
    String s = q.get("symbol");
    if (s == null || s.isEmpty()) {
      throw BinanceError.mandatory("symbol");
    }
    if (!known.test(s)) {
      throw BinanceError.invalidSymbol();
    }
    return s;
  }

  /** {@code symbols=["A","B"]}, null when absent. */
  List<String> symbols(Predicate<String> known) {
    String raw = q.get("symbols");
    if (raw == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    try {
      for (Object o : new JsonArray(raw)) {
        if (!(o instanceof String s) || !known.test(s)) {
          throw BinanceError.invalidSymbol();
        }
        out.add(s);
      }
    } catch (DecodeException e) {
      throw BinanceError.mandatory("symbols");
    }
    if (out.isEmpty()) {
      throw BinanceError.mandatory("symbols");
    }
    return out;
  }

  Interval interval() {
    String s = q.get("interval");
    if (s == null || s.isEmpty()) {
      throw BinanceError.mandatory("interval");
    }
    return Interval.fromCode(s).orElseThrow(() -> BinanceError.badRequest(-1120, "Invalid interval."));
  }

  /** An optional non-negative integer; null when absent. */
  Long number(String name) {
    String s = q.get(name);
    if (s == null) {
      return null;
    }
    if (s.isEmpty()) {
      throw BinanceError.mandatory(name);
    }
    if (!s.matches(DIGITS)) {
      throw BinanceError.badRequest(-1100,
          "Illegal characters found in parameter '" + name + "'; legal range is '" + DIGITS + "'.");
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw BinanceError.badRequest(-1100,
          "Illegal characters found in parameter '" + name + "'; legal range is '" + DIGITS + "'.");
    }
  }

  Long time(String name) {
    Long t = number(name);
    if (t == null) {
      return null;
    }
    return t >= 1_000_000_000_000_000L ? Long.valueOf(t / 1000) : t;
  }

  /** limit: default 500; above 1000 it is cut to 1000 (as Binance does); 0 is invalid. */
  int limit() {
    Long l = number("limit");
    if (l == null) {
      return 500;
    }
    if (l < 1) {
      throw BinanceError.badRequest(-1130, "Data sent for parameter 'limit' is not valid.");
    }
    return (int) Math.min(1000, l);
  }

  /** Only UTC is served: timeZone must be absent or zero. */
  void utcOnly() {
    String tz = q.get("timeZone");
    if (tz != null && !tz.matches("^[+-]?0{0,2}(:00)?$")) {
      throw BinanceError.badRequest(-1130, "Data sent for parameter 'timeZone' is not valid.");
    }
  }
}
