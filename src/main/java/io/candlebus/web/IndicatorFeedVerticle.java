package io.candlebus.web;

import io.candlebus.Addresses;
import io.candlebus.MarketJson;
import io.candlebus.domain.Candle;
import io.candlebus.domain.Decimals;
import io.candlebus.indicators.IndicatorEngine;
import io.candlebus.indicators.IndicatorSeries;
import io.candlebus.persistence.CandlePages;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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
 */
public final class IndicatorFeedVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(IndicatorFeedVerticle.class);
  static final long MIN_GAP_MS = 250;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final MeterRegistry registry;
  private final Map<String, Feed> feeds = new HashMap<>();

  public IndicatorFeedVerticle(MeterRegistry registry) {
    this.registry = registry;
  }

  /** One watched indicator: its browsers (counted over the bridges), candles and pending computation. */
  private final class Feed {
    final IndicatorAddress at;
    final IndicatorSeries series;
    int watchers = 1;
    MessageConsumer<JsonObject> candles;
    boolean loaded;
    long timer = -1;
    final List<Candle> early = new ArrayList<>(); // live candles heard while the stored ones load

    Feed(IndicatorAddress at) {
      this.at = at;
      this.series = new IndicatorSeries(at.interval(), at.spec().warmup() + 2);
    }
  }

  @Override
  public Future<?> start() {
    registry.gauge("candlebus_indicator_feeds", feeds, Map::size);
    return vertx.eventBus().<JsonObject>localConsumer(Addresses.INDICATORS_INTEREST, this::handleInterest)
        .completion();
  }

  private void handleInterest(Message<JsonObject> m) {
    String address = m.body().getString("address");
    boolean watch = m.body().getBoolean("watch", false);
    Feed f = feeds.get(address);
    if (watch && f != null) {
      f.watchers++;
    } else if (watch) {
      IndicatorAddress.parse(address).ifPresent(at -> open(address, at));
    } else if (f != null && --f.watchers == 0) {
      close(address, f);
    }
  }

  private void open(String address, IndicatorAddress at) {
    Feed f = new Feed(at);
    feeds.put(address, f);
    f.candles = vertx.eventBus().consumer(Addresses.candle(at.symbol(), at.interval()), c -> handleCandle(f, c));
    loadStored(f, 1);
  }

  private void close(String address, Feed f) {
    feeds.remove(address);
    f.candles.unregister();
    vertx.cancelTimer(f.timer);
  }

  /**
   * The newest stored candles, enough for the warm-up; retried while PostgreSQL does not answer. Read again after a
   * hole (a candle that closed before the feed opened, not yet stored when it was read).
   */
  private void loadStored(Feed f, int attempt) {
    CandlePages.before(vertx, f.at.symbol(), f.at.interval(), CandlePages.NEWEST,
        f.series.capacity()).onSuccess(rows -> {
      if (feeds.get(f.at.address()) != f) {
        return; // closed meanwhile
      }
      rows.forEach(r -> f.series.put(MarketJson.candle(r)));
      f.early.forEach(f.series::put);
      f.early.clear();
      f.loaded = true;
      compute(f);
    }).onFailure(e -> {
      log.debug("indicator {}: stored candles not read ({}), retrying", f.at.address(), e.getMessage());
      vertx.setTimer(Math.min(5_000, 250L << Math.min(attempt, 4)), id -> {
        if (feeds.get(f.at.address()) == f) {
          loadStored(f, attempt + 1);
        }
      });
    });
  }

  private void handleCandle(Feed f, Message<JsonObject> m) {
    Candle c = MarketJson.candle(m.body());
    if (!f.loaded) {
      f.early.add(c);
      return;
    }
    if (!f.series.put(c) && c.closed()) {
      loadStored(f, 1); // computes once read
      return;
    }
    if (c.closed()) {
      vertx.cancelTimer(f.timer);
      f.timer = -1;
      compute(f);
    } else if (f.timer < 0) {
      f.timer = vertx.setTimer(MIN_GAP_MS, id -> {
        f.timer = -1;
        compute(f);
      });
    }
  }

  /** The newest candle's values, off the event loop, in order; published local-only. */
  private void compute(Feed f) {
    List<Candle> candles = f.series.snapshot();
    if (candles.isEmpty()) {
      return;
    }
    Candle last = candles.get(candles.size() - 1);
    vertx.executeBlocking(() -> IndicatorEngine.compute(candles, f.at.spec(), candles.size() - 1).get(0), true)
        .onSuccess(p -> {
          if (feeds.get(f.at.address()) != f) {
            return;
          }
          JsonObject out = new JsonObject().put("symbol", f.at.symbol()).put("interval", f.at.interval().code())
              .put("name", f.at.spec().key()).put("time", p.time()).put("closed", last.closed());
          for (String field : f.at.spec().fields()) {
            BigDecimal v = p.values().get(field);
            out.put(field, v == null ? null : Decimals.plain(v));
          }
          vertx.eventBus().publish(f.at.address(), out, LOCAL);
        })
        .onFailure(e -> log.warn("indicator {} not computed: {}", f.at.address(), e.toString()));
  }
}
