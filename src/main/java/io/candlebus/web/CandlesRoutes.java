package io.candlebus.web;

import io.candlebus.Addresses;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.domain.Interval;
import io.candlebus.domain.UserInput;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/candles}, {@code /api/candles.csv}, {@code /api/symbols} (and {@code POST /api/symbols}: carry one
 * more, from the board), {@code /api/intervals}.
 */
final class CandlesRoutes {
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final CandlebusConfig config;
  private final MarketCache cache;
  private final CandleSource source;
  private final CarriedSymbols carried;

  CandlesRoutes(Vertx vertx, CandlebusConfig config, CarriedSymbols carried, CandleSource source) {
    this.vertx = vertx;
    this.config = config;
    this.carried = carried;
    this.source = source;
    this.cache = source.cache();
  }

  /** Mounted behind the session gate. */
  void mount(Router router) {
    router.get("/api/candles").handler(this::handleCandles);
    router.get("/api/candles.csv").handler(this::handleCandlesCsv);
    router.get("/api/symbols").handler(this::handleSymbols);
    router.post("/api/symbols").handler(BodyHandler.create(false).setBodyLimit(1_024)).handler(this::handleCarry);
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
      q = CandleQuery.parse(ctx.queryParams(), config, carried);
    } catch (ApiError | UserInput.Bad e) {
      return Future.failedFuture(e);
    }
    return source.candles(q);
  }

  private void handleSymbols(RoutingContext ctx) {
    JsonArray out = new JsonArray();
    for (String symbol : carried.list()) {
      JsonObject trade = cache.lastTrade(symbol);
      out.add(new JsonObject().put("symbol", symbol)
          .put("price", trade == null ? null : trade.getString("price"))
          .put("time", trade == null ? null : trade.getLong("time")));
    }
    ctx.response().putHeader("Content-Type", "application/json").end(out.encode());
  }

  /**
   * {@code {"symbol":"S"}}: carry S too (a market opened from the board), with backfill; 200 with
   * {@code {symbol, added, carried}} once the upstream was told (candles follow as the backfill and stream bring
   * them), 404 for a market Binance does not trade, 409 beyond {@code symbols.max}.
   */
  private void handleCarry(RoutingContext ctx) {
    JsonObject body = ApiError.jsonBody(ctx);
    if (body == null) {
      ctx.fail(ApiError.badParameter("symbol", "expected {\"symbol\":\"BNBBTC\"} with a Binance symbol"));
      return;
    }
    String symbol = UserInput.symbol("symbol", body.getValue("symbol"));
    vertx.eventBus().<JsonObject>request(Addresses.SYMBOLS_CARRY, new JsonObject().put("symbol", symbol), QUICK)
        .onSuccess(m -> {
          carried.addAll(List.of(symbol)); // this node may serve its candles at once, before symbols.changed
          cache.follow(symbol);
          ctx.response().putHeader("Content-Type", "application/json").end(m.body().encode());
        })
        .onFailure(e -> ctx.fail(e instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE
            ? ApiError.of(r.failureCode(), r.getMessage())
            : ApiError.unavailable("no ingest node answered, try again")));
  }

  private void handleIntervals(RoutingContext ctx) {
    JsonArray out = new JsonArray();
    config.intervals().stream().map(Interval::code).forEach(out::add);
    ctx.response().putHeader("Content-Type", "application/json").end(out.encode());
  }
}
