package io.candlebus.web;

import io.candlebus.Addresses;
import io.candlebus.domain.Interval;
import io.candlebus.persistence.CandlePages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
    return CandlePages.before(vertx, symbol, interval, openTime, count);
  }
}
