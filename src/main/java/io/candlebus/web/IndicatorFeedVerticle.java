package io.candlebus.web;

import io.candlebus.Addresses;
import io.candlebus.MarketJson;
import io.candlebus.domain.Candle;
import io.candlebus.domain.Decimals;
import io.candlebus.indicators.IndicatorEngine;
import io.candlebus.persistence.CandlePages;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live indicator values on {@code market.indicator.<S>.<i>.<name>:<params>}, computed on this node only while one
 * of its browsers is registered there ({@link Addresses#INDICATORS_INTEREST} from the bridges): the warm-up from
 * stored candles, then every change of the candle, at most every {@value #MIN_GAP_MS} ms, and each closed candle.
 * Published local-only: every node serving browsers computes for its own, so two edges never deliver twice.
 *
 * <p>However many feeds browsers ask for, what they cost is bounded ({@link IndicatorFeeds} keeps the books): one
 * candle series and one event-bus consumer per symbol and interval; at most {@value #MAX_READS} warm-up reads at
 * once on the node, so they cannot fill PostgreSQL's pool; one computation at a time on one worker thread of its
 * own, the feeds due taken in turn.
 */
public final class IndicatorFeedVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(IndicatorFeedVerticle.class);
  static final long MIN_GAP_MS = 250;
  static final int MAX_READS = 2;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final MeterRegistry registry;
  private final IndicatorFeeds feeds = new IndicatorFeeds(MAX_READS, MIN_GAP_MS);
  /** Per series ("SYMBOL interval"), its candles' consumer. */
  private final Map<String, MessageConsumer<JsonObject>> candles = new HashMap<>();
  private WorkerExecutor lane;
  private long wakeTimer = -1;
  private long wakeAt;

  public IndicatorFeedVerticle(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    lane = vertx.createSharedWorkerExecutor("candlebus-indicators", 1);
    registry.gauge("candlebus_indicator_feeds", feeds, IndicatorFeeds::feeds);
    return vertx.eventBus().<JsonObject>localConsumer(Addresses.INDICATORS_INTEREST, this::handleInterest)
        .completion();
  }

  @Override
  public Future<?> stop() {
    return lane.close();
  }

  private void handleInterest(Message<JsonObject> m) {
    boolean watch = m.body().getBoolean("watch", false);
    IndicatorAddress.parse(m.body().getString("address")).ifPresent(at -> {
      String series = at.symbol() + " " + at.interval().code();
      if (watch && feeds.watch(at)) {
        candles.put(series, vertx.eventBus().consumer(Addresses.candle(at.symbol(), at.interval()),
            this::handleCandle));
      } else if (!watch && feeds.unwatch(at)) {
        candles.remove(series).unregister();
      }
    });
    startReads();
    pump();
  }

  private void handleCandle(Message<JsonObject> m) {
    feeds.candle(MarketJson.candle(m.body()));
    startReads();
    pump();
  }

  /** Starts the reads waiting, as far as the node's bound allows; each one's end starts the next. */
  private void startReads() {
    for (IndicatorFeeds.Read r = feeds.nextRead(); r != null; r = feeds.nextRead()) {
      IndicatorFeeds.Read read = r;
      CandlePages.before(vertx, r.symbol(), r.interval(), CandlePages.NEWEST, r.count()).onComplete(ar -> {
        if (ar.succeeded()) {
          List<Candle> stored = new ArrayList<>(ar.result().size());
          ar.result().forEach(row -> stored.add(MarketJson.candle(row)));
          feeds.read(read, stored);
        } else {
          long delay = feeds.readFailed(read);
          log.debug("indicators {} {}: stored candles not read ({}), retrying in {} ms", read.symbol(),
              read.interval().code(), ar.cause().getMessage(), delay);
          if (delay > 0) {
            vertx.setTimer(delay, id -> {
              feeds.retry(read);
              startReads();
            });
          }
        }
        startReads();
        pump();
      });
    }
  }

  /** Hands the next value due to the lane, or wakes up when one will be. */
  private void pump() {
    long now = System.currentTimeMillis();
    IndicatorFeeds.Job job = feeds.nextJob(now);
    if (job == null) {
      long at = feeds.nextJobAt(now);
      if (at >= 0 && (wakeTimer < 0 || at < wakeAt)) {
        vertx.cancelTimer(wakeTimer);
        wakeAt = at;
        wakeTimer = vertx.setTimer(Math.max(1, at - now), id -> {
          wakeTimer = -1;
          pump();
        });
      }
      return;
    }
    List<Candle> input = job.candles();
    lane.executeBlocking(() -> IndicatorEngine.compute(input, job.at().spec(), input.size() - 1).get(0))
        .onComplete(ar -> {
          if (feeds.computed(job)) {
            if (ar.succeeded()) {
              publish(job.at(), ar.result(), input.get(input.size() - 1).closed());
            } else {
              log.warn("indicator {} not computed: {}", job.at().address(), ar.cause().toString());
            }
          }
          pump();
        });
  }

  private void publish(IndicatorAddress at, IndicatorEngine.Point p, boolean closed) {
    JsonObject out = new JsonObject().put("symbol", at.symbol()).put("interval", at.interval().code())
        .put("name", at.spec().key()).put("time", p.time()).put("closed", closed);
    for (String field : at.spec().fields()) {
      BigDecimal v = p.values().get(field);
      out.put(field, v == null ? null : Decimals.plain(v));
    }
    vertx.eventBus().publish(at.address(), out, LOCAL);
  }
}
