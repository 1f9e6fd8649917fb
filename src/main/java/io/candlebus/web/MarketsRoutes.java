package io.candlebus.web;

import io.candlebus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code GET /api/markets}: Binance's symbols, {@code new} where this user had not seen them before. */
final class MarketsRoutes {
  private static final DeliveryOptions SLOW = new DeliveryOptions().setSendTimeout(30_000);

  private final Vertx vertx;

  MarketsRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  void mount(Router router) {
    router.get("/api/markets").handler(this::handleMarkets);
  }

  private void handleMarkets(RoutingContext ctx) {
    String username = AuthRoutes.username(ctx);
    vertx.eventBus().<JsonArray>request(Addresses.EXCHANGE_SYMBOLS, null, SLOW).compose(m -> {
      JsonArray symbols = m.body();
      List<String> names = new ArrayList<>(symbols.size());
      symbols.forEach(s -> names.add(((JsonObject) s).getString("symbol")));
      JsonObject seen = new JsonObject().put("username", username).put("symbols", new JsonArray(names));
      return vertx.eventBus().<JsonObject>request(Addresses.DB_MARKETS_SEEN, seen, SLOW).map(r -> {
        Set<Object> fresh = new HashSet<>(r.body().getJsonArray("fresh").getList());
        JsonArray out = new JsonArray();
        symbols.forEach(s -> {
          JsonObject o = ((JsonObject) s).copy();
          out.add(o.put("new", fresh.contains(o.getString("symbol"))));
        });
        return out;
      });
    }).onSuccess(out -> ctx.response().putHeader("Content-Type", "application/json").end(out.encode()))
        .onFailure(ctx::fail);
  }
}
