package io.candlebus.upstream;

import io.candlebus.Addresses;
import io.candlebus.MarketJson;
import io.candlebus.domain.Trade;
import io.candlebus.upstream.TradeSequencer.Gap;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link TradeSequencer} per carried symbol, with the REST calls they ask for. Hands trades on in id order
 * (to {@code market.trade.<SYMBOL>} and the candle builder), tells the candle builder when continuity is unknown
 * or proven again, and reports every hole and fill on {@code market.status} and in the metrics.
 */
final class TradeContinuity {
  private static final Logger log = LoggerFactory.getLogger(TradeContinuity.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  private final EventBus bus;
  private final BinanceRest rest;
  private final MeterRegistry registry;
  /** The upstream's current {@code market.status} fields, to which gap events are added. */
  private final Supplier<JsonObject> status;
  /** A kline's trades normally arrive within this time (other stream, same connection). */
  static final long KLINE_EVIDENCE_WAIT_MS = 500;

  private final Map<String, TradeSequencer> sequencers = new HashMap<>();
  private final Set<String> suspected = new HashSet<>();
  /** Per symbol, the highest last trade id (individual) Binance's klines counted. */
  private final Map<String, Long> klineHigh = new HashMap<>();
  /** Per symbol, the kline count a fill was already repeated for (so REST lacking trades cannot loop). */
  private final Map<String, Long> refilledFor = new HashMap<>();
  private long delivered;

  TradeContinuity(Vertx vertx, BinanceRest rest, MeterRegistry registry, Supplier<JsonObject> status) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.rest = rest;
    this.registry = registry;
    this.status = status;
  }

  void add(String symbol) {
    sequencers.computeIfAbsent(symbol, s -> new TradeSequencer(s, new Out(s)));
  }

  void resumeAfter(String symbol, long aggId) {
    TradeSequencer seq = sequencers.get(symbol);
    if (seq != null) {
      seq.resumeAfter(aggId);
    }
  }

  /** The last trade id handed on per symbol ({@code symbols}, or all carried when null); none before a trade. */
  Map<String, Long> positions(Collection<String> symbols) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String symbol : symbols == null ? sequencers.keySet() : symbols) {
      TradeSequencer seq = sequencers.get(symbol);
      if (seq != null && seq.lastAggId() >= 0) {
        out.put(symbol, seq.lastAggId());
      }
    }
    return out;
  }

  void remove(String symbol) {
    sequencers.remove(symbol);
  }

  /** A trade from a stream; false when the symbol is not carried. */
  boolean onStream(Trade t) {
    TradeSequencer seq = sequencers.get(t.symbol());
    if (seq == null) {
      return false;
    }
    long before = seq.duplicates();
    seq.onStream(t);
    if (seq.duplicates() > before) {
      registry.counter("candlebus_upstream_duplicates_total").increment();
    }
    return true;
  }

  /** True when {@code t} does not go past what was handed on: a replacement stream has caught up. */
  boolean reached(Trade t) {
    TradeSequencer seq = sequencers.get(t.symbol());
    return seq != null && !seq.filling() && seq.lastAggId() >= 0 && t.aggId() <= seq.lastAggId() + 1;
  }

  /**
   * Binance's kline of {@code symbol} counts trades up to {@code klineLastTradeId}. If they have not reached us
   * after {@link #KLINE_EVIDENCE_WAIT_MS} (they travel on another stream), the stream lost them: fetch them. The
   * candle builder stops closing the symbol's windows by the clock at once.
   */
  void onKline(String symbol, long klineLastTradeId) {
    klineHigh.merge(symbol, klineLastTradeId, Math::max);
    TradeSequencer seq = sequencers.get(symbol);
    if (seq == null || !seq.behind(klineLastTradeId) || !suspected.add(symbol)) {
      return;
    }
    bus.publish(Addresses.UPSTREAM_GAP, new UpstreamGap(List.of(symbol), System.currentTimeMillis()), LOCAL);
    vertx.setTimer(KLINE_EVIDENCE_WAIT_MS, id -> {
      suspected.remove(symbol);
      recheck(symbol, klineLastTradeId);
    });
  }

  /** After the evidence wait: fetch what Binance's kline counts and we still lack, or settle the symbol. */
  private void recheck(String symbol, long klineLastTradeId) {
    TradeSequencer s = sequencers.get(symbol);
    if (s == null || s.filling()) {
      return; // a fill runs: it settles the symbol when done
    }
    if (s.behind(klineLastTradeId)) {
      s.fillBehind(klineLastTradeId);
    } else {
      // the trades came on their stream after all
      bus.publish(Addresses.UPSTREAM_CONTINUOUS, new UpstreamContinuous(symbol, s.lastTradeId(), false), LOCAL);
    }
  }

  /** After a reconnect: fetch what these symbols' streams carried while we were away. */
  void catchUp(List<String> symbols) {
    symbols.forEach(s -> {
      TradeSequencer seq = sequencers.get(s);
      if (seq != null) {
        seq.catchUp();
      }
    });
  }

  /** Trades handed on since start. */
  long delivered() {
    return delivered;
  }

  private final class Out implements TradeSequencer.Output {
    private final String symbol;

    Out(String symbol) {
      this.symbol = symbol;
    }

    @Override
    public void deliver(Trade t) {
      delivered++;
      bus.publish(Addresses.trade(t.symbol()), MarketJson.trade(t));
      bus.publish(Addresses.UPSTREAM_TRADES, t, LOCAL);
    }

    @Override
    public void fetch(long fromAggId, long delayMs) {
      if (delayMs > 0) {
        vertx.setTimer(delayMs, id -> fetchNow(fromAggId));
      } else {
        fetchNow(fromAggId);
      }
    }

    private void fetchNow(long fromAggId) {
      registry.counter("candlebus_upstream_fill_requests_total").increment();
      rest.aggTrades(symbol, fromAggId, TradeSequencer.PAGE).onComplete(ar -> {
        TradeSequencer seq = sequencers.get(symbol);
        if (seq == null) {
          return;
        }
        if (ar.succeeded()) {
          seq.onPage(fromAggId, ar.result());
        } else {
          seq.onFetchFailed(fromAggId, ar.cause());
        }
      });
    }

    @Override
    public void gapOpened(long fromAggId, long toAggId, boolean certain) {
      // until the hole is filled the candle builder must not close this symbol's windows by the clock
      bus.publish(Addresses.UPSTREAM_GAP, new UpstreamGap(List.of(symbol), System.currentTimeMillis()), LOCAL);
      if (certain) {
        registry.counter("candlebus_upstream_gaps_total", "result", "opened").increment();
        publish("gap", fromAggId, toAggId, "aggTrades from " + fromAggId
            + (toAggId >= 0 ? " to " + toAggId : " on (Binance's kline counts them)") + " missing on the stream",
            new JsonObject());
      }
    }

    @Override
    public void gapClosed(Gap gap) {
      String result = gap.complete() ? "filled" : gap.filled() > 0 ? "partly_filled" : "unfilled";
      registry.counter("candlebus_upstream_gaps_total", "result", result).increment();
      registry.counter("candlebus_upstream_gap_trades_total", "result", "filled").increment(gap.filled());
      registry.counter("candlebus_upstream_gap_trades_total", "result", "missing").increment(gap.missing());
      String text = "aggTrades " + gap.fromAggId() + ".." + gap.toAggId() + ": " + gap.filled()
          + " fetched from REST" + (gap.complete() ? "" : ", " + gap.missing() + " missing (" + gap.reason() + ")");
      if (gap.complete()) {
        log.info("{} {}", symbol, text);
      } else {
        log.warn("{} {}", symbol, text);
      }
      publish(gap.complete() ? "gap-filled" : "gap-unfilled", gap.fromAggId(), gap.toAggId(), text,
          new JsonObject().put("filled", gap.filled()).put("missing", gap.missing()));
    }

    @Override
    public void settled(long lastTradeId, boolean upToNow) {
      long known = klineHigh.getOrDefault(symbol, -1L);
      if (known > lastTradeId && refilledFor.getOrDefault(symbol, -1L) != known) {
        refilledFor.put(symbol, known);
        // Binance's klines, seen during the fill, count trades REST did not have yet when asked: the candles
        // keep waiting while we look once more
        vertx.setTimer(KLINE_EVIDENCE_WAIT_MS, id -> recheck(symbol, known));
        return;
      }
      bus.publish(Addresses.UPSTREAM_CONTINUOUS, new UpstreamContinuous(symbol, lastTradeId, upToNow), LOCAL);
    }

    /** The current upstream status plus the event: consumers reading only {@code state} see nothing new. */
    private void publish(String event, long from, long to, String text, JsonObject extra) {
      JsonObject msg = status.get().put("event", event).put("symbol", symbol).put("fromId", from).put("toId", to)
          .put("detail", text).mergeIn(extra);
      bus.publish(Addresses.MARKET_STATUS, msg);
    }
  }
}
