package io.candlebus.web;

import io.candlebus.Addresses;
import io.candlebus.domain.UserInput;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.BodyHandler;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login and logout: the form ({@code GET/POST /login}, with a CSRF token), {@code POST /api/login} (JSON),
 * {@code POST /api/logout}, {@code GET /api/session}; and the gates that keep everything else behind a session.
 * Passwords are checked on a worker thread; failures are throttled per username and per address.
 */
final class AuthRoutes {
  private static final Logger log = LoggerFactory.getLogger(AuthRoutes.class);
  static final String USER = "username";
  static final String CSRF = "csrf";
  static final String CSRF_HEADER = "X-CSRF-Token";
  /** As {@code candlebus user add} allows. */
  static final int MAX_USERNAME = 64;
  static final int MAX_PASSWORD = 1_024;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final OriginPolicy origins;
  private final MeterRegistry registry;
  private final PasswordHasher hasher = new PasswordHasher();
  private final LoginThrottle throttle;

  AuthRoutes(Vertx vertx, OriginPolicy origins, MeterRegistry registry, LoginThrottle throttle) {
    this.vertx = vertx;
    this.origins = origins;
    this.registry = registry;
    this.throttle = throttle;
  }

  void mount(Router router) {
    router.get("/login").handler(this::handleLoginPage);
    router.post("/login").handler(BodyHandler.create(false).setBodyLimit(16 * 1024)).handler(this::handleLoginForm);
    router.post("/api/login").handler(BodyHandler.create(false).setBodyLimit(16 * 1024))
        .handler(this::handleApiLogin);
    router.post("/api/logout").handler(AuthRoutes::requireApiUser).handler(AuthRoutes::requireCsrfHeader)
        .handler(this::handleLogout);
    router.get("/api/session").handler(AuthRoutes::requireApiUser).handler(this::handleSession);
  }

  static String username(RoutingContext ctx) {
    Session s = ctx.session();
    return s == null ? null : s.get(USER);
  }

  /** For {@code /api/*}: 401 without a logged-in session. */
  static void requireApiUser(RoutingContext ctx) {
    if (username(ctx) == null) {
      ctx.fail(ApiError.unauthorized());
    } else {
      ctx.next();
    }
  }

  /** For pages: to the login form without a logged-in session. */
  static void requirePageUser(RoutingContext ctx) {
    if (username(ctx) == null) {
      ctx.redirect("/login");
    } else {
      ctx.next();
    }
  }

  /** For state-changing calls of a logged-in page: the session's CSRF token in {@value #CSRF_HEADER}. */
  static void requireCsrfHeader(RoutingContext ctx) {
    String expected = ctx.session() == null ? null : ctx.session().get(CSRF);
    if (expected == null || !expected.equals(ctx.request().getHeader(CSRF_HEADER))) {
      ctx.fail(ApiError.forbidden("missing or wrong " + CSRF_HEADER + " header"));
    } else {
      ctx.next();
    }
  }

  static String csrfToken(Session session) {
    String token = session.get(CSRF);
    if (token == null) {
      byte[] bytes = new byte[24];
      RANDOM.nextBytes(bytes);
      token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      session.put(CSRF, token);
    }
    return token;
  }

  private void handleLoginPage(RoutingContext ctx) {
    if (username(ctx) != null) {
      ctx.redirect("/");
      return;
    }
    String error = ctx.queryParams().contains("error") ? "Wrong username or password." : null;
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(LoginPage.render(csrfToken(ctx.session()), error));
  }

  private void handleLoginForm(RoutingContext ctx) {
    String expected = ctx.session().get(CSRF);
    String given = ctx.request().getFormAttribute("csrf");
    if (expected == null || !expected.equals(given) || !origins.allows(ctx.request())) {
      ctx.fail(ApiError.forbidden("the login form is stale or foreign: reload /login"));
      return;
    }
    String username = ctx.request().getFormAttribute("username");
    String password = ctx.request().getFormAttribute("password");
    authenticate(ctx, username, password).onComplete(ar -> {
      if (ar.succeeded()) {
        startSession(ctx, ar.result());
        ctx.redirect("/");
      } else if (ar.cause() instanceof ApiError e && e.status() == 401) {
        ctx.redirect("/login?error=1");
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  private void handleApiLogin(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("application/json")) {
      ctx.fail(ApiError.unsupportedMediaType("send {\"username\",\"password\"} as application/json"));
      return;
    }
    if (!origins.allows(ctx.request())) {
      ctx.fail(ApiError.forbidden("origin not allowed"));
      return;
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      ctx.fail(ApiError.badParameter("body", "is not a JSON object"));
      return;
    }
    if (body == null || !(body.getValue("username") instanceof String u) || u.isBlank()) {
      ctx.fail(ApiError.badParameter("username", "is required"));
      return;
    }
    if (!(body.getValue("password") instanceof String p)) {
      ctx.fail(ApiError.badParameter("password", "is required"));
      return;
    }
    authenticate(ctx, u, p).onSuccess(name -> {
      startSession(ctx, name);
      ctx.response().setStatusCode(204).end();
    }).onFailure(ctx::fail);
  }

  private void handleLogout(RoutingContext ctx) {
    ctx.session().destroy();
    ctx.response().setStatusCode(204).end();
  }

  private void handleSession(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
        .put("username", username(ctx)).put("csrf", csrfToken(ctx.session())).encode());
  }

  /** A new session id for the logged-in user (no fixation), and a new CSRF token. */
  private static void startSession(RoutingContext ctx, String username) {
    Session s = ctx.session().regenerateId();
    s.put(USER, username);
    s.remove(CSRF);
    csrfToken(s);
  }

  /** The user's name when the password is right; ApiError 401 or 429 otherwise. */
  private Future<String> authenticate(RoutingContext ctx, String username, String password) {
    if (username == null || username.isBlank() || password == null) {
      return Future.failedFuture(ApiError.unauthorized());
    }
    try {
      // no such user can exist, and PostgreSQL refuses a NUL: a 400 naming the field, not a lookup
      UserInput.text("username", username, MAX_USERNAME);
    } catch (UserInput.Bad e) {
      return Future.failedFuture(e);
    }
    if (password.length() > MAX_PASSWORD) {
      return Future.failedFuture(ApiError.badParameter("password", "must be at most " + MAX_PASSWORD
          + " characters long"));
    }
    String address = ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().host();
    LoginThrottle.Decision d = throttle.check(username, address, System.currentTimeMillis());
    if (d.refused()) {
      registry.counter("candlebus_logins_total", "result", "throttled").increment();
      return Future.failedFuture(ApiError.tooManyRequests("too many failed logins, try again later",
          d.retryAfterMs()));
    }
    Future<Void> delay = d.delayMs() > 0 ? vertx.timer(d.delayMs()).mapEmpty() : Future.succeededFuture();
    return delay
        .compose(v -> vertx.eventBus().<JsonObject>request(Addresses.DB_USER_FIND,
            new JsonObject().put(USER, username), QUICK))
        .compose(m -> {
          String hash = m.body().getString("passwordHash");
          return vertx.executeBlocking(() -> hasher.verify(password.toCharArray(), hash), false);
        })
        .compose(ok -> {
          long now = System.currentTimeMillis();
          if (ok) {
            throttle.succeeded(username);
            registry.counter("candlebus_logins_total", "result", "ok").increment();
            return Future.succeededFuture(username);
          }
          throttle.failed(username, address, now);
          registry.counter("candlebus_logins_total", "result", "failed").increment();
          log.info("failed login for \"{}\" from {}", LoginPage.escape(username), address);
          return Future.failedFuture(ApiError.unauthorized());
        });
  }
}
