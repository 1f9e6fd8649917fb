package io.candlebus.web;

import io.candlebus.Addresses;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.domain.Interval;
import io.candlebus.domain.UserInput;
import io.candlebus.indicators.IndicatorSpec;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.math.BigDecimal;
import java.util.Set;

/**
 * {@code /api/alerts/indicators}: the user's indicator alerts, "RSI(period) on interval crosses above A / below B",
 * at most one per symbol, interval and period. {@code POST {symbol, interval, name: "rsi", period, above?, below?}}
 * creates or replaces one; {@code DELETE /api/alerts/indicators/:id} removes one.
 */
final class IndicatorAlertsRoutes {
  static final int MAX_PER_USER = 50;
  private static final Set<String> FIELDS = Set.of("symbol", "interval", "name", "period", "above", "below");
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final CandlebusConfig config;
  private final CarriedSymbols carried;

  IndicatorAlertsRoutes(Vertx vertx, CandlebusConfig config, CarriedSymbols carried) {
    this.vertx = vertx;
    this.config = config;
    this.carried = carried;
  }

  void mount(Router router) {
    router.get("/api/alerts/indicators").handler(this::handleList);
    router.post("/api/alerts/indicators").handler(BodyHandler.create(false).setBodyLimit(4 * 1024))
        .handler(this::handlePut);
    router.delete("/api/alerts/indicators/:id").handler(this::handleDelete);
  }

  private void handleList(RoutingContext ctx) {
    vertx.eventBus().<JsonArray>request(Addresses.DB_INDICATOR_ALERTS_LIST, user(ctx), QUICK)
        .onSuccess(m -> json(ctx, m.body().encode()))
        .onFailure(ctx::fail);
  }

  private void handlePut(RoutingContext ctx) {
    JsonObject body = ApiError.jsonBody(ctx);
    if (body == null) {
      ctx.fail(ApiError.badParameter("body",
          "expected {\"symbol\":\"BTCUSDT\",\"interval\":\"1m\",\"name\":\"rsi\",\"period\":14,\"above\":\"70\"}"));
      return;
    }
    JsonObject alert = normalise(body); // a refusal thrown here is a 400 from HttpVerticle's failure handler
    String username = AuthRoutes.username(ctx);
    vertx.eventBus().<JsonArray>request(Addresses.DB_INDICATOR_ALERTS_LIST, user(ctx), QUICK).compose(m -> {
      boolean replaces = m.body().stream().map(JsonObject.class::cast).anyMatch(a -> same(a, alert));
      if (!replaces && m.body().size() >= MAX_PER_USER) {
        throw ApiError.of(409, "at most " + MAX_PER_USER + " indicator alerts per user");
      }
      return vertx.eventBus().<JsonObject>request(Addresses.DB_INDICATOR_ALERT_PUT, alert.copy()
          .put("username", username), QUICK);
    }).onSuccess(m -> {
      AlertsRoutes.changed(vertx, username);
      json(ctx, m.body().encode());
    }).onFailure(ctx::fail);
  }

  private static boolean same(JsonObject a, JsonObject b) {
    return a.getString("symbol").equals(b.getString("symbol")) && a.getString("interval").equals(
        b.getString("interval")) && a.getString("name").equals(b.getString("name"))
        && a.getInteger("period").equals(b.getInteger("period"));
  }

  private JsonObject normalise(JsonObject body) {
    for (String f : body.fieldNames()) {
      if (!FIELDS.contains(f)) {
        throw ApiError.badParameter(f, "is not a field of an indicator alert (" + String.join(", ", FIELDS) + ")");
      }
    }
    String symbol = UserInput.symbol("symbol", body.getValue("symbol"));
    if (!carried.contains(symbol)) {
      throw ApiError.badParameter("symbol", "must be a carried symbol (" + String.join(",", carried.list()) + ")");
    }
    Interval interval = body.getValue("interval") instanceof String s ? Interval.fromCode(s.trim()).orElse(null)
        : null;
    if (interval == null || !config.intervals().contains(interval)) {
      throw ApiError.badParameter("interval", "must be a carried interval");
    }
    Object name = body.getValue("name", "rsi");
    if (!"rsi".equals(name)) {
      throw ApiError.badParameter("name", "only rsi alerts exist so far");
    }
    Object period = body.getValue("period");
    IndicatorSpec spec = IndicatorSpec.parse(k -> k.equals("name") ? "rsi" : k.equals("period") && period != null
        ? String.valueOf(period) : null);
    BigDecimal above = level(body, "above");
    BigDecimal below = level(body, "below");
    if (above == null && below == null) {
      throw ApiError.badParameter("above", "give above, below or both");
    }
    if (above != null && below != null && below.compareTo(above) > 0) {
      throw ApiError.badParameter("below", "must not be above above (" + below.toPlainString() + " > "
          + above.toPlainString() + ")");
    }
    JsonObject out = new JsonObject().put("symbol", symbol).put("interval", interval.code()).put("name", "rsi")
        .put("period", spec.period());
    if (above != null) {
      out.put("above", above.toPlainString());
    }
    if (below != null) {
      out.put("below", below.toPlainString());
    }
    return out;
  }

  /** An RSI level: a decimal strictly between 0 and 100; null when not given. */
  private static BigDecimal level(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    BigDecimal d = UserInput.positiveDecimal(field, v);
    if (d.compareTo(BigDecimal.valueOf(100)) >= 0 || d.scale() > 8) {
      throw ApiError.badParameter(field, "\"" + v + "\" is not a level between 0 and 100, e.g. \"70\"");
    }
    return d;
  }

  private void handleDelete(RoutingContext ctx) {
    AlertsRoutes.deleteOwn(vertx, ctx, Addresses.DB_INDICATOR_ALERT_DELETE, "indicator alert");
  }

  private static JsonObject user(RoutingContext ctx) {
    return AlertsRoutes.user(ctx);
  }

  private static void json(RoutingContext ctx, String body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body);
  }
}
