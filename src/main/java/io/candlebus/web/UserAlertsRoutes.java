package io.candlebus.web;

import io.candlebus.Addresses;
import io.candlebus.alerts.AlertInput;
import io.candlebus.alerts.AlertJson;
import io.candlebus.alerts.AlertSpec;
import io.candlebus.domain.UserInput;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The alert list under {@code /api/alerts} (beside the minimum prices of {@link AlertsRoutes}):
 * {@code POST} with a {@code kind}, {@code PUT /api/alerts/{id}}, {@code GET /api/alerts/history} and the user's
 * webhook at {@code /api/alerts/webhook}.
 */
final class UserAlertsRoutes {
  static final int MAX_PER_USER = 200;
  private static final int MAX_HISTORY = 1_000;
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final CarriedSymbols carried;

  UserAlertsRoutes(Vertx vertx, CarriedSymbols carried) {
    this.vertx = vertx;
    this.carried = carried;
  }

  /** Before {@link AlertsRoutes}: {@code /api/alerts/webhook} is not an alert id. */
  void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(4 * 1024);
    router.get("/api/alerts/history").handler(this::handleHistory);
    router.get("/api/alerts/webhook").handler(this::handleWebhook);
    router.put("/api/alerts/webhook").handler(body).handler(this::handlePutWebhook);
    router.delete("/api/alerts/webhook").handler(this::handleDeleteWebhook);
    router.put("/api/alerts/:id").handler(body).handler(this::handleUpdate);
  }

  /** {@code POST /api/alerts} with a {@code kind}: a new alert, 201. */
  void create(RoutingContext ctx, JsonObject body) {
    save(ctx, body, null);
  }

  private void handleUpdate(RoutingContext ctx) {
    Long id = AlertsRoutes.pathId(ctx);
    if (id == null) {
      return;
    }
    JsonObject body = ApiError.jsonBody(ctx);
    if (body == null) {
      ctx.fail(ApiError.badParameter("body", "expected an alert as JSON, e.g. {\"kind\":\"crossing_up\","
          + "\"symbol\":\"BTCUSDT\",\"level\":\"50000\"}"));
      return;
    }
    save(ctx, body, id);
  }

  private void save(RoutingContext ctx, JsonObject body, Long id) {
    // a refusal thrown here is a 400 naming the field, from HttpVerticle's failure handler
    AlertSpec spec = AlertInput.parse(id == null ? 0 : id, AuthRoutes.username(ctx), body.getMap(),
        new HashSet<>(carried.list()), System.currentTimeMillis());
    String username = AuthRoutes.username(ctx);
    JsonObject request = AlertsRoutes.user(ctx).put("alert", AlertJson.toJson(spec)).put("limit", MAX_PER_USER);
    if (id != null) {
      request.put("id", id);
    }
    vertx.eventBus().<JsonObject>request(Addresses.DB_USER_ALERT_PUT, request, QUICK).onSuccess(m -> {
      AlertsRoutes.changed(vertx, username);
      json(ctx, id == null ? 201 : 200, m.body().encode());
    }).onFailure(ctx::fail);
  }

  private void handleHistory(RoutingContext ctx) {
    String l = ctx.queryParams().get("limit");
    String b = ctx.queryParams().get("before");
    int limit = l == null ? 100 : UserInput.whole("limit", l, 1, MAX_HISTORY);
    long before = b == null ? Long.MAX_VALUE : UserInput.whole("before", b, 1, Long.MAX_VALUE);
    vertx.eventBus().<JsonArray>request(Addresses.DB_ALERT_HISTORY, AlertsRoutes.user(ctx).put("limit", limit)
        .put("before", before), QUICK).onSuccess(m -> json(ctx, 200, m.body().encode())).onFailure(ctx::fail);
  }

  private void handleWebhook(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.DB_WEBHOOK_GET, AlertsRoutes.user(ctx), QUICK)
        .onSuccess(m -> json(ctx, 200, m.body().encode())).onFailure(ctx::fail);
  }

  private void handlePutWebhook(RoutingContext ctx) {
    JsonObject body = ApiError.jsonBody(ctx);
    String url;
    try {
      url = webhookUrl(body == null ? null : body.getValue("url"));
    } catch (ApiError e) {
      ctx.fail(e);
      return;
    }
    vertx.eventBus().<JsonObject>request(Addresses.DB_WEBHOOK_PUT, AlertsRoutes.user(ctx).put("url", url), QUICK)
        .onSuccess(m -> json(ctx, 200, m.body().encode())).onFailure(ctx::fail);
  }

  private void handleDeleteWebhook(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.DB_WEBHOOK_PUT, AlertsRoutes.user(ctx).putNull("url"), QUICK)
        .onSuccess(m -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  /** An https URL, or http to this machine only (a receiver beside the gateway, or a test's). */
  static String webhookUrl(Object v) {
    if (!(v instanceof String s) || s.isBlank()) {
      throw ApiError.badParameter("url", "expected {\"url\":\"https://...\"}");
    }
    UserInput.text("url", s, 2_000);
    try {
      URI uri = new URI(s.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
      if (host.isEmpty() || uri.getUserInfo() != null || uri.getFragment() != null) {
        throw ApiError.badParameter("url", "must be an absolute URL with a host, no user or fragment");
      }
      if (!scheme.equals("https") && !(scheme.equals("http") && LOOPBACK.contains(host))) {
        throw ApiError.badParameter("url", "must be https (http only to 127.0.0.1 or localhost)");
      }
      return uri.toString();
    } catch (URISyntaxException e) {
      throw ApiError.badParameter("url", "is not a URL: " + e.getReason());
    }
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }
}
