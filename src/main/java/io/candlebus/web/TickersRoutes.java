package io.candlebus.web;

import io.candlebus.Addresses;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.domain.UserInput;
import io.candlebus.tickers.TickerBoard;
import io.candlebus.tickers.TickerWindow;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code GET /api/tickers[?quote=Q][&sort=change|volume|symbol][&limit=N][&window=24h|1h|4h|1d]}: the all-market
 * board from the node keeping it, one entry per market that has a value. Sorted by quote volume unless asked
 * otherwise (change and volume descending, symbol ascending). {@code X-Markets} and {@code X-Markets-Covered}
 * tell how many markets Binance lists and how many have a value yet.
 */
final class TickersRoutes {
  static final int MAX_LIMIT = 10_000;
  private static final Pattern QUOTE = Pattern.compile("[A-Z0-9]{1,20}");
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final CandlebusConfig config;

  TickersRoutes(Vertx vertx, CandlebusConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  void mount(Router router) {
    router.get("/api/tickers").handler(this::handleTickers);
  }

  private void handleTickers(RoutingContext ctx) {
    JsonObject q = new JsonObject();
    String quote = ctx.queryParams().get("quote");
    if (quote != null) {
      String upper = quote.trim().toUpperCase(Locale.ROOT);
      if (!QUOTE.matcher(upper).matches()) {
        ctx.fail(ApiError.badParameter("quote", "\"" + quote + "\" is not an asset (letters and digits, e.g. USDT)"));
        return;
      }
      q.put("quote", upper);
    }
    String sort = ctx.queryParams().get("sort");
    TickerBoard.Sort s = TickerBoard.Sort.VOLUME;
    if (sort != null) {
      try {
        s = TickerBoard.Sort.valueOf(sort.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        ctx.fail(ApiError.badParameter("sort", "\"" + sort + "\" is not one of change, volume, symbol"));
        return;
      }
    }
    q.put("sort", s.name());
    String limit = ctx.queryParams().get("limit");
    if (limit != null) {
      q.put("limit", UserInput.whole("limit", limit, 1, MAX_LIMIT));
    }
    String window = ctx.queryParams().get("window");
    if (window != null) {
      TickerWindow w = TickerWindow.fromCode(window.trim()).orElse(null);
      if (w == null || !config.tickers().allWindows().contains(w)) {
        ctx.fail(ApiError.badParameter("window", "\"" + window + "\" is not one of " + String.join(", ",
            config.tickers().allWindows().stream().map(TickerWindow::code).toList()) + " (tickers.windows)"));
        return;
      }
      q.put("window", w.code());
    }
    if (!config.tickers().enabled()) {
      ctx.fail(ApiError.unavailable("the ticker board is off (tickers = false)"));
      return;
    }
    vertx.eventBus().<JsonObject>request(Addresses.TICKERS_QUERY, q, QUICK)
        .onSuccess(m -> ctx.response().putHeader("Content-Type", "application/json")
            .putHeader("X-Markets", String.valueOf(m.body().getInteger("markets")))
            .putHeader("X-Markets-Covered", String.valueOf(m.body().getInteger("covered")))
            .end(m.body().getJsonArray("tickers").encode()))
        .onFailure(e -> ctx.fail(e instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE
            ? ApiError.unavailable(r.getMessage())
            : ApiError.unavailable("no node keeps the ticker board right now, try again")));
  }
}
