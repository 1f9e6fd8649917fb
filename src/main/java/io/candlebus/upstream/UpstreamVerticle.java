package io.candlebus.upstream;

import io.candlebus.Addresses;
import io.candlebus.LocalCodec;
import io.candlebus.MarketJson;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.domain.Trade;
import io.candlebus.upstream.StreamEvent.ControlReply;
import io.candlebus.upstream.StreamEvent.KlineEvent;
import io.candlebus.upstream.StreamEvent.Malformed;
import io.candlebus.upstream.StreamEvent.ShutdownEvent;
import io.candlebus.upstream.StreamEvent.TradeEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the Binance WebSocket connections ({@link UpstreamSlot}s of at most 1024 streams), parses every frame,
 * puts each symbol's trades in id order through {@link TradeContinuity} and hands Binance's klines to the candle
 * builder. Symbols can be added and removed at run time on {@code upstream.symbols}. Bad frames are counted by
 * kind and skipped.
 */
public final class UpstreamVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(UpstreamVerticle.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final CandlebusConfig config;
  private final MeterRegistry registry;
  private final RestWeightLimiter limiter;
  private final ConnectionBudget budget;
  private final BinanceStreamParser parser = new BinanceStreamParser();
  private final List<UpstreamSlot> slots = new ArrayList<>();
  private FrameCounters counters;
  private WebSocketClient client;
  private BinanceRest rest;
  private TradeContinuity continuity;
  private EventBus bus;
  private String state = "CONNECTING";
  private long since;
  private String reason = "starting";

  public UpstreamVerticle(CandlebusConfig config, MeterRegistry registry, RestWeightLimiter limiter,
      ConnectionBudget budget) {
    this.config = config;
    this.registry = registry;
    this.limiter = limiter;
    this.budget = budget;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    LocalCodec.register(vertx, Trade.class, KlineEvent.class, UpstreamGap.class, UpstreamContinuous.class);
    since = System.currentTimeMillis();
    client = UpstreamConnection.newClient(vertx, config.binanceWsUrl());
    rest = new BinanceRest(vertx, config.binanceRestUrl(), limiter, registry);
    counters = new FrameCounters(registry);
    continuity = new TradeContinuity(vertx, rest, registry, () -> MarketJson.status(state, since, reason));
    registry.gauge("candlebus_upstream_connected", slots, ss -> ss.stream().filter(UpstreamSlot::isUp).count());
    registry.gauge("candlebus_upstream_connection_attempts", budget, b -> b.used(System.currentTimeMillis()));
    bus.consumer(Addresses.UPSTREAM_STATUS, this::handleStatus);
    bus.<JsonObject>localConsumer(Addresses.UPSTREAM_SYMBOLS, this::handleSymbols);
    bus.<JsonObject>localConsumer(Addresses.UPSTREAM_POSITIONS, this::handlePositions);
    addSymbols(config.symbolsAtStart(), Map.of());
    log.info("upstream: {} symbols on {} connection(s) to {}", config.symbolsAtStart().size(), slots.size(),
        config.binanceWsUrl());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return Future.join(slots.stream().map(UpstreamSlot::stop).toList())
        .compose(v -> client.close())
        .compose(v -> rest.close());
  }

  private void handleStatus(Message<Object> msg) {
    msg.reply(MarketJson.status(state, since, reason));
  }

  private void handleSymbols(Message<JsonObject> msg) {
    JsonObject body = msg.body();
    JsonObject resume = body.getJsonObject("resume", new JsonObject());
    Map<String, Long> resumeAfter = new LinkedHashMap<>();
    resume.forEach(e -> resumeAfter.put(e.getKey(), ((Number) e.getValue()).longValue()));
    List<String> add = strings(body.getJsonArray("add"));
    removeSymbols(strings(body.getJsonArray("remove")));
    if (!add.isEmpty()) {
      addSymbols(add, resumeAfter);
      log.info("upstream: now also carrying {}", add);
    }
  }

  private void handlePositions(Message<JsonObject> msg) {
    List<String> release = strings(msg.body() == null ? null : msg.body().getJsonArray("release"));
    JsonObject out = new JsonObject();
    continuity.positions(release.isEmpty() ? null : release).forEach(out::put);
    removeSymbols(release); // in the same turn: no trade is handed on after the positions read
    msg.reply(out);
  }

  private void removeSymbols(List<String> symbols) {
    List<String> carried = symbols.stream().filter(s -> slots.stream().anyMatch(x -> x.symbols().contains(s)))
        .toList();
    if (!carried.isEmpty()) {
      slots.forEach(s -> s.remove(Set.copyOf(carried)));
      carried.forEach(continuity::remove);
      log.info("upstream: no longer carrying {}", carried);
    }
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    if (a != null) {
      a.forEach(x -> out.add(String.valueOf(x)));
    }
    return out;
  }

  /** Puts each new symbol's streams on a connection with room, opening new ones beyond 1024 streams. */
  private void addSymbols(List<String> symbols, Map<String, Long> resumeAfter) {
    Map<UpstreamSlot, Map<String, List<String>>> placed = new LinkedHashMap<>();
    for (String symbol : symbols) {
      if (slots.stream().anyMatch(s -> s.symbols().contains(symbol))) {
        continue;
      }
      continuity.add(symbol);
      if (resumeAfter.containsKey(symbol)) {
        continuity.resumeAfter(symbol, resumeAfter.get(symbol));
      }
      List<String> streams = StreamNames.forSymbol(symbol, config.intervals());
      UpstreamSlot slot = null;
      for (UpstreamSlot s : slots) {
        int pending = placed.getOrDefault(s, Map.of()).values().stream().mapToInt(List::size).sum();
        if (s.streamCount() + pending + streams.size() <= StreamNames.MAX_STREAMS_PER_CONNECTION) {
          slot = s;
          break;
        }
      }
      if (slot == null) {
        slot = new UpstreamSlot(vertx, client, config.binanceWsUrl(), budget, config.upstreamMaxAgeMs(),
            config.upstreamSilenceMs(), new SlotEvents());
        slots.add(slot);
      }
      placed.computeIfAbsent(slot, k -> new LinkedHashMap<>()).put(symbol, streams);
    }
    placed.forEach(UpstreamSlot::add);
    if (resumeAfter.keySet().stream().anyMatch(symbols::contains)) {
      continuity.catchUp(List.copyOf(resumeAfter.keySet()));
    }
  }

  private void onFrame(UpstreamSlot slot, UpstreamConnection from, String text) {
    StreamEvent event = parser.parse(text);
    if (event instanceof TradeEvent t) {
      count("aggTrade");
      if (slot.isReplacement(from) && continuity.reached(t.trade())) {
        slot.caughtUp(from, t.trade().symbol());
      }
      if (!continuity.onStream(t.trade())) {
        count("unknown_symbol");
      }
    } else if (event instanceof KlineEvent k) {
      if (slot.isActive(from)) {
        count("kline");
        if (k.kline().lastTradeId() >= 0) {
          continuity.onKline(k.kline().symbol(), k.kline().lastTradeId());
        }
        bus.publish(Addresses.UPSTREAM_KLINES, k, LOCAL);
      } else {
        count("kline_overlap"); // the same kline arrives on the connection being replaced
      }
    } else if (event instanceof ShutdownEvent) {
      count("serverShutdown");
      if (slot.isActive(from)) {
        slot.rotate("Binance announced serverShutdown", false);
      }
    } else if (event instanceof ControlReply r) {
      count("reply");
      if (r.errorCode() != null) {
        log.warn("upstream {}: control error {} {}", from.describe(), r.errorCode(), r.message());
      }
    } else if (event instanceof Malformed m) {
      counters.malformed(from, m, text);
    } else {
      count("ignored");
    }
  }

  private void count(String kind) {
    counters.count(kind);
  }

  private void updateState(String why) {
    long up = slots.stream().filter(UpstreamSlot::isUp).count();
    String newState = up == slots.size() ? "CONNECTED" : up == 0 ? "DISCONNECTED" : "DEGRADED";
    String newReason = newState.equals("CONNECTED") ? "all " + up + " connection(s) open"
        : (slots.size() - up) + " of " + slots.size() + " connection(s) down: " + why;
    if (!newState.equals(state)) {
      state = newState;
      since = System.currentTimeMillis();
      reason = newReason;
      JsonObject status = MarketJson.status(state, since, reason);
      log.info("upstream state {}", status.encode());
      bus.publish(Addresses.MARKET_STATUS, status);
    }
  }

  private final class SlotEvents implements UpstreamSlot.Listener {
    @Override
    public void frame(UpstreamSlot slot, UpstreamConnection from, String text) {
      onFrame(slot, from, text);
    }

    @Override
    public void up(UpstreamSlot slot, boolean afterBreak) {
      registry.counter("candlebus_upstream_connects_total").increment();
      updateState("connected");
      if (afterBreak) {
        continuity.catchUp(slot.symbols());
      }
    }

    @Override
    public void down(UpstreamSlot slot, String why) {
      registry.counter("candlebus_upstream_disconnects_total").increment();
      bus.publish(Addresses.UPSTREAM_GAP, new UpstreamGap(slot.symbols(), System.currentTimeMillis()), LOCAL);
      updateState(why);
    }

    @Override
    public void rotated(UpstreamSlot slot, String why) {
      String kind = why.contains("serverShutdown") ? "server_shutdown" : why.startsWith("nothing received")
          ? "silence" : "age";
      registry.counter("candlebus_upstream_rotations_total", "reason", kind).increment();
    }
  }
}
