package io.candlebus.web;

import io.candlebus.Addresses;
import io.candlebus.domain.Interval;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The candles of the candle routes and the indicators: stored ones from PostgreSQL plus the newest seen live. */
final class CandleSource {
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final MarketCache cache;

  CandleSource(Vertx vertx, MarketCache cache) {
    this.vertx = vertx;
    this.cache = cache;
  }

  /** For {@link #before} only: no live candles. */
  static CandleSource storedOnly(Vertx vertx) {
    return new CandleSource(vertx, null);
  }

  MarketCache cache() {
    return cache;
  }

  /** As {@code /api/candles} answers {@code q}: oldest first, the open candle last. */
  Future<List<JsonObject>> candles(CandleQuery q) {
    return vertx.eventBus().<JsonArray>request(Addresses.DB_CANDLES_QUERY, q.toJson(), QUICK)
        .map(Message::body)
        .map(stored -> q.merge(stored, cache.recentCandles(q.symbol(), q.interval())));
  }

  /** Up to {@code count} stored candles opened before {@code openTime}, oldest first, read a page at a time. */
  Future<List<JsonObject>> before(String symbol, Interval interval, long openTime, int count) {
    List<JsonObject> out = new ArrayList<>();
    return page(symbol, interval, openTime, count, out).map(v -> out);
  }

  private Future<Void> page(String symbol, Interval interval, long openTime, int count, List<JsonObject> out) {
    if (count <= 0 || openTime <= 0) {
      return Future.succeededFuture();
    }
    int limit = Math.min(CandleQuery.MAX_LIMIT, count);
    JsonObject q = new JsonObject().put("symbol", symbol).put("interval", interval.code()).put("limit", limit)
        .put("endTime", openTime - 1);
    return vertx.eventBus().<JsonArray>request(Addresses.DB_CANDLES_QUERY, q, QUICK).compose(m -> {
      JsonArray rows = m.body();
      List<JsonObject> older = new ArrayList<>(rows.size());
      rows.forEach(o -> older.add((JsonObject) o));
      out.addAll(0, older);
      if (rows.size() < limit) {
        return Future.succeededFuture(); // the start of what is stored
      }
      return page(symbol, interval, older.get(0).getLong("openTime"), count - rows.size(), out);
    });
  }
}
