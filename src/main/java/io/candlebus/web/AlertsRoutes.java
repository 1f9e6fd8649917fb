package io.candlebus.web;

import io.candlebus.Addresses;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.domain.UserInput;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.math.BigDecimal;

/**
 * {@code /api/alerts}: the logged-in user's alerts. The minimum prices (at most one per symbol, the first API:
 * {@code POST {symbol, price}}) are listed with {@code kind: "minimum"}; a {@code POST} with a {@code kind} is one
 * of the alert list ({@link UserAlertsRoutes}). A {@code DELETE} removes either: their ids never meet.
 */
final class AlertsRoutes {
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final CandlebusConfig config;
  private final CarriedSymbols carried;
  private final UserAlertsRoutes list;

  AlertsRoutes(Vertx vertx, CandlebusConfig config, CarriedSymbols carried) {
    this.vertx = vertx;
    this.config = config;
    this.carried = carried;
    this.list = new UserAlertsRoutes(vertx, carried);
  }

  /** Mounted behind the session and CSRF gates. */
  void mount(Router router) {
    list.mount(router);
    router.get("/api/alerts").handler(this::handleList);
    router.post("/api/alerts").handler(BodyHandler.create(false).setBodyLimit(4 * 1024)).handler(this::handlePut);
    router.delete("/api/alerts/:id").handler(this::handleDelete);
  }

  private void handleList(RoutingContext ctx) {
    vertx.eventBus().<JsonArray>request(Addresses.DB_ALERTS_LIST, user(ctx), QUICK).compose(minimums -> vertx
        .eventBus().<JsonArray>request(Addresses.DB_USER_ALERTS_LIST, user(ctx), QUICK).map(others -> {
          JsonArray out = new JsonArray();
          minimums.body().forEach(a -> out.add(((JsonObject) a).copy().put("kind", "minimum")));
          others.body().forEach(out::add);
          return out;
        })).onSuccess(all -> json(ctx, 200, all.encode())).onFailure(ctx::fail);
  }

  private void handlePut(RoutingContext ctx) {
    JsonObject body = ApiError.jsonBody(ctx);
    if (body == null) {
      ctx.fail(ApiError.badParameter("body", "expected {\"symbol\":\"BTCUSDT\",\"price\":\"49000\"}"));
      return;
    }
    if (body.getValue("kind") != null && !"minimum".equals(body.getValue("kind"))) {
      list.create(ctx, body);
      return;
    }
    body.remove("kind");
    String symbol = UserInput.symbol("symbol", body.getValue("symbol"));
    if (!carried.contains(symbol)) {
      ctx.fail(ApiError.badParameter("symbol", "must be one of " + String.join(",", carried.list())));
      return;
    }
    BigDecimal price = UserInput.positiveDecimal("price", body.getValue("price"));
    String username = AuthRoutes.username(ctx);
    JsonObject request = user(ctx).put("symbol", symbol).put("price", price.toPlainString());
    vertx.eventBus().<JsonObject>request(Addresses.DB_ALERT_PUT, request, QUICK)
        .onSuccess(m -> {
          changed(vertx, username);
          json(ctx, 200, m.body().encode());
        })
        .onFailure(ctx::fail);
  }

  private void handleDelete(RoutingContext ctx) {
    deleteOwn(vertx, ctx, Addresses.DB_ALERT_DELETE, "alert");
  }

  /**
   * {@code DELETE .../:id} of one of the user's own alerts through {@code address} ({@code {username, id}} →
   * {@code {deleted}}): 204, 404 naming {@code what}, 400 for an id that is not a number; the evaluators reload.
   */
  static void deleteOwn(Vertx vertx, RoutingContext ctx, String address, String what) {
    Long id = pathId(ctx);
    if (id == null) {
      return;
    }
    String username = AuthRoutes.username(ctx);
    vertx.eventBus().<JsonObject>request(address, user(ctx).put("id", id), QUICK)
        .onSuccess((Message<JsonObject> m) -> {
          if (!m.body().getBoolean("deleted")) {
            ctx.fail(ApiError.notFound("no " + what + " " + id));
            return;
          }
          changed(vertx, username);
          ctx.response().setStatusCode(204).end();
        })
        .onFailure(ctx::fail);
  }

  /** The {@code :id} of an alert route, or null once the request failed with 400 naming it. */
  static Long pathId(RoutingContext ctx) {
    try {
      return UserInput.whole("id", ctx.pathParam("id"), 1, Long.MAX_VALUE);
    } catch (UserInput.Bad e) {
      ctx.fail(e);
      return null;
    }
  }

  /** The user's alerts changed: every evaluator reloads them. */
  static void changed(Vertx vertx, String username) {
    vertx.eventBus().publish(Addresses.ALERT_RULES_CHANGED, new JsonObject().put("username", username));
  }

  static JsonObject user(RoutingContext ctx) {
    return new JsonObject().put("username", AuthRoutes.username(ctx));
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }
}
