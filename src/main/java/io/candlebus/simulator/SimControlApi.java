package io.candlebus.simulator;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;

/**
 * The simulator's own control routes under {@code /sim/}, for people driving {@code simulate} by hand and for the
 * soak command. They cost no request weight, are not logged as REST calls and answer JSON; a bad parameter gets
 * 400 with {@code {"error":..,"parameter":..}}.
 */
final class SimControlApi {
  static final int MAX_COUNT = 1_000_000;
  static final int MAX_MALFORMED = 10_000;
  static final long MAX_RETRY_AFTER_S = 3 * 24 * 3600L;  // Binance's longest ban
  static final long MAX_CLOSE_AFTER_MS = 3_600_000L;
  private static final Set<String> POSTS = Set.of("/sim/drop", "/sim/silence", "/sim/skip", "/sim/lose",
      "/sim/shutdown", "/sim/rest-fault", "/sim/malformed", "/sim/depth-skip", "/sim/stale-snapshot",
      "/sim/malformed-depth", "/sim/ticker-refuse", "/sim/ticker-delay", "/sim/symbol-status");

  /** A bad or missing query parameter. */
  private static final class BadParameter extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String name;

    BadParameter(String name, String problem) {
      super("bad parameter '" + name + "': " + problem, null, false, false);
      this.name = name;
    }
  }

  private final BinanceSimulator sim;

  SimControlApi(BinanceSimulator sim) {
    this.sim = sim;
  }

  void mount(Router router) {
    router.post("/sim/drop").handler(this::handleDrop);
    router.post("/sim/silence").handler(this::handleSilence);
    router.post("/sim/skip").handler(rc -> handleHide(rc, false));
    router.post("/sim/lose").handler(rc -> handleHide(rc, true));
    router.post("/sim/shutdown").handler(this::handleShutdown);
    router.post("/sim/rest-fault").handler(this::handleRestFault);
    router.post("/sim/malformed").handler(this::handleMalformed);
    router.post("/sim/depth-skip").handler(this::handleDepthSkip);
    router.post("/sim/stale-snapshot").handler(this::handleStaleSnapshot);
    router.post("/sim/malformed-depth").handler(this::handleMalformedDepth);
    router.post("/sim/ticker-refuse").handler(this::handleTickerRefuse);
    router.post("/sim/ticker-delay").handler(this::handleTickerDelay);
    router.post("/sim/symbol-status").handler(this::handleSymbolStatus);
    router.get("/sim/stats").handler(this::handleStats);
    router.route("/sim/*").handler(this::handleUnknown);
  }

  private void handleDrop(RoutingContext rc) {
    answer(rc, sim.dropAll().map(n -> new JsonObject().put("closed", n)));
  }

  private void handleSilence(RoutingContext rc) {
    answer(rc, sim.silenceOpenConnections().map(n -> new JsonObject().put("silenced", n)));
  }

  private void handleHide(RoutingContext rc, boolean lose) {
    try {
      String symbol = symbol(rc);
      int count = (int) number(rc, "count", 1, MAX_COUNT);
      Future<LongRange> r = lose ? sim.loseNextTrades(symbol, count) : sim.skipNextTrades(symbol, count);
      answer(rc, r.map(range -> new JsonObject().put("symbol", symbol).put(lose ? "lost" : "skipped", count)
          .put("first", range.first()).put("last", range.last())));
    } catch (BadParameter e) {
      badRequest(rc, e);
    }
  }

  private void handleDepthSkip(RoutingContext rc) {
    try {
      String symbol = symbol(rc);
      int count = (int) number(rc, "count", 1, MAX_COUNT);
      answer(rc, sim.skipDepthDiffs(symbol, count).map(n -> new JsonObject().put("symbol", symbol)
          .put("skippedDiffs", n)));
    } catch (BadParameter e) {
      badRequest(rc, e);
    }
  }

  private void handleStaleSnapshot(RoutingContext rc) {
    try {
      String symbol = symbol(rc);
      int count = (int) number(rc, "count", 1, MAX_COUNT);
      answer(rc, sim.staleDepthSnapshots(symbol, count).map(id -> new JsonObject().put("symbol", symbol)
          .put("staleSnapshots", count).put("lastUpdateId", id)));
    } catch (BadParameter e) {
      badRequest(rc, e);
    }
  }

  private void handleShutdown(RoutingContext rc) {
    try {
      long closeAfterMs = number(rc, "closeAfterMs", 0, MAX_CLOSE_AFTER_MS);
      answer(rc, sim.serverShutdown(closeAfterMs)
          .map(n -> new JsonObject().put("notified", n).put("closeAfterMs", closeAfterMs)));
    } catch (BadParameter e) {
      badRequest(rc, e);
    }
  }

  private void handleRestFault(RoutingContext rc) {
    try {
      int status = (int) number(rc, "status", 0, 999);
      if (status != 429 && status != 418) {
        throw new BadParameter("status", "must be 429 or 418");
      }
      long retryAfter = number(rc, "retryAfter", 0, MAX_RETRY_AFTER_S);
      int count = (int) number(rc, "count", 1, MAX_COUNT);
      sim.restFault(status, retryAfter, count);
      reply(rc, 200, new JsonObject().put("status", status).put("retryAfter", retryAfter).put("count", count));
    } catch (BadParameter e) {
      badRequest(rc, e);
    }
  }

  /** {@code status=429|418&retryAfter=S&count=N}: the next N all-symbols ticker/24hr calls are refused. */
  private void handleTickerRefuse(RoutingContext rc) {
    try {
      int status = (int) number(rc, "status", 0, 999);
      if (status != 429 && status != 418) {
        throw new BadParameter("status", "must be 429 or 418");
      }
      long retryAfter = number(rc, "retryAfter", 0, MAX_RETRY_AFTER_S);
      int count = (int) number(rc, "count", 0, MAX_COUNT);
      sim.tickerSnapshotRefuse(status, retryAfter, count);
      reply(rc, 200, new JsonObject().put("status", status).put("retryAfter", retryAfter).put("count", count));
    } catch (BadParameter e) {
      badRequest(rc, e);
    }
  }

  /** {@code delayMs=D&count=N}: the next N all-symbols ticker/24hr answers are sent D ms after they were computed. */
  private void handleTickerDelay(RoutingContext rc) {
    try {
      long delayMs = number(rc, "delayMs", 0, MAX_CLOSE_AFTER_MS);
      int count = (int) number(rc, "count", 0, MAX_COUNT);
      sim.tickerSnapshotDelay(delayMs, count);
      reply(rc, 200, new JsonObject().put("delayMs", delayMs).put("count", count));
    } catch (BadParameter e) {
      badRequest(rc, e);
    }
  }

  /** {@code symbol=S&status=BREAK}: S's status in exchangeInfo from now on (any symbol it lists). */
  private void handleSymbolStatus(RoutingContext rc) {
    try {
      String symbol = rc.queryParams().get("symbol");
      if (symbol == null || symbol.isBlank()) {
        throw new BadParameter("symbol", "missing");
      }
      String upper = symbol.trim().toUpperCase(Locale.ROOT);
      if (sim.symbolStatus(upper) == null) {
        throw new BadParameter("symbol", "not a symbol of exchangeInfo");
      }
      String status = rc.queryParams().get("status");
      if (status == null || status.isBlank()) {
        throw new BadParameter("status", "missing");
      }
      String st = status.trim().toUpperCase(Locale.ROOT);
      if (!st.matches("[A-Z_]{1,32}")) {
        throw new BadParameter("status", "must be letters and '_' (TRADING, BREAK, HALT, ...)");
      }
      // encoding a recorded exchangeInfo again takes tens of ms: not on the event loop
      answer(rc, rc.vertx().executeBlocking(() -> {
        sim.setSymbolStatus(upper, st);
        return new JsonObject().put("symbol", upper).put("status", st);
      }, false));
    } catch (BadParameter e) {
      badRequest(rc, e);
    }
  }

  private void handleMalformed(RoutingContext rc) {
    try {
      int count = (int) number(rc, "count", 1, MAX_MALFORMED);
      long seed = number(rc, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
      answer(rc, sim.injectMalformed(count, seed)
          .map(n -> new JsonObject().put("connections", n).put("frames", count)));
    } catch (BadParameter e) {
      badRequest(rc, e);
    }
  }

  private void handleMalformedDepth(RoutingContext rc) {
    try {
      String symbol = symbol(rc);
      int count = (int) number(rc, "count", 1, MAX_MALFORMED);
      long seed = number(rc, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
      answer(rc, sim.injectMalformedDepth(symbol, count, seed).map(n -> new JsonObject().put("symbol", symbol)
          .put("connections", n).put("frames", count)));
    } catch (BadParameter e) {
      badRequest(rc, e);
    }
  }

  private void handleStats(RoutingContext rc) {
    reply(rc, 200, sim.stats().toJson());
  }

  private void handleUnknown(RoutingContext rc) {
    String path = rc.request().path();
    if (POSTS.contains(path) || path.equals("/sim/stats")) {
      rc.response().putHeader("Allow", path.equals("/sim/stats") ? "GET" : "POST");
      reply(rc, 405, new JsonObject().put("error", "method " + rc.request().method() + " not allowed on " + path));
    } else {
      reply(rc, 404, new JsonObject().put("error", "no control route " + path));
    }
  }

  private String symbol(RoutingContext rc) {
    String s = rc.queryParams().get("symbol");
    if (s == null || s.isBlank()) {
      throw new BadParameter("symbol", "missing");
    }
    String upper = s.toUpperCase(Locale.ROOT);
    if (!sim.options().symbols().contains(upper)) {
      throw new BadParameter("symbol", "not a simulated symbol (have " + sim.options().symbols() + ")");
    }
    return upper;
  }

  private static long number(RoutingContext rc, String name, long min, long max) {
    String s = rc.queryParams().get(name);
    if (s == null || s.isBlank()) {
      throw new BadParameter(name, "missing");
    }
    try {
      long v = Long.parseLong(s.trim());
      if (v < min || v > max) {
        throw new BadParameter(name, "must be from " + min + " to " + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new BadParameter(name, "not an integer: '" + s + "'");
    }
  }

  private static void answer(RoutingContext rc, Future<JsonObject> f) {
    f.onSuccess(body -> reply(rc, 200, body))
        .onFailure(e -> reply(rc, e instanceof IllegalArgumentException ? 400 : 500,
            new JsonObject().put("error", String.valueOf(e.getMessage()))));
  }

  private static void badRequest(RoutingContext rc, BadParameter e) {
    reply(rc, 400, new JsonObject().put("error", e.getMessage()).put("parameter", e.name));
  }

  private static void reply(RoutingContext rc, int status, JsonObject body) {
    if (!rc.response().ended()) {
      rc.response().setStatusCode(status).putHeader("Content-Type", RestApi.JSON).end(body.encode());
    }
  }
}
