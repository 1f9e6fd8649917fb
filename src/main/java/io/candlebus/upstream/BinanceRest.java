package io.candlebus.upstream;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.candlebus.domain.Trade;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.candlebus.depth.DepthParser;
import io.candlebus.depth.DepthSnapshot;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binance's public REST API, every call through one {@link RestWeightLimiter}. Waits (on a timer, never blocking)
 * when the weight budget is spent or a 429/418 asked for it, and retries Binance-side errors a few times.
 */
public final class BinanceRest {
  private static final Logger log = LoggerFactory.getLogger(BinanceRest.class);
  public static final int WEIGHT_KLINES = 2;
  public static final int WEIGHT_EXCHANGE_INFO = 20;
  public static final int WEIGHT_TIME = 1;
  public static final int WEIGHT_AGG_TRADES = 4;
  public static final int WEIGHT_TICKER_ALL = 80;
  public static final int WEIGHT_TICKER_ONE = 2;
  private static final int MAX_ATTEMPTS = 4;

  private final Vertx vertx;
  private final HttpClient client;
  private final String base;
  private final RestWeightLimiter limiter;
  private final MeterRegistry registry;

  public BinanceRest(Vertx vertx, URI base, RestWeightLimiter limiter, MeterRegistry registry) {
    this.vertx = vertx;
    this.base = base.toString().replaceAll("/+$", "");
    this.limiter = limiter;
    this.registry = registry;
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000)
        .setIdleTimeout(60).setVerifyHost(true));
  }

  public RestWeightLimiter limiter() {
    return limiter;
  }

  /** exchangeInfo; also applies its REQUEST_WEIGHT limit to the limiter. */
  public Future<JsonObject> exchangeInfo() {
    return get("/api/v3/exchangeInfo", WEIGHT_EXCHANGE_INFO).map(b -> {
      JsonObject info = b.toJsonObject();
      applyRateLimits(info);
      return info;
    });
  }

  public Future<Long> serverTime() {
    return get("/api/v3/time", WEIGHT_TIME).map(b -> b.toJsonObject().getLong("serverTime"));
  }

  /** {@code /api/v3/klines}; null bounds are left out. Rows come back as candles, closed or not as given. */
  public Future<List<Candle>> klines(String symbol, Interval interval, Long startTime, Long endTime, int limit,
      long serverNow) {
    StringBuilder q = new StringBuilder("/api/v3/klines?symbol=").append(symbol).append("&interval=")
        .append(interval.code()).append("&limit=").append(limit);
    if (startTime != null) {
      q.append("&startTime=").append(startTime);
    }
    if (endTime != null) {
      q.append("&endTime=").append(endTime);
    }
    return get(q.toString(), WEIGHT_KLINES).map(b -> {
      JsonArray rows = b.toJsonArray();
      List<Candle> out = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        out.add(kline(symbol, interval, rows.getJsonArray(i), serverNow));
      }
      return out;
    });
  }

  /** {@code /api/v3/aggTrades?fromId=} (inclusive), oldest first; REST has no event time, so it is the trade's. */
  public Future<List<Trade>> aggTrades(String symbol, long fromId, int limit) {
    return get("/api/v3/aggTrades?symbol=" + symbol + "&fromId=" + fromId + "&limit=" + limit, WEIGHT_AGG_TRADES)
        .map(b -> {
          JsonArray rows = b.toJsonArray();
          List<Trade> out = new ArrayList<>(rows.size());
          for (int i = 0; i < rows.size(); i++) {
            JsonObject r = rows.getJsonObject(i);
            long time = r.getLong("T");
            out.add(new Trade(symbol, r.getLong("a"), new BigDecimal(r.getString("p")),
                new BigDecimal(r.getString("q")), r.getLong("f"), r.getLong("l"), time, r.getBoolean("m"), time));
          }
          return out;
        });
  }

  /** {@code /api/v3/depth}: the book's best {@code limit} levels a side, weighed by limit as Binance does. */
  public Future<DepthSnapshot> depth(String symbol, int limit) {
    return get("/api/v3/depth?symbol=" + symbol + "&limit=" + limit, depthWeight(limit))
        .map(b -> DepthParser.snapshot(b.toString()));
  }

  /**
   * {@code /api/v3/ticker/24hr} of every market (weight 80), as the raw body. A 429/418 is not waited out and
   * retried, as other calls are, but fails at once (after the limiter took note of the Retry-After): the caller
   * fills the markets one at a time instead.
   */
  public Future<String> ticker24hrAll() {
    Promise<Buffer> result = Promise.promise();
    attempt("/api/v3/ticker/24hr", WEIGHT_TICKER_ALL, 1, false, result);
    return result.future().map(Buffer::toString);
  }

  /** {@code /api/v3/ticker/24hr?symbol=} (weight 2), as the raw body. */
  public Future<String> ticker24hr(String symbol) {
    return get("/api/v3/ticker/24hr?symbol=" + symbol, WEIGHT_TICKER_ONE).map(Buffer::toString);
  }

  /** Binance's weight of {@code /api/v3/depth}: 1–100 levels 5, –500 25, –1000 50, –5000 250. */
  public static int depthWeight(int limit) {
    return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1_000 ? 50 : 250;
  }

  /** One row of the kline array layout (notes §2.3); closed when its close time is before {@code serverNow}. */
  static Candle kline(String symbol, Interval interval, JsonArray r, long serverNow) {
    long open = r.getLong(0);
    long close = r.getLong(6);
    return new Candle(symbol, interval, open, close, new BigDecimal(r.getString(1)), new BigDecimal(r.getString(2)),
        new BigDecimal(r.getString(3)), new BigDecimal(r.getString(4)), new BigDecimal(r.getString(5)),
        new BigDecimal(r.getString(7)), new BigDecimal(r.getString(9)), new BigDecimal(r.getString(10)),
        r.getLong(8), Candle.NO_ID, Candle.NO_ID, close < serverNow);
  }

  private void applyRateLimits(JsonObject info) {
    JsonArray limits = info.getJsonArray("rateLimits", new JsonArray());
    for (int i = 0; i < limits.size(); i++) {
      JsonObject l = limits.getJsonObject(i);
      if ("REQUEST_WEIGHT".equals(l.getString("rateLimitType"))) {
        long unit = switch (l.getString("interval", "MINUTE")) {
          case "SECOND" -> 1_000L;
          case "HOUR" -> 3_600_000L;
          case "DAY" -> 86_400_000L;
          default -> 60_000L;
        };
        limiter.setLimit(l.getInteger("limit"), unit * l.getInteger("intervalNum", 1));
        log.info("REST weight limit {} per {} s (using {}%)", l.getInteger("limit"),
            unit * l.getInteger("intervalNum", 1) / 1000, RestWeightLimiter.BUDGET_PERCENT);
      }
    }
  }

  /** GET with the weight budget, Retry-After and retries of Binance-side errors. */
  Future<Buffer> get(String pathAndQuery, int weight) {
    Promise<Buffer> result = Promise.promise();
    attempt(pathAndQuery, weight, 1, true, result);
    return result.future();
  }

  private void attempt(String pathAndQuery, int weight, int attempt, boolean waitOutRateLimit,
      Promise<Buffer> result) {
    long wait = limiter.tryAcquire(weight, System.currentTimeMillis());
    if (wait > 0) {
      registry.counter("candlebus_rest_waits_total").increment();
      vertx.setTimer(wait, id -> attempt(pathAndQuery, weight, attempt, waitOutRateLimit, result));
      return;
    }
    registry.counter("candlebus_rest_requests_total").increment();
    client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(base + pathAndQuery)
            .setTimeout(10_000))
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(body -> new Answer(resp, body)))
        .onComplete(ar -> {
          if (ar.failed()) {
            retry(pathAndQuery, weight, attempt, waitOutRateLimit, result, ar.cause());
          } else {
            handle(pathAndQuery, weight, attempt, waitOutRateLimit, result, ar.result());
          }
        });
  }

  private void handle(String pathAndQuery, int weight, int attempt, boolean waitOutRateLimit,
      Promise<Buffer> result, Answer a) {
    HttpClientResponse resp = a.response;
    String used = resp.getHeader("X-MBX-USED-WEIGHT-1M");
    if (used != null) {
      try {
        limiter.observeUsed(Integer.parseInt(used.trim()), System.currentTimeMillis());
      } catch (NumberFormatException ignored) {
        // a header we cannot read changes nothing
      }
    }
    int status = resp.statusCode();
    if (status == 200) {
      result.complete(a.body);
    } else if (status == 429 || status == 418) {
      long retryAfterMs = retryAfterMs(resp.getHeader("Retry-After"));
      limiter.blockUntil(System.currentTimeMillis() + retryAfterMs);
      registry.counter("candlebus_rest_rate_limited_total", "status", String.valueOf(status)).increment();
      log.warn("Binance answered {} to {}: no REST call for {} ms", status, pathAndQuery, retryAfterMs);
      if (waitOutRateLimit) {
        attempt(pathAndQuery, weight, attempt, true, result);
      } else {
        result.fail(error(status, a.body));
      }
    } else if (status >= 500) {
      retry(pathAndQuery, weight, attempt, waitOutRateLimit, result, error(status, a.body));
    } else {
      result.fail(error(status, a.body));
    }
  }

  private void retry(String pathAndQuery, int weight, int attempt, boolean waitOutRateLimit,
      Promise<Buffer> result, Throwable cause) {
    if (attempt >= MAX_ATTEMPTS) {
      result.fail(cause);
      return;
    }
    long delay = 500L << attempt;
    log.warn("REST {} failed ({}), attempt {} of {}, retrying in {} ms", pathAndQuery, cause.getMessage(),
        attempt, MAX_ATTEMPTS, delay);
    vertx.setTimer(delay, id -> attempt(pathAndQuery, weight, attempt + 1, waitOutRateLimit, result));
  }

  static long retryAfterMs(String header) {
    try {
      return Math.max(1, Long.parseLong(header.trim())) * 1000;
    } catch (RuntimeException e) {
      return 60_000; // no usable Retry-After: wait a whole weight window
    }
  }

  private static BinanceApiException error(int status, Buffer body) {
    try {
      JsonObject o = body.toJsonObject();
      return new BinanceApiException(status, o.getInteger("code"), o.getString("msg"));
    } catch (RuntimeException notJson) {
      return new BinanceApiException(status, null, body.length() > 200 ? body.getString(0, 200) : body.toString());
    }
  }

  public Future<Void> close() {
    return client.close();
  }

  private record Answer(HttpClientResponse response, Buffer body) {}
}
