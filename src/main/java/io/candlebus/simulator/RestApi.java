package io.candlebus.simulator;

import io.candlebus.domain.Interval;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binance's public REST market-data endpoints, answered from the same trade histories as the streams. Every
 * answer carries {@code X-MBX-USED-WEIGHT-1M}; weight, bans and injected refusals are {@link RestGuard}'s. Weights
 * as in the notes §2.3 and §6: ping/time 1, klines 2, aggTrades 4, ticker/price 2 (one symbol) or 4, depth
 * 5/25/50/250 by limit (≤100/≤500/≤1000/more), ticker/24hr 2 for {@code symbol}, 2/40/80 for {@code symbols} of
 * 1–20/21–100/more entries and 80 for every symbol, exchangeInfo 20, anything else 1.
 *
 * <p>{@code /api/v3/ticker/24hr} ({@code type=FULL}, the default, or {@code MINI}) is {@link TickerEngine}'s 24 h
 * statistics at the request's simulated now, so its closeTime equals the E of the {@code !miniTicker@arr} items
 * that carry the same values. bid/ask are the symbol's book when it is live (see {@link DepthEngine}), else the
 * last price with quantity 0. An all-symbols call leaves out symbols that never traded; may be refused
 * ({@link RestGuard}) or answered late ({@link TickerFaults}).
 */
final class RestApi {
  private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
  static final String WEIGHT_HEADER = "X-MBX-USED-WEIGHT-1M";
  static final String JSON = "application/json;charset=UTF-8";
  static final int DEPTH_DEFAULT_LIMIT = 100;
  static final int DEPTH_MAX_LIMIT = 5_000;
  static final String TICKER_24HR = "/api/v3/ticker/24hr";

  private final Vertx vertx;
  private final SimClock clock;
  private final Map<String, TradeHistory> histories;
  private final KlineArchive archive;
  private final ExchangeInfo exchangeInfo;
  private final RestGuard guard;
  private final DepthEngine depth;
  private final TradeFaults faults;
  private final TickerEngine tickers;
  private final TickerFaults tickerFaults;

  RestApi(Vertx vertx, SimClock clock, Map<String, TradeHistory> histories, KlineArchive archive,
      ExchangeInfo exchangeInfo, RestGuard guard, TradeFaults faults, DepthEngine depth, TickerEngine tickers,
      TickerFaults tickerFaults) {
    this.tickers = tickers;
    this.tickerFaults = tickerFaults;
    this.depth = depth;
    this.vertx = vertx;
    this.clock = clock;
    this.histories = histories;
    this.archive = archive;
    this.exchangeInfo = exchangeInfo;
    this.guard = guard;
    this.faults = faults;
  }

  /** The REST routes, after the simulator's own control routes (which cost no weight). */
  Router router(SimControlApi control) {
    Router router = Router.router(vertx);
    control.mount(router);
    router.route().handler(guard::handle);
    router.get("/api/v3/ping").handler(this::handlePing);
    router.get("/api/v3/time").handler(this::handleTime);
    router.get("/api/v3/exchangeInfo").handler(this::handleExchangeInfo);
    router.get("/api/v3/klines").handler(this::handleKlines);
    router.get("/api/v3/aggTrades").handler(this::handleAggTrades);
    router.get("/api/v3/ticker/price").handler(this::handleTickerPrice);
    router.get(TICKER_24HR).handler(this::handleTicker24hr);
    router.get("/api/v3/depth").handler(this::handleDepth);
    router.route().failureHandler(this::handleFailure);
    return router;
  }

  /** The weight of a request to {@code path} with these (decoded) query parameters. */
  static int weightOf(String path, MultiMap params) {
    if (path.equals("/api/v3/depth")) {
      String limit = params.get("limit");
      int l = limit == null || !limit.matches("\\d{1,6}") ? DEPTH_DEFAULT_LIMIT : Integer.parseInt(limit);
      return l <= 100 ? 5 : l <= 500 ? 25 : l <= 1000 ? 50 : 250;
    }
    if (path.equals(TICKER_24HR)) {
      if (params.contains("symbol")) {
        return 2;
      }
      if (!params.contains("symbols")) {
        return 80;
      }
      int n = symbolCount(params.get("symbols"));
      return n <= 20 ? 2 : n <= 100 ? 40 : 80;
    }
    return switch (path) {
      case "/api/v3/klines" -> 2;
      case "/api/v3/aggTrades" -> 4;
      case "/api/v3/exchangeInfo" -> 20;
      case "/api/v3/ticker/price" -> params.contains("symbol") ? 2 : 4;
      default -> 1;
    };
  }

  /** A 24 h ticker call for every symbol (neither symbol nor symbols): weight 80, and what TickerFaults hit. */
  static boolean allSymbolsTicker(String path, boolean hasSymbol, boolean hasSymbols) {
    return path.equals(TICKER_24HR) && !hasSymbol && !hasSymbols;
  }

  /** Entries of a {@code symbols=["A","B"]} parameter; 1 when it is no JSON array (it is refused anyway). */
  private static int symbolCount(String raw) {
    try {
      return new JsonArray(raw).size();
    } catch (RuntimeException e) {
      return 1;
    }
  }

  /**
   * {@code /api/v3/ticker/24hr}: {@code symbol=S} one object, {@code symbols=[..]} an array in that order, neither
   * every simulated symbol that has traded; {@code type} FULL (default) or MINI. Both symbol and symbols: -1128.
   */
  private void handleTicker24hr(RoutingContext rc) {
    try {
      RestParams p = new RestParams(rc.queryParams());
      boolean one = rc.queryParams().contains("symbol");
      boolean some = rc.queryParams().contains("symbols");
      if (one && some) {
        throw BinanceError.badRequest(-1128, "Combination of optional parameters invalid.");
      }
      String type = rc.queryParams().get("type");
      boolean mini = "MINI".equals(type);
      if (type != null && !mini && !"FULL".equals(type)) {
        throw BinanceError.badRequest(-1130, "Data sent for parameter 'type' is not valid.");
      }
      long now = clock.now();
      if (one) {
        String symbol = p.symbol(tickers::has);
        TickerStats s = tickers.stats(symbol, now);
        reply(rc, 200, ticker(s == null ? TickerStats.never(symbol, now, TickerEngine.DAY_MS) : s, mini).encode());
        return;
      }
      List<TickerStats> stats = new ArrayList<>();
      if (some) {
        for (String symbol : p.symbols(tickers::has)) {
          TickerStats s = tickers.stats(symbol, now);
          if (s != null) {
            stats.add(s);
          }
        }
      } else {
        stats = tickers.all(now);
      }
      // the values (and the books' tops) are taken now, on the loop; 1 500 of them encode (~750 KB) on a worker
      List<TickerStats.Top> tops = new ArrayList<>(stats.size());
      stats.forEach(s -> tops.add(mini ? null : tickers.top(s.symbol())));
      List<TickerStats> taken = stats;
      long delay = some ? 0 : tickerFaults.takeDelayMs();
      vertx.executeBlocking(() -> {
        JsonArray out = new JsonArray();
        for (int i = 0; i < taken.size(); i++) {
          out.add(mini ? taken.get(i).restMini() : taken.get(i).restFull(tops.get(i)));
        }
        return out.encode();
      }, false).onSuccess(body -> {
        if (delay > 0) {
          vertx.setTimer(delay, id -> reply(rc, 200, body));  // computed on arrival, told later: older than the stream
        } else {
          reply(rc, 200, body);
        }
      }).onFailure(e -> fail(rc, e));
    } catch (BinanceError e) {
      fail(rc, e);
    }
  }

  private JsonObject ticker(TickerStats s, boolean mini) {
    return mini ? s.restMini() : s.restFull(tickers.top(s.symbol()));
  }

  /** {@code /api/v3/depth}: limit default 100, at most 5000 (more is cut to 5000, as Binance does). */
  private void handleDepth(RoutingContext rc) {
    try {
      RestParams p = new RestParams(rc.queryParams());
      String symbol = p.symbol(histories::containsKey);
      Long limit = p.number("limit");
      if (limit != null && limit < 1) {
        throw BinanceError.badRequest(-1130, "Data sent for parameter 'limit' is not valid.");
      }
      int n = limit == null ? DEPTH_DEFAULT_LIMIT : (int) Math.min(DEPTH_MAX_LIMIT, limit);
      reply(rc, 200, depth.snapshot(symbol, n).encode());
    } catch (BinanceError e) {
      fail(rc, e);
    }
  }

  private void handlePing(RoutingContext rc) {
    reply(rc, 200, "{}");
  }

  private void handleTime(RoutingContext rc) {
    reply(rc, 200, new JsonObject().put("serverTime", clock.now()).encode());
  }

  private void handleExchangeInfo(RoutingContext rc) {
    try {
      RestParams p = new RestParams(rc.queryParams());
      List<String> wanted = rc.queryParams().contains("symbol")
          ? List.of(p.symbol(exchangeInfo::has)) : p.symbols(exchangeInfo::has);
      long now = clock.now();
      if (wanted == null) {
        reply(rc, 200, exchangeInfo.render(now));
      } else {
        vertx.executeBlocking(() -> exchangeInfo.render(now, new HashSet<>(wanted)), false)
            .onSuccess(body -> reply(rc, 200, body))
            .onFailure(e -> fail(rc, e));
      }
    } catch (BinanceError e) {
      fail(rc, e);
    }
  }

  private void handleKlines(RoutingContext rc) {
    Future<JsonArray> answer;
    try {
      RestParams p = new RestParams(rc.queryParams());
      String symbol = p.symbol(s -> histories.containsKey(s) || archive != null && archive.has(s));
      Interval interval = p.interval();
      Long start = p.time("startTime");
      Long end = p.time("endTime");
      int limit = p.limit();
      p.utcOnly();
      if (archive != null && archive.has(symbol)) {
        JsonArray rows = new JsonArray();
        archive.klines(symbol, interval, start, end, limit).forEach(r -> rows.add(r.toJson()));
        answer = Future.succeededFuture(rows);
      } else {
        TradeHistory h = histories.get(symbol);
        long now = clock.now();
        answer = vertx.executeBlocking(() -> {
          h.advanceTo(now);
          JsonArray rows = new JsonArray();
          HistoryKlines.klines(h, interval, now, start, end, limit).forEach(c -> rows.add(BinanceJson.klineRow(c)));
          return rows;
        }, false);
      }
    } catch (BinanceError e) {
      answer = Future.failedFuture(e);
    }
    answer.onSuccess(rows -> reply(rc, 200, rows.encode())).onFailure(e -> fail(rc, e));
  }

  private void handleAggTrades(RoutingContext rc) {
    try {
      RestParams p = new RestParams(rc.queryParams());
      TradeHistory h = histories.get(p.symbol(histories::containsKey));
      Long fromId = p.number("fromId");
      Long start = p.time("startTime");
      Long end = p.time("endTime");
      int limit = p.limit();
      if (fromId != null && (start != null || end != null)) {
        throw BinanceError.badRequest(-1128, "Combination of optional parameters invalid.");
      }
      long now = clock.now();
      h.advanceTo(now);
      long upTo = end == null ? now : Math.min(end, now);
      var trades = faults.withoutLost(h.symbol(), limit, fromId == null && start == null, n ->
          fromId != null ? h.fromId(fromId, n).stream().filter(t -> t.time() <= now).toList()
          : start != null ? h.fromTime(start, upTo, n)
          : h.latest(upTo, n));
      JsonArray out = new JsonArray();
      trades.forEach(t -> out.add(BinanceJson.aggTradeRest(t)));
      reply(rc, 200, out.encode());
    } catch (BinanceError e) {
      fail(rc, e);
    }
  }

  private void handleTickerPrice(RoutingContext rc) {
    try {
      RestParams p = new RestParams(rc.queryParams());
      long now = clock.now();
      if (rc.queryParams().contains("symbol")) {
        reply(rc, 200, price(p.symbol(histories::containsKey), now).encode());
        return;
      }
      List<String> wanted = p.symbols(histories::containsKey);
      JsonArray out = new JsonArray();
      (wanted == null ? List.copyOf(histories.keySet()) : wanted).forEach(s -> out.add(price(s, now)));
      reply(rc, 200, out.encode());
    } catch (BinanceError e) {
      fail(rc, e);
    }
  }

  private JsonObject price(String symbol, long now) {
    TradeHistory h = histories.get(symbol);
    h.advanceTo(now);
    String price = h.priceBefore(now + 1).map(BinanceJson::dec8).orElse("0.00000000");
    return new JsonObject().put("symbol", symbol).put("price", price);
  }

  private void handleFailure(RoutingContext rc) {
    fail(rc, rc.failure() != null ? rc.failure()
        : new BinanceError(rc.statusCode(), -1000, "HTTP status " + rc.statusCode() + "."));
  }

  private void fail(RoutingContext rc, Throwable e) {
    if (e instanceof BinanceError b) {
      reply(rc, b.status(), BinanceJson.error(b.code(), b.getMessage()).encode());
    } else {
      LOG.error("REST {} failed", rc.request().uri(), e);
      reply(rc, 500, BinanceJson.error(-1000, "An unknown error occurred while processing the request.").encode());
    }
  }

  private static void reply(RoutingContext rc, int status, String body) {
    if (!rc.response().ended()) {
      rc.response().setStatusCode(status).putHeader("Content-Type", JSON).end(body);
    }
  }
}
