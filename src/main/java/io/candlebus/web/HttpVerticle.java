package io.candlebus.web;

import io.candlebus.Addresses;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.domain.UserInput;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.candlebus.persistence.PersistenceVerticle;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.sstore.ClusteredSessionStore;
import io.vertx.ext.web.sstore.LocalSessionStore;
import io.vertx.ext.web.sstore.SessionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of a node: login, the page, the JSON API, the SockJS bridge, health, readiness and metrics. Every
 * route but {@code /login}, {@code /api/login}, {@code /health}, {@code /ready} and {@code /public/*} needs a
 * logged-in session; every error becomes a status and a JSON body in {@link #handleFailure}. Deployed as several
 * instances ({@code http.instances}) sharing one listening socket: each serves the connections it accepts on its
 * own event loop, with its own {@link MarketBridge}; what must be one per node is in {@link HttpShared}.
 */
public final class HttpVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HttpVerticle.class);
  private static final DeliveryOptions PROBE = new DeliveryOptions().setSendTimeout(2_000);
  /** Idle time after which a browser session ends. */
  static final long SESSION_TIMEOUT_MS = 8 * 3_600_000L;
  static final int MAX_FRAME = 64 * 1024;

  private final CandlebusConfig config;
  private final PrometheusMeterRegistry registry;
  private final HttpShared shared;
  private OriginPolicy origins;
  private MarketBridge bridge;

  public HttpVerticle(CandlebusConfig config, PrometheusMeterRegistry registry, HttpShared shared) {
    this.config = config;
    this.registry = registry;
    this.shared = shared;
  }

  @Override
  public Future<?> start() {
    origins = new OriginPolicy(config.publicOrigins());
    CarriedSymbols carried = shared.carried();
    carried.addAll(config.symbols());
    MarketCache cache = new MarketCache(vertx.eventBus(), config);
    carried.list().forEach(cache::follow);
    // symbols carried at run time: the routes and the bridge allow them, this instance's cache follows them
    Consumer<JsonArray> carry = symbols -> strings(symbols).forEach(s -> {
      carried.addAll(List.of(s));
      cache.follow(s);
    });
    vertx.eventBus().<JsonArray>consumer(Addresses.SYMBOLS_CHANGED, m -> carry.accept(m.body()));
    vertx.eventBus().<JsonArray>request(Addresses.SYMBOLS_CARRIED, null)
        .onSuccess(m -> carry.accept(m.body())); // added before this node started; none on failure
    bridge = new MarketBridge(vertx, config, registry, shared);
    bridge.start(context);
    shared.add(bridge);
    ConnectionGuard guard = new ConnectionGuard(vertx, config.limits(), registry, shared.connections());
    Router router = Router.router(vertx);
    router.route().handler(guard::handleRequest);
    router.get("/health").handler(this::handleHealth);
    router.get("/ready").handler(this::handleReady);
    // in a cluster, a login made on one node is valid on every node
    SessionStore sessions = vertx.isClustered() ? ClusteredSessionStore.create(vertx) : LocalSessionStore.create(vertx);
    router.route().handler(SessionHandler.create(sessions)
        .setSessionCookieName("candlebus.session")
        .setCookieHttpOnlyFlag(true)
        .setCookieSameSite(CookieSameSite.STRICT)
        .setCookieSecureFlag(config.publicOrigins().stream().allMatch(o -> o.startsWith("https:")))
        .setSessionTimeout(SESSION_TIMEOUT_MS)
        .setLazySession(true)
        .setNagHttps(false));
    new AuthRoutes(vertx, origins, registry, shared.throttle()).mount(router);
    router.route("/public/*").handler(StaticHandler.create("webroot/public"));
    router.route("/eventbus/*").handler(this::handleBridgeGate);
    // XHR transports post their frames; the WebSocket frame limit is set on the server below
    router.post("/eventbus/*").handler(BodyHandler.create(false).setBodyLimit(MAX_FRAME));
    router.get("/eventbus/:server/:session/websocket").handler(this::handleBridgeWebSocket);
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx, new SockJSHandlerOptions()
            .setRegisterWriteHandler(false)
            .setInsertJSESSIONID(false)
            .setLibraryURL("/vendor/sockjs.min.js"))
            .socketHandler(bridge::handleSocket));
    router.route("/api/*").handler(AuthRoutes::requireApiUser);
    router.route("/api/*").handler(this::handleCsrfForChanges);
    CandleSource candles = new CandleSource(vertx, cache);
    new CandlesRoutes(vertx, config, carried, candles).mount(router);
    new IndicatorsRoutes(vertx, config, carried, candles).mount(router);
    new SettingsRoutes(vertx, config, carried).mount(router);
    new AlertsRoutes(vertx, config, carried).mount(router);
    new IndicatorAlertsRoutes(vertx, config, carried).mount(router);
    new MarketsRoutes(vertx).mount(router);
    new DepthRoutes(vertx, config).mount(router);
    new TickersRoutes(vertx, config).mount(router);
    router.get("/metrics").handler(AuthRoutes::requireApiUser).handler(this::handleMetrics);
    router.route().handler(AuthRoutes::requirePageUser);
    router.route().handler(StaticHandler.create("webroot").setIndexPage("index.html"));
    router.route().failureHandler(this::handleFailure);
    HttpServer server = vertx.createHttpServer(guard.configure(new HttpServerOptions()
        .setMaxWebSocketFrameSize(MAX_FRAME).setMaxWebSocketMessageSize(MAX_FRAME)));
    // Vert.x shares a listening socket between instances on the same port; port 0 would give each its own
    // random port, a negative one gives them one random port together
    int port = config.httpPort() == 0 ? -1 : config.httpPort();
    return server.connectionHandler(guard::handleConnection).requestHandler(router).listen(port, config.httpHost())
        .onSuccess(s -> {
          origins.bound(s.actualPort());
          if (shared.listened(s.actualPort())) {
            log.info("HTTP on {}:{} ({} event loops), browsers allowed from {}", config.httpHost(), s.actualPort(),
                config.httpInstances(), origins.origins());
            guard.logLimits();
            new FirstAdmin(vertx).ensure();
          }
        });
  }

  @Override
  public Future<?> stop() {
    shared.remove(bridge);
    bridge.closeAll();
    return Future.succeededFuture();
  }

  private void handleHealth(RoutingContext ctx) {
    json(ctx, 200, new JsonObject().put("status", "UP"));
  }

  private void handleReady(RoutingContext ctx) {
    JsonObject body = new JsonObject();
    Future<String> upstream = vertx.eventBus().<JsonObject>request(Addresses.UPSTREAM_STATUS, null, PROBE)
        .map(m -> {
          body.put("upstream", m.body());
          return "CONNECTED".equals(m.body().getString("state")) ? (String) null
              : "upstream " + m.body().getString("state") + ": " + m.body().getString("reason");
        })
        .otherwise(e -> "upstream: no answer (" + e.getMessage() + ")");
    Future<String> database = vertx.eventBus().request(Addresses.DB_PING, null, PROBE)
        .map(m -> (String) null)
        .otherwise(e -> "database: " + e.getMessage());
    Future<String> recorder = config.depth().recordDir().isEmpty() ? Future.succeededFuture()
        : vertx.eventBus().<JsonObject>request(Addresses.DEPTH_RECORDER_STATUS, null, PROBE)
            .map(m -> {
              body.put("depthRecorder", m.body());
              String problem = m.body().getString("problem");
              return problem == null ? (String) null : "depth recorder: " + problem;
            })
            .otherwise(e -> "depth recorder: no answer (" + e.getMessage() + ")");
    Future.all(upstream, database, recorder).onComplete(ar -> {
      List<String> reasons = new ArrayList<>();
      for (Future<String> f : List.of(upstream, database, recorder)) {
        if (f.result() != null) {
          reasons.add(f.result());
        }
      }
      json(ctx, reasons.isEmpty() ? 200 : 503, body
          .put("status", reasons.isEmpty() ? "READY" : "NOT_READY").put("reasons", new JsonArray(reasons)));
    });
  }

  private void handleMetrics(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
  }

  /** Before SockJS sees the request, on every transport: a logged-in session and an allowed origin. */
  private void handleBridgeGate(RoutingContext ctx) {
    if (!origins.allows(ctx.request())) {
      ctx.fail(ApiError.forbidden("origin not allowed"));
    } else if (AuthRoutes.username(ctx) == null) {
      ctx.fail(ApiError.unauthorized());
    } else {
      ctx.next();
    }
  }

  /**
   * SockJS's WebSocket transport, served by the bridge itself (the other transports go through SockJS); one
   * beyond the caps on sockets per login or per user is answered 429 naming the cap, before any upgrade.
   */
  private void handleBridgeWebSocket(RoutingContext ctx) {
    String username = AuthRoutes.username(ctx);
    if (!ctx.request().canUpgradeToWebSocket()) {
      ctx.response().setStatusCode(400).end("Can \"Upgrade\" only to \"WebSocket\".");
    } else if (ctx.pathParam("server").contains(".") || ctx.pathParam("session").contains(".")) {
      ctx.fail(404);
    } else {
      BridgeSockets.Place place = shared.bridgeSockets().open(ctx.session().id(), username, config.limits());
      if (place.refused() != null) {
        place.refused().count(registry);
        ctx.fail(ApiError.tooManyRequests(place.reason(), 0));
        return;
      }
      ctx.request().toWebSocket().onSuccess(ws -> bridge.handleWebSocket(ws, username, place)).onFailure(e -> {
        place.release();
        ctx.fail(e);
      });
    }
  }

  private void handleCsrfForChanges(RoutingContext ctx) {
    HttpMethod m = ctx.request().method();
    if (m == HttpMethod.GET || m == HttpMethod.HEAD) {
      ctx.next();
    } else {
      AuthRoutes.requireCsrfHeader(ctx);
    }
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    if (a != null) {
      a.stream().filter(Objects::nonNull).forEach(x -> out.add(String.valueOf(x)));
    }
    return out;
  }

  /** Every error of every route becomes a status and a JSON body here. */
  private void handleFailure(RoutingContext ctx) {
    Throwable e = ctx.failure();
    int status;
    String message;
    if (e instanceof UserInput.Bad bad) {
      e = ApiError.badParameter(bad.field(), bad.getMessage());
    } else if (e instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && r.failureCode() == PersistenceVerticle.BAD_REQUEST) {
      e = ApiError.badParameter("body", r.getMessage());
    }
    if (e instanceof ApiError api) {
      status = api.status();
      message = api.getMessage();
      if (api.retryAfterMs() > 0) {
        ctx.response().putHeader("Retry-After", String.valueOf((api.retryAfterMs() + 999) / 1000));
      }
    } else if (e instanceof ReplyException r && (r.failureType() == ReplyFailure.TIMEOUT
        || r.failureType() == ReplyFailure.NO_HANDLERS)) {
      status = 503;
      message = "storage is not answering, try again";
      log.warn("{} {}: {}", ctx.request().method(), ctx.request().path(), e.getMessage());
    } else if (e instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && (r.failureCode() == 404 || r.failureCode() == 409)) {
      status = r.failureCode(); // the store refused: no such alert, or the user has as many as allowed
      message = r.getMessage();
    } else if (e instanceof ReplyException r && r.failureCode() == PersistenceVerticle.UNAVAILABLE) {
      status = 503; // PostgreSQL is away; candles wait in the journal meanwhile
      message = r.getMessage();
      ctx.response().putHeader("Retry-After", "5");
    } else if (e == null) {
      status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      message = switch (status) {
        case 404 -> "no such route";
        case 413 -> "request too large";
        default -> "request failed";
      };
    } else {
      status = 500;
      message = "internal error";
      log.error("{} {} failed", ctx.request().method(), ctx.request().uri(), e);
    }
    if (status == 400) {
      Refusal.BAD_INPUT.count(registry);
    }
    if (!ctx.response().ended()) {
      json(ctx, status, new JsonObject().put("error", message));
    }
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
