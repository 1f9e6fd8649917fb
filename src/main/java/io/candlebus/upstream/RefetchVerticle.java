package io.candlebus.upstream;

import io.candlebus.Addresses;
import io.candlebus.MarketJson;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.domain.Candle;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores Binance's kline for each window we closed without all its trades ({@code candles.partial}) unless
 * Binance's stream closed it within {@value #GRACE_MS} ms: a window joined mid-way whose close the stream did not
 * show us (the symbol was taken over from another node after
 * the window ended, or the connection dropped before the close) would otherwise be stored with the wrong open,
 * volume and count, over the backfill's right one. The fetched kline goes the way of every closed candle
 * (memory queue, journal, PostgreSQL) and is published as a correction. If Binance cannot be asked, the partial
 * candle is stored after all, so that the window is not missing.
 */
public final class RefetchVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(RefetchVerticle.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  /** Header on {@code candles.partial}: this is Binance's own close of the window, stored already. */
  public static final String BINANCE_HEADER = "binance";
  static final int MAX_ATTEMPTS = 6;
  /** Binance's stream usually closes the window itself within this: then nothing is fetched. */
  static final long GRACE_MS = 3_000;

  private final CandlebusConfig config;
  private final RestWeightLimiter limiter;
  private final MeterRegistry registry;
  private final Set<String> pending = new HashSet<>();
  private BinanceRest rest;
  private volatile boolean stopped;

  public RefetchVerticle(CandlebusConfig config, RestWeightLimiter limiter, MeterRegistry registry) {
    this.config = config;
    this.limiter = limiter;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    rest = new BinanceRest(vertx, config.binanceRestUrl(), limiter, registry);
    vertx.eventBus().<Candle>localConsumer(Addresses.CANDLES_PARTIAL, this::handlePartial);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    return rest.close();
  }

  private void handlePartial(Message<Candle> msg) {
    Candle partial = msg.body();
    String key = partial.symbol() + " " + partial.interval().code() + " " + partial.openTime();
    if (msg.headers().contains(BINANCE_HEADER)) {
      pending.remove(key);
      return;
    }
    pending.add(key);
    vertx.timer(GRACE_MS).onComplete(t -> {
      if (pending.remove(key)) {
        refetch(partial);
      }
    });
  }

  private void refetch(Candle partial) {
    fetch(partial, 0).onComplete(ar -> {
      Candle c = ar.succeeded() ? ar.result() : partial;
      if (ar.succeeded() && !c.sameValues(partial)) {
        log.info("{} {} at {}: Binance's kline stored, ours lacked trades: ours {} | Binance {}", c.symbol(),
            c.interval().code(), c.openTime(), partial.describe(), c.describe());
      } else if (ar.failed()) {
        log.warn("Binance's {} {} kline at {} could not be fetched ({}); storing ours, which may lack trades",
            partial.symbol(), partial.interval().code(), partial.openTime(), ar.cause().getMessage());
      }
      registry.counter("candlebus_candles_refetched_total", "result", ar.succeeded() ? "binance" : "ours")
          .increment();
      vertx.eventBus().send(Addresses.CANDLES_CLOSED, c, LOCAL);
      if (ar.succeeded()) {
        vertx.eventBus().publish(Addresses.candle(c.symbol(), c.interval()), MarketJson.candle(c));
      }
    });
  }

  /** Binance's closed kline of the window, asked again with a growing pause when the call fails. */
  private Future<Candle> fetch(Candle partial, int attempt) {
    return fetchOnce(partial).recover(e -> attempt + 1 >= MAX_ATTEMPTS || stopped ? Future.failedFuture(e)
        : vertx.timer(1_000L << attempt).compose(v -> fetch(partial, attempt + 1)));
  }

  /** Once Binance's clock is past the window's close (ours may run ahead of it). */
  private Future<Candle> fetchOnce(Candle partial) {
    if (stopped) {
      return Future.failedFuture("stopping");
    }
    return rest.serverTime().compose(serverNow -> serverNow <= partial.closeTime()
        ? vertx.timer(partial.closeTime() - serverNow + 500).compose(v -> fetchOnce(partial))
        : rest.klines(partial.symbol(), partial.interval(), partial.openTime(), partial.openTime(), 1, serverNow)
            .compose(rows -> rows.size() == 1 && rows.get(0).openTime() == partial.openTime()
                && rows.get(0).closed() ? Future.succeededFuture(rows.get(0))
                : Future.failedFuture("Binance has no closed kline at " + partial.openTime())));
  }
}
