package io.candlebus.upstream;

import io.candlebus.Addresses;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.candlebus.persistence.CandleBatch;
import io.candlebus.persistence.PersistenceVerticle;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads history over REST at start: for each symbol and interval the last {@code history.limit} closed klines
 * (paging back with {@code endTime}), or, when candles are stored already, everything between the newest stored
 * one and now. Runs in the background, one request at a time, within the REST weight budget; "now" is
 * Binance's server time.
 */
public final class BackfillVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(BackfillVerticle.class);
  static final int PAGE = 1000;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(120_000);
  private static final DeliveryOptions QUERY = new DeliveryOptions().setSendTimeout(30_000);

  private final CandlebusConfig config;
  private final RestWeightLimiter limiter;
  private final MeterRegistry registry;
  /** Binance's close of a window comes a second or two after it ends; the second pass waits that long. */
  static final long STITCH_DELAY_MS = 3_000;
  private final Promise<Void> done = Promise.promise();
  private BinanceRest rest;
  private long serverOffset;
  private volatile boolean stopped;

  /** {@code limiter} is shared by every REST caller of the node: Binance counts weight per IP. */
  public BackfillVerticle(CandlebusConfig config, RestWeightLimiter limiter, MeterRegistry registry) {
    this.config = config;
    this.limiter = limiter;
    this.registry = registry;
  }

  /** Completes when every series was backfilled, twice: at start and once the upstream connected (or logged). */
  public Future<Void> completion() {
    return done.future();
  }

  @Override
  public Future<?> start() {
    // the HTTP client is created here so that it belongs to this verticle's context
    rest = new BinanceRest(vertx, config.binanceRestUrl(), limiter, registry);
    // symbols carried later (a cluster gives this node a symbol) get the same two passes then
    vertx.eventBus().<JsonObject>localConsumer(Addresses.UPSTREAM_SYMBOLS, this::handleSymbols);
    // what is stored is read before the upstream starts (the gateway deploys this verticle first), so a candle
    // the live stream stores meanwhile cannot hide the history or the gap to fetch; if PostgreSQL does not
    // answer, the node starts anyway and the backfill waits for it in the background
    return backfill(config.symbolsAtStart()).map(f -> {
      f.onComplete(ar -> done.tryComplete());
      return null;
    });
  }

  private void handleSymbols(Message<JsonObject> msg) {
    JsonArray add = msg.body().getJsonArray("add");
    if (add != null && !add.isEmpty()) {
      List<String> symbols = new ArrayList<>();
      add.forEach(s -> symbols.add(String.valueOf(s)));
      backfill(symbols);
    }
  }

  /**
   * Reads what is stored for {@code symbols} (the returned future completes then), then fetches the rest in the
   * background (the inner future).
   */
  private Future<Future<Void>> backfill(List<String> symbols) {
    return storedBefore(symbols).transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(run(Future.succeededFuture(ar.result()), symbols));
      }
      log.warn("backfill waits for PostgreSQL: {}", ar.cause().getMessage());
      return Future.succeededFuture(run(storedOnceAvailable(0, symbols), symbols));
    });
  }

  private Future<Void> run(Future<Map<String, Long>> latest, List<String> symbols) {
    return latest.compose(l -> rest.exchangeInfo().compose(info -> backfillAll(info, l, symbols)))
        .compose(this::stitch)
        .recover(e -> {
          if (stopped) {
            log.info("backfill ended with the node ({})", e.toString()); // its HTTP client was closed under it
          } else {
            log.error("backfill stopped: {}", e.toString());
          }
          return Future.succeededFuture();
        });
  }

  /** Asks again with capped backoff until PostgreSQL answers (or the verticle stops). */
  private Future<Map<String, Long>> storedOnceAvailable(int attempt, List<String> symbols) {
    return vertx.timer(retryDelay(attempt)).compose(v -> stopped
        ? Future.failedFuture("stopped before PostgreSQL answered")
        : storedBefore(symbols).recover(e -> storedOnceAvailable(attempt + 1, symbols)));
  }

  private static long retryDelay(int attempt) {
    return Math.min(5_000, 250L << Math.min(attempt, 5));
  }

  /**
   * The newest stored open time per "SYMBOL interval" (absent when none is stored). {@code beforeLive}: if this
   * node already received live candles (the database was down at start), only what is older than the first of
   * them counts, so neither they nor the journal replay can hide the gap before them.
   */
  private Future<Map<String, Long>> storedBefore(List<String> symbols) {
    Map<String, Long> latest = new HashMap<>();
    List<Future<?>> queries = new ArrayList<>();
    for (String symbol : symbols) {
      for (Interval interval : config.intervals()) {
        JsonObject key = new JsonObject().put("symbol", symbol).put("interval", interval.code())
            .put("beforeLive", true);
        queries.add(vertx.eventBus().<JsonObject>request(Addresses.DB_CANDLES_LATEST, key, QUERY).onSuccess(m -> {
          Long t = m.body().getLong("openTime");
          if (t != null) {
            latest.put(symbol + " " + interval.code(), t);
          }
        }));
      }
    }
    return Future.all(queries).map(v -> latest);
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    return rest.close();
  }

  private long serverNow() {
    return System.currentTimeMillis() + serverOffset;
  }

  /**
   * A window that closed after the first pass asked for "now" but before the stream joined is seen by neither:
   * once the upstream is connected (and Binance has closed what ended before that), fetch again from the newest
   * candle of the first pass. From then on the live stream sees every close.
   */
  private Future<Void> stitch(Map<String, Long> newest) {
    return connected(0).compose(up -> {
      if (!up) {
        log.warn("backfill: the upstream did not connect; windows between history and live may be missing until "
            + "the next start");
        return Future.<Void>succeededFuture();
      }
      return vertx.timer(STITCH_DELAY_MS).compose(v -> rest.serverTime()).compose(serverTime -> {
        serverOffset = serverTime - System.currentTimeMillis(); // "closed" is judged by Binance's clock
        Future<Void> chain = Future.succeededFuture();
        for (Map.Entry<String, Long> e : newest.entrySet()) {
          String[] key = e.getKey().split(" ");
          Interval interval = Interval.fromCode(key[1]).orElseThrow();
          Progress p = new Progress(key[0], interval);
          chain = chain.compose(x -> forward(p, interval.nextOpenTime(e.getValue())).<Void>mapEmpty()
              .recover(err -> {
                log.error("backfill {} {} (second pass) failed: {}", key[0], key[1], err.getMessage());
                return Future.succeededFuture();
              }));
        }
        return chain;
      });
    });
  }

  /** True once the upstream reports CONNECTED; false if it did not within about a minute. */
  private Future<Boolean> connected(int attempt) {
    if (stopped || attempt > 120) {
      return Future.succeededFuture(false);
    }
    return vertx.eventBus().<JsonObject>request(Addresses.UPSTREAM_STATUS, null, QUERY)
        .map(m -> "CONNECTED".equals(m.body().getString("state")))
        .otherwise(false)
        .compose(up -> up ? Future.succeededFuture(true)
            : vertx.timer(500).compose(v -> connected(attempt + 1)));
  }

  private Future<Map<String, Long>> backfillAll(JsonObject exchangeInfo, Map<String, Long> latest,
      List<String> symbols) {
    serverOffset = exchangeInfo.getLong("serverTime", System.currentTimeMillis()) - System.currentTimeMillis();
    Set<String> listed = new HashSet<>();
    exchangeInfo.getJsonArray("symbols", new JsonArray())
        .forEach(s -> listed.add(((JsonObject) s).getString("symbol")));
    Map<String, Long> newest = new HashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (String symbol : symbols) {
      if (!listed.contains(symbol)) {
        log.error("symbol {} is not listed in Binance's exchangeInfo: no history for it", symbol);
        continue;
      }
      for (Interval interval : config.intervals()) {
        String key = symbol + " " + interval.code();
        Long stored = latest.get(key);
        chain = chain.compose(v -> backfillOne(symbol, interval, stored).map(t -> {
          if (t != null) {
            newest.put(key, t);
          }
          return (Void) null;
        }).recover(e -> {
          log.error("backfill {} {} failed: {}", symbol, interval, e.getMessage());
          return Future.succeededFuture();
        }));
      }
    }
    return chain.map(v -> {
      log.info("backfill done{}", symbols.equals(config.symbols()) ? "" : " for " + symbols);
      return newest;
    });
  }

  /** Fetches and stores one series; the open time of its newest closed candle then, or null when none. */
  private Future<Long> backfillOne(String symbol, Interval interval, Long latest) {
    Progress p = new Progress(symbol, interval);
    Future<Progress> fetched;
    if (latest != null) {
      fetched = forward(p, interval.nextOpenTime(latest));
    } else {
      fetched = config.historyLimit() == 0 ? Future.succeededFuture(p) : backward(p, serverNow(),
          config.historyLimit());
    }
    return fetched.map(x -> {
      if (p.newest != null) {
        vertx.eventBus().send(Addresses.CANDLES_SEED, p.newest, new DeliveryOptions().setLocalOnly(true));
      }
      if (p.pages > 1) {
        log.info("backfill {} {}: {} candles stored in {} requests", symbol, interval, p.stored, p.pages);
      }
      return p.newest != null ? Long.valueOf(p.newest.openTime()) : latest;
    });
  }

  /** The newest {@code remaining} closed klines ending at {@code end}, page by page towards the past. */
  private Future<Progress> backward(Progress p, long end, int remaining) {
    int ask = Math.min(PAGE, remaining + 1); // +1: the newest row may be the open candle
    return rest.klines(p.symbol, p.interval, null, end, ask, serverNow()).compose(rows -> {
      List<Candle> closed = closedOnly(rows);
      List<Candle> take = closed.subList(Math.max(0, closed.size() - remaining), closed.size());
      return store(p, take).compose(v -> {
        int left = remaining - take.size();
        if (left <= 0 || rows.size() < ask) {
          return Future.succeededFuture(p);
        }
        return backward(p, rows.get(0).openTime() - 1, left);
      });
    });
  }

  /** Every closed kline from {@code start} to now, page by page. */
  private Future<Progress> forward(Progress p, long start) {
    if (start >= serverNow()) {
      return Future.succeededFuture(p);
    }
    return rest.klines(p.symbol, p.interval, start, null, PAGE, serverNow()).compose(rows -> {
      List<Candle> closed = closedOnly(rows);
      return store(p, closed).compose(v -> {
        if (rows.size() < PAGE || closed.size() < rows.size()) {
          return Future.succeededFuture(p);
        }
        return forward(p, p.interval.nextOpenTime(rows.get(rows.size() - 1).openTime()));
      });
    });
  }

  private List<Candle> closedOnly(List<Candle> rows) {
    List<Candle> out = new ArrayList<>(rows.size());
    for (Candle c : rows) {
      if (c.closed()) {
        out.add(c);
      }
    }
    return out;
  }

  private Future<Void> store(Progress p, List<Candle> candles) {
    p.pages++;
    if (candles.isEmpty()) {
      return Future.succeededFuture();
    }
    for (Candle c : candles) {
      if (p.newest == null || c.openTime() > p.newest.openTime()) {
        p.newest = c;
      }
    }
    return upsert(new CandleBatch(candles), 0)
        .map(m -> {
          p.stored += candles.size();
          registry.counter("candlebus_backfill_candles_total").increment(candles.size());
          if (p.pages % 10 == 0) {
            log.info("backfill {} {}: {} candles so far", p.symbol, p.interval, p.stored);
          }
          return null;
        });
  }

  /** PostgreSQL unreachable (503): wait and try again rather than lose the page. */
  private Future<Message<Integer>> upsert(CandleBatch batch, int attempt) {
    return vertx.eventBus().<Integer>request(Addresses.DB_CANDLES_UPSERT, batch, LOCAL).recover(e ->
        !stopped && e instanceof ReplyException r && r.failureCode() == PersistenceVerticle.UNAVAILABLE
            ? vertx.timer(retryDelay(attempt)).compose(v -> upsert(batch, attempt + 1))
            : Future.failedFuture(e));
  }

  private static final class Progress {
    final String symbol;
    final Interval interval;
    int pages;
    long stored;
    Candle newest;

    Progress(String symbol, Interval interval) {
      this.symbol = symbol;
      this.interval = interval;
    }
  }
}
