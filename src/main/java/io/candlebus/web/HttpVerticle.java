package io.candlebus.web;

import io.candlebus.Addresses;
import io.candlebus.config.CandlebusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP API of SPEC.md: candles (JSON and CSV), symbols, health, readiness and metrics. */
public final class HttpVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HttpVerticle.class);
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(5_000);
  private static final DeliveryOptions PROBE = new DeliveryOptions().setSendTimeout(2_000);

  private final CandlebusConfig config;
  private final PrometheusMeterRegistry registry;
  private MarketCache cache;
  private HttpServer server;

  public HttpVerticle(CandlebusConfig config, PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  /** The bound port (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    cache = new MarketCache(vertx.eventBus(), config);
    Router router = Router.router(vertx);
    router.get("/health").handler(this::handleHealth);
    router.get("/ready").handler(this::handleReady);
    router.get("/metrics").handler(this::handleMetrics);
    router.get("/api/candles").handler(this::handleCandles);
    router.get("/api/candles.csv").handler(this::handleCandlesCsv);
    router.get("/api/symbols").handler(this::handleSymbols);
    router.route().failureHandler(this::handleFailure);
    server = vertx.createHttpServer();
    return server.requestHandler(router).listen(config.httpPort(), config.httpHost())
        .onSuccess(s -> log.info("HTTP on {}:{}", config.httpHost(), s.actualPort()));
  }

  private void handleHealth(RoutingContext ctx) {
    json(ctx, 200, new JsonObject().put("status", "UP"));
  }

  private void handleReady(RoutingContext ctx) {
    Future<String> upstream = vertx.eventBus().<JsonObject>request(Addresses.UPSTREAM_STATUS, null, PROBE)
        .map(m -> "CONNECTED".equals(m.body().getString("state")) ? null
            : "upstream " + m.body().getString("state") + ": " + m.body().getString("reason"))
        .otherwise(e -> "upstream: no answer (" + e.getMessage() + ")");
    Future<String> database = vertx.eventBus().request(Addresses.DB_PING, null, PROBE)
        .map(m -> (String) null)
        .otherwise(e -> "database: " + e.getMessage());
    Future.all(upstream, database).onComplete(ar -> {
      List<String> reasons = new ArrayList<>();
      for (Future<String> f : List.of(upstream, database)) {
        if (f.result() != null) {
          reasons.add(f.result());
        }
      }
      json(ctx, reasons.isEmpty() ? 200 : 503, new JsonObject().put("status", reasons.isEmpty() ? "READY" : "NOT_READY")
          .put("reasons", new JsonArray(reasons)));
    });
  }

  private void handleMetrics(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
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
    json(ctx, 200, out);
  }

  /** Every error of every route becomes a status and a JSON body here. */
  private void handleFailure(RoutingContext ctx) {
    Throwable e = ctx.failure();
    int status;
    String message;
    if (e instanceof ApiError api) {
      status = api.status();
      message = api.getMessage();
    } else if (e instanceof ReplyException r && (r.failureType() == ReplyFailure.TIMEOUT
        || r.failureType() == ReplyFailure.NO_HANDLERS)) {
      status = 503;
      message = "storage is not answering, try again";
      log.warn("{} {}: {}", ctx.request().method(), ctx.request().path(), e.getMessage());
    } else if (e == null) {
      status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      message = status == 404 ? "no such route" : "request failed";
    } else {
      status = 500;
      message = "internal error";
      log.error("{} {} failed", ctx.request().method(), ctx.request().uri(), e);
    }
    json(ctx, status, new JsonObject().put("error", message));
  }

  private static void json(RoutingContext ctx, int status, Object body) {
    String text = body instanceof JsonObject o ? o.encode() : ((JsonArray) body).encode();
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(text);
  }
}
