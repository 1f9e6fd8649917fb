package io.candlebus.web;

import io.candlebus.MarketJson;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.domain.Candle;
import io.candlebus.domain.Decimals;
import io.candlebus.indicators.IndicatorEngine;
import io.candlebus.indicators.IndicatorSpec;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/indicators?symbol=S&interval=I&name=sma|ema|bb|rsi|macd[&period=N][&k=K][&fast&slow&signal]
 * [&startTime&endTime&limit]}: one point per candle {@code /api/candles} answers for the same window, from the
 * candles' closes, with the warm-up read from older stored candles so the first point is already right. Computed
 * off the event loop.
 */
final class IndicatorsRoutes {
  private final Vertx vertx;
  private final CandlebusConfig config;
  private final CarriedSymbols carried;
  private final CandleSource source;

  IndicatorsRoutes(Vertx vertx, CandlebusConfig config, CarriedSymbols carried, CandleSource source) {
    this.vertx = vertx;
    this.config = config;
    this.carried = carried;
    this.source = source;
  }

  void mount(Router router) {
    router.get("/api/indicators").handler(this::handleIndicators);
  }

  private void handleIndicators(RoutingContext ctx) {
    // a refusal thrown here is answered by HttpVerticle's failure handler (400 naming the parameter)
    IndicatorSpec spec = IndicatorSpec.parse(ctx.queryParams()::get);
    CandleQuery q = CandleQuery.parse(ctx.queryParams(), config, carried);
    source.candles(q).compose(asked -> {
      if (asked.isEmpty()) {
        return io.vertx.core.Future.succeededFuture(new JsonArray());
      }
      long first = asked.get(0).getLong("openTime");
      return source.before(q.symbol(), q.interval(), first, spec.warmup()).compose(older -> {
        List<Candle> all = new ArrayList<>(older.size() + asked.size());
        older.forEach(c -> all.add(MarketJson.candle(c)));
        asked.forEach(c -> all.add(MarketJson.candle(c)));
        int from = older.size();
        return vertx.executeBlocking(() -> json(spec, IndicatorEngine.compute(all, spec, from)), false);
      });
    }).onSuccess(out -> ctx.response().putHeader("Content-Type", "application/json").end(out.encode()))
        .onFailure(ctx::fail);
  }

  private static JsonArray json(IndicatorSpec spec, List<IndicatorEngine.Point> points) {
    JsonArray out = new JsonArray();
    for (IndicatorEngine.Point p : points) {
      JsonObject o = new JsonObject().put("time", p.time());
      for (String field : spec.fields()) {
        BigDecimal v = p.values().get(field);
        o.put(field, v == null ? null : Decimals.plain(v));
      }
      out.add(o);
    }
    return out;
  }
}
