package io.candlebus.candles;

import io.candlebus.Addresses;
import io.candlebus.LocalCodec;
import io.candlebus.MarketJson;
import io.candlebus.candles.CandleAggregator.KlineCheck;
import io.candlebus.candles.CandleAggregator.TradeOutcome;
import io.candlebus.candles.CandleAggregator.Verdict;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.candlebus.domain.Trade;
import io.candlebus.upstream.RefetchVerticle;
import io.candlebus.upstream.StreamEvent.KlineEvent;
import io.candlebus.upstream.UpstreamContinuous;
import io.candlebus.upstream.UpstreamGap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link CandleAggregator} per symbol: publishes every change of a candle on
 * {@code market.candle.<SYMBOL>.<interval>}, closed ones once more with {@code closed: true} and to the store,
 * and checks each closed kline of Binance against ours (a difference is counted, logged and Binance wins).
 */
public final class CandlesVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(CandlesVerticle.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  private static final DeliveryOptions BINANCE_CLOSE = new DeliveryOptions().setLocalOnly(true)
      .addHeader(RefetchVerticle.BINANCE_HEADER, "true");
  /** Late trades of an ended window are still taken this long (exchange time) after its close. */
  public static final long GRACE_MS = 2_000;
  /** How often the exchange clock is applied to symbols that had no trade; the decision uses exchange time. */
  private static final long CLOCK_CHECK_MS = 250;

  private final CandlebusConfig config;
  private final MeterRegistry registry;
  private final Map<String, CandleAggregator> aggregators = new HashMap<>();
  private EventBus bus;
  /**
   * Per symbol, the newest event time of its own streams: the exchange's clock as far as that symbol's connection
   * shows it. A global clock would close the windows of a symbol whose connection went silent.
   */
  private final Map<String, Long> clocks = new HashMap<>();

  public CandlesVerticle(CandlebusConfig config, MeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    LocalCodec.register(vertx, Trade.class, KlineEvent.class, UpstreamGap.class, UpstreamContinuous.class,
        Candle.class);
    config.symbolsAtStart().forEach(this::carry);
    bus.<Trade>localConsumer(Addresses.UPSTREAM_TRADES, this::handleTrade);
    bus.<KlineEvent>localConsumer(Addresses.UPSTREAM_KLINES, this::handleKline);
    bus.<UpstreamGap>localConsumer(Addresses.UPSTREAM_GAP, this::handleGap);
    bus.<Candle>localConsumer(Addresses.CANDLES_SEED, this::handleSeed);
    bus.<UpstreamContinuous>localConsumer(Addresses.UPSTREAM_CONTINUOUS, this::handleContinuous);
    bus.<JsonObject>localConsumer(Addresses.UPSTREAM_SYMBOLS, this::handleSymbols);
    vertx.setPeriodic(CLOCK_CHECK_MS, id -> advanceAll());
    return Future.succeededFuture();
  }

  private void handleTrade(Message<Trade> msg) {
    Trade t = msg.body();
    CandleAggregator agg = aggregators.get(t.symbol());
    if (agg == null) {
      registry.counter("candlebus_trades_total", "outcome", "unknown_symbol").increment();
      return;
    }
    tick(t.symbol(), t.eventTime());
    TradeOutcome outcome = agg.onTrade(t, this::closed);
    registry.counter("candlebus_trades_total", "outcome", outcome.name().toLowerCase()).increment();
    if (outcome == TradeOutcome.ACCEPTED) {
      publishOpen(agg);
    }
  }

  private void handleKline(Message<KlineEvent> msg) {
    Candle k = msg.body().kline();
    CandleAggregator agg = aggregators.get(k.symbol());
    if (agg == null) {
      return;
    }
    tick(k.symbol(), msg.body().eventTime());
    Provenance before = agg.currentProvenance(k.interval());
    KlineCheck check = agg.onBinanceKline(k, this::closed);
    if (check.verdict() == Verdict.UPDATE) {
      if (before == Provenance.PARTIAL && agg.currentProvenance(k.interval()) == Provenance.SEEDED) {
        publish(agg.current(k.interval()));
      }
      return;
    }
    count(check);
  }

  private void count(KlineCheck check) {
    if (check.verdict() == Verdict.DEFERRED || check.verdict() == Verdict.UPDATE) {
      return; // counted when applied
    }
    registry.counter("candlebus_kline_checks_total", "result", check.verdict().name().toLowerCase()).increment();
    if (check.verdict() == Verdict.MISMATCH) {
      log.warn("kline mismatch {}, Binance's kept: ours {} | Binance {}", check.binance().symbol(),
          check.ours().describe(), check.binance().describe());
    }
  }

  private void handleGap(Message<UpstreamGap> msg) {
    for (String symbol : msg.body().symbols()) {
      CandleAggregator agg = aggregators.get(symbol);
      if (agg != null) {
        agg.markDiscontinuous();
      }
    }
  }

  private void handleContinuous(Message<UpstreamContinuous> msg) {
    CandleAggregator agg = aggregators.get(msg.body().symbol());
    if (agg != null) {
      agg.settle(msg.body().lastTradeId(), msg.body().upToNow(), this::closed).forEach(this::count);
    }
  }

  /**
   * Symbols added at run time get their candles built too. A removed symbol's open windows are dropped: its new
   * carrier (another node of the cluster) builds them, seeded from Binance's klines, and stores their close.
   */
  private void handleSymbols(Message<JsonObject> msg) {
    JsonArray remove = msg.body().getJsonArray("remove");
    if (remove != null) {
      remove.forEach(s -> {
        aggregators.remove(String.valueOf(s));
        clocks.remove(String.valueOf(s));
      });
    }
    JsonArray add = msg.body().getJsonArray("add");
    if (add != null) {
      add.forEach(s -> carry(String.valueOf(s)));
    }
  }

  private void carry(String symbol) {
    aggregators.computeIfAbsent(symbol, s -> new CandleAggregator(s, config.intervals(), GRACE_MS));
  }

  private void tick(String symbol, long eventTime) {
    clocks.merge(symbol, eventTime, Math::max);
  }

  private void handleSeed(Message<Candle> msg) {
    CandleAggregator agg = aggregators.get(msg.body().symbol());
    if (agg != null) {
      agg.seedLastClosed(msg.body());
    }
  }

  private void advanceAll() {
    clocks.forEach((symbol, time) -> aggregators.get(symbol).advanceTo(time, this::closed));
  }

  private void closed(Candle c, Provenance provenance) {
    registry.counter("candlebus_candles_closed_total", "provenance", provenance.name().toLowerCase()).increment();
    publish(c);
    // a window that may lack trades is stored as Binance has it, not as we saw it
    bus.send(provenance == Provenance.PARTIAL ? Addresses.CANDLES_PARTIAL : Addresses.CANDLES_CLOSED, c, LOCAL);
    if (provenance == Provenance.BINANCE) {
      bus.send(Addresses.CANDLES_PARTIAL, c, BINANCE_CLOSE); // no need to fetch it
    }
  }

  private void publishOpen(CandleAggregator agg) {
    List<Interval> intervals = config.intervals();
    for (Interval i : intervals) {
      Candle c = agg.current(i);
      if (c != null) {
        publish(c);
      }
    }
  }

  private void publish(Candle c) {
    bus.publish(Addresses.candle(c.symbol(), c.interval()), MarketJson.candle(c));
  }
}
