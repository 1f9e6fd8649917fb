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
import java.util.Locale;
import java.util.Set;

/**
 * {@code GET/PUT /api/settings}: the user's chart settings, kept on the server so they follow the user to another
 * browser: {@code {"symbol","interval","indicators":[{"name","period"...}]}}. A PUT replaces them whole, checked
 * (a carried symbol and interval, at most {@value #MAX_INDICATORS} indicators each valid as for
 * {@code /api/indicators}) and stored normalised; GET answers {@code {}} until the first PUT.
 */
final class SettingsRoutes {
  static final int MAX_INDICATORS = 20;
  private static final Set<String> FIELDS = Set.of("symbol", "interval", "indicators");
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final CandlebusConfig config;
  private final CarriedSymbols carried;

  SettingsRoutes(Vertx vertx, CandlebusConfig config, CarriedSymbols carried) {
    this.vertx = vertx;
    this.config = config;
    this.carried = carried;
  }

  void mount(Router router) {
    router.get("/api/settings").handler(this::handleGet);
    router.put("/api/settings").handler(BodyHandler.create(false).setBodyLimit(16 * 1024)).handler(this::handlePut);
  }

  private void handleGet(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.DB_SETTINGS_GET,
            new JsonObject().put("username", AuthRoutes.username(ctx)), QUICK)
        .onSuccess(m -> json(ctx, m.body()))
        .onFailure(ctx::fail);
  }

  private void handlePut(RoutingContext ctx) {
    JsonObject body = ApiError.jsonBody(ctx);
    if (body == null) {
      ctx.fail(ApiError.badParameter("body", "expected a JSON object {\"symbol\",\"interval\",\"indicators\"}"));
      return;
    }
    JsonObject settings = normalise(body); // a refusal thrown here is a 400 from HttpVerticle's failure handler
    vertx.eventBus().<JsonObject>request(Addresses.DB_SETTINGS_PUT,
            new JsonObject().put("username", AuthRoutes.username(ctx)).put("settings", settings), QUICK)
        .onSuccess(m -> json(ctx, m.body()))
        .onFailure(ctx::fail);
  }

  private JsonObject normalise(JsonObject body) {
    for (String f : body.fieldNames()) {
      if (!FIELDS.contains(f)) {
        throw ApiError.badParameter(f, "is not a setting (symbol, interval, indicators)");
      }
    }
    JsonObject out = new JsonObject();
    Object symbol = body.getValue("symbol");
    if (symbol != null) {
      String s = UserInput.symbol("symbol", symbol);
      if (!carried.contains(s)) {
        throw ApiError.badParameter("symbol", "must be a carried symbol (" + String.join(",", carried.list()) + ")");
      }
      out.put("symbol", s);
    }
    Object interval = body.getValue("interval");
    if (interval != null) {
      Interval i = interval instanceof String t ? Interval.fromCode(t.trim()).orElse(null) : null;
      if (i == null || !config.intervals().contains(i)) {
        throw ApiError.badParameter("interval", "must be a carried interval");
      }
      out.put("interval", i.code());
    }
    Object list = body.getValue("indicators");
    if (list != null) {
      if (!(list instanceof JsonArray a) || a.size() > MAX_INDICATORS) {
        throw ApiError.badParameter("indicators", "must be an array of at most " + MAX_INDICATORS + " indicators");
      }
      JsonArray indicators = new JsonArray();
      for (int n = 0; n < a.size(); n++) {
        String where = "indicators[" + n + "]";
        if (!(a.getValue(n) instanceof JsonObject o)) {
          throw ApiError.badParameter(where, "must be an object like {\"name\":\"rsi\",\"period\":14}");
        }
        try {
          indicators.add(json(IndicatorSpec.parse(k -> o.getValue(k) == null ? null : String.valueOf(o.getValue(k)))));
        } catch (UserInput.Bad e) {
          throw ApiError.badParameter(where + "." + e.field(), e.getMessage());
        }
      }
      out.put("indicators", indicators);
    }
    return out;
  }

  private static JsonObject json(IndicatorSpec s) {
    JsonObject o = new JsonObject().put("name", s.kind().name().toLowerCase(Locale.ROOT));
    return switch (s.kind()) {
      case BB -> o.put("period", s.period()).put("k", s.k().stripTrailingZeros().toPlainString());
      case MACD -> o.put("fast", s.fast()).put("slow", s.slow()).put("signal", s.signal());
      default -> o.put("period", s.period());
    };
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
  }
}
