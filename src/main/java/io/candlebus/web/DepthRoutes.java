package io.candlebus.web;

import io.candlebus.Addresses;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.config.DepthSettings;
import io.candlebus.domain.UserInput;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/depth?symbol=S[&limit=N]}: the local order book of a {@code depth.symbols} entry, best first. */
final class DepthRoutes {
  static final int DEFAULT_LIMIT = 100;
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final CandlebusConfig config;

  DepthRoutes(Vertx vertx, CandlebusConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  void mount(Router router) {
    router.get("/api/depth").handler(this::handleDepth);
  }

  private void handleDepth(RoutingContext ctx) {
    String raw = ctx.queryParams().get("symbol");
    if (raw == null || raw.isBlank()) {
      ctx.fail(ApiError.badParameter("symbol", "is required"));
      return;
    }
    String symbol = UserInput.symbol("symbol", raw);
    if (!config.depth().symbols().contains(symbol)) {
      ctx.fail(ApiError.notFound("no order book for " + symbol + " (books are kept for depth.symbols: "
          + (config.depth().enabled() ? String.join(",", config.depth().symbols()) : "none") + ")"));
      return;
    }
    String l = ctx.queryParams().get("limit");
    int limit = l == null ? DEFAULT_LIMIT : UserInput.whole("limit", l, 1, DepthSettings.MAX_SNAPSHOT_LIMIT);
    vertx.eventBus().<JsonObject>request(Addresses.depthBook(symbol), new JsonObject().put("limit", limit), QUICK)
        .onSuccess(m -> ctx.response().putHeader("Content-Type", "application/json").end(m.body().encode()))
        .onFailure(e -> ctx.fail(e instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE
            ? ApiError.unavailable(r.getMessage())
            : ApiError.unavailable("no node keeps the order book of " + symbol + " right now, try again")));
  }
}
