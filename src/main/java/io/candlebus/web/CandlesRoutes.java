package io.candlebus.web;

import io.candlebus.Addresses;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.domain.Interval;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/** {@code /api/candles}, {@code /api/candles.csv}, {@code /api/symbols}, {@code /api/intervals}. */
final class CandlesRoutes {
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final CandlebusConfig config;
  private final MarketCache cache;

  CandlesRoutes(Vertx vertx, CandlebusConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.cache = new MarketCache(vertx.eventBus(), config);
  }

  /** Mounted behind the session gate. */
  void mount(Router router) {
    router.get("/api/candles").handler(this::handleCandles);
    router.get("/api/candles.csv").handler(this::handleCandlesCsv);
    router.get("/api/symbols").handler(this::handleSymbols);
    router.get("/api/intervals").handler(this::handleIntervals);
  }

  private void handleCandles(RoutingContext ctx) {
    candles(ctx).onSuccess(list -> ctx.response().putHeader("Content-Type", "application/json")
        .end(new JsonArray(new ArrayList<>(list)).encode())).onFailure(ctx::fail);
  }

  private void handleCandlesCsv(RoutingContext ctx) {
    candles(ctx).onSuccess(list -> ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
        .putHeader("Content-Disposition", "inline; filename=\"candles.csv\"")
        .end(CandleCsv.write(list))).onFailure(ctx::fail);
  }

  private Future<List<JsonObject>> candles(RoutingContext ctx) {
    CandleQuery q;
    try {
      q = CandleQuery.parse(ctx.queryParams(), config);
    } catch (ApiError e) {
      return Future.failedFuture(e);
    }
    return vertx.eventBus().<JsonArray>request(Addresses.DB_CANDLES_QUERY, q.toJson(), QUICK)
        .map(Message::body)
        .map(stored -> q.merge(stored, cache.recentCandles(q.symbol(), q.interval())));
  }

  private void handleSymbols(RoutingContext ctx) {
    JsonArray out = new JsonArray();
    for (String symbol : config.symbols()) {
      JsonObject trade = cache.lastTrade(symbol);
      out.add(new JsonObject().put("symbol", symbol)
          .put("price", trade == null ? null : trade.getString("price"))
          .put("time", trade == null ? null : trade.getLong("time")));
    }
    ctx.response().putHeader("Content-Type", "application/json").end(out.encode());
  }

  private void handleIntervals(RoutingContext ctx) {
    JsonArray out = new JsonArray();
    config.intervals().stream().map(Interval::code).forEach(out::add);
    ctx.response().putHeader("Content-Type", "application/json").end(out.encode());
  }
}
