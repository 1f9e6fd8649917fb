package io.candlebus.upstream;

import io.candlebus.Addresses;
import io.candlebus.LocalCodec;
import io.candlebus.MarketJson;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.upstream.StreamEvent.ControlReply;
import io.candlebus.upstream.StreamEvent.KlineEvent;
import io.candlebus.upstream.StreamEvent.Malformed;
import io.candlebus.upstream.StreamEvent.ShutdownEvent;
import io.candlebus.upstream.StreamEvent.TradeEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the Binance WebSocket connections: parses every frame, publishes trades on {@code market.trade.<SYMBOL>}
 * and hands trades and Binance's klines to the candle builder. Bad frames are counted by kind and skipped.
 */
public final class UpstreamVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(UpstreamVerticle.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  /** Log the first bad frames of each kind, then one in this many, so a flood cannot flood the log. */
  private static final long LOG_EVERY = 1_000;

  private final CandlebusConfig config;
  private final MeterRegistry registry;
  private final BinanceStreamParser parser = new BinanceStreamParser();
  private final List<UpstreamConnection> connections = new ArrayList<>();
  private final Map<String, Counter> frameCounters = new ConcurrentHashMap<>();
  private final Map<String, Counter> malformedCounters = new ConcurrentHashMap<>();
  private WebSocketClient client;
  private EventBus bus;
  private String state = "CONNECTING";
  private long since;
  private String reason = "starting";

  public UpstreamVerticle(CandlebusConfig config, MeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    LocalCodec.register(vertx, io.candlebus.domain.Trade.class, KlineEvent.class, UpstreamGap.class);
    since = System.currentTimeMillis();
    client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(1 << 20)
        .setMaxMessageSize(1 << 20)
        .setConnectTimeout(10_000)
        .setSsl("wss".equalsIgnoreCase(config.binanceWsUrl().getScheme()))
        .setVerifyHost(true));
    registry.gauge("candlebus_upstream_connected", connections, cs -> cs.stream().filter(
        UpstreamConnection::isConnected).count());
    bus.consumer(Addresses.UPSTREAM_STATUS, this::handleStatus);
    for (List<String> group : StreamNames.groupSymbols(config.symbols(), config.intervals())) {
      UpstreamConnection c = new UpstreamConnection(vertx, client, config.binanceWsUrl(), group,
          config.intervals(), new Listener());
      connections.add(c);
      c.start();
    }
    log.info("upstream: {} symbols on {} connection(s) to {}", config.symbols().size(), connections.size(),
        config.binanceWsUrl());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return Future.join(connections.stream().map(UpstreamConnection::stop).toList())
        .compose(v -> client.close());
  }

  private void handleStatus(Message<Object> msg) {
    msg.reply(MarketJson.status(state, since, reason));
  }

  private void onFrame(UpstreamConnection connection, String text) {
    StreamEvent event = parser.parse(text);
    if (event instanceof TradeEvent t) {
      count("aggTrade");
      bus.publish(Addresses.trade(t.trade().symbol()), MarketJson.trade(t.trade()));
      bus.publish(Addresses.UPSTREAM_TRADES, t.trade(), LOCAL);
    } else if (event instanceof KlineEvent k) {
      count("kline");
      bus.publish(Addresses.UPSTREAM_KLINES, k, LOCAL);
    } else if (event instanceof ShutdownEvent) {
      count("serverShutdown");
      connection.reconnectNow("Binance announced serverShutdown");
    } else if (event instanceof ControlReply r) {
      count("reply");
      if (r.errorCode() != null) {
        log.warn("upstream {}: control error {} {}", connection.describe(), r.errorCode(), r.message());
      }
    } else if (event instanceof Malformed m) {
      malformed(connection, m, text);
    } else {
      count("ignored");
    }
  }

  private void malformed(UpstreamConnection connection, Malformed m, String text) {
    Counter c = malformedCounters.computeIfAbsent(m.kind(), k -> Counter.builder("candlebus_upstream_malformed_total")
        .description("Upstream frames skipped because they could not be used, by kind").tag("kind", k)
        .register(registry));
    c.increment();
    long n = (long) c.count();
    if (n <= 10 || n % LOG_EVERY == 0) {
      log.warn("upstream {}: skipped malformed frame #{} of kind {}: {}: {}", connection.describe(), n, m.kind(),
          m.detail(), text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }
  }

  private void count(String kind) {
    frameCounters.computeIfAbsent(kind, k -> Counter.builder("candlebus_upstream_frames_total")
        .description("Upstream frames used, by kind").tag("kind", k).register(registry)).increment();
  }

  private void updateState() {
    long up = connections.stream().filter(UpstreamConnection::isConnected).count();
    String newState = up == connections.size() ? "CONNECTED" : up == 0 ? "DISCONNECTED" : "DEGRADED";
    String newReason = newState.equals("CONNECTED") ? "all " + up + " connection(s) open"
        : (connections.size() - up) + " of " + connections.size() + " connection(s) down: " + reason;
    if (!newState.equals(state)) {
      state = newState;
      since = System.currentTimeMillis();
      reason = newReason;
      JsonObject status = MarketJson.status(state, since, reason);
      log.info("upstream state {}", status.encode());
      bus.publish(Addresses.MARKET_STATUS, status);
    }
  }

  private final class Listener implements UpstreamConnection.Listener {
    @Override
    public void frame(UpstreamConnection connection, String text) {
      onFrame(connection, text);
    }

    @Override
    public void connected(UpstreamConnection connection) {
      registry.counter("candlebus_upstream_connects_total").increment();
      updateState();
    }

    @Override
    public void disconnected(UpstreamConnection connection, String why) {
      reason = why;
      bus.publish(Addresses.UPSTREAM_GAP, new UpstreamGap(connection.symbols(), System.currentTimeMillis()),
          LOCAL);
      updateState();
    }
  }
}
