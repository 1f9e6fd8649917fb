package io.candlebus.web;

import io.candlebus.Addresses;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.config.LimitSettings;
import io.candlebus.domain.Interval;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SockJS event-bus bridge of {@code /eventbus}, speaking the protocol of {@code vertx-eventbus.js}. Browsers
 * may only register, and only on {@code market.trade.<S>}, {@code market.candle.<S>.<i>} (carried symbols, those
 * added at run time too, and intervals), {@code market.status}, {@code market.depth.<S>}, {@code market.ticker} and
 * their own {@code alerts.<username>}, and {@code market.indicator.<S>.<i>.<name>:<params>} (the first browser
 * on one makes the node compute it, the last one leaving stops it: {@link IndicatorFeedVerticle}). Each address
 * has one event-bus consumer on this node however many browsers registered it; its messages are encoded once and
 * queued per browser in a {@link BridgeClient}. There is one bridge per instance of {@link HttpVerticle}, confined to that
 * instance's event loop: the WebSockets its server accepted are served on the same thread with no task hop per
 * message (a profile at 1 000 clients found a fifth of the CPU in such hops); a SockJS session of another
 * transport may call from another instance's loop and is moved here.
 */
final class MarketBridge {
  private static final Logger log = LoggerFactory.getLogger(MarketBridge.class);
  /** A browser pings every 5 s (vertx-eventbus.js); silence this long closes its socket. */
  static final long PING_TIMEOUT_MS = 30_000;
  /** SockJS's default heartbeat period. */
  static final long HEARTBEAT_MS = 25_000;
  static final int MAX_REGISTRATIONS = 1_000;
  static final int MAX_ADDRESS_LENGTH = 200;
  static final long QUEUED_GAUGE_MS = 1_000;
  /** Garbage frames (not JSON, no type or address, an unknown type) a socket may send before it is closed. */
  static final int MAX_GARBAGE_FRAMES = 3;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  private final Set<String> allowedMarketAddresses = new HashSet<>();
  private final CarriedSymbols carried;
  private final List<Interval> intervals;
  private final Map<String, Fanout> fanouts = new HashMap<>();
  private final Set<BridgeClient> clients = new HashSet<>();
  private final Set<BridgeClient> webSockets = new HashSet<>();
  private final List<BridgeClient> dirty = new ArrayList<>();
  private boolean flushScheduled;
  private final BridgeClient.Counters counters;
  private final MeterRegistry registry;
  private final IndicatorQuota indicatorQuota;
  private final BridgeSockets bridgeSockets;
  private final LimitSettings limits;
  /** The board's frames and every market's newest entry, for browsers too slow for each frame. */
  private final BoardFrames board = new BoardFrames();
  private Context context;
  private Thread thread;
  /** Read by the metrics scrape on another thread. */
  private volatile int sockets;
  private volatile int queuedMax;

  private record Fanout(MessageConsumer<Object> consumer, BridgeClient.Kind kind, Set<BridgeClient> clients) {}

  /** {@code shared}: the node's carried symbols and the counts its caps apply to. */
  MarketBridge(Vertx vertx, CandlebusConfig config, MeterRegistry registry, HttpShared shared) {
    this.vertx = vertx;
    this.carried = shared.carried();
    this.registry = registry;
    this.indicatorQuota = shared.indicatorQuota();
    this.bridgeSockets = shared.bridgeSockets();
    this.limits = config.limits();
    this.intervals = config.intervals();
    allowedMarketAddresses.add(Addresses.MARKET_STATUS);
    if (config.tickers().enabled()) {
      allowedMarketAddresses.add(Addresses.MARKET_TICKER);
    }
    config.depth().symbols().forEach(s -> allowedMarketAddresses.add(Addresses.depth(s)));
    Counter delivered = registry.counter("candlebus_bridge_messages_total");
    Counter dropped = registry.counter("candlebus_bridge_dropped_trades_total");
    Counter conflated = registry.counter("candlebus_bridge_conflated_candles_total");
    Map<BridgeClient.Kind, Counter> conflatedOther = new EnumMap<>(BridgeClient.Kind.class);
    for (BridgeClient.Kind k : List.of(BridgeClient.Kind.INDICATOR, BridgeClient.Kind.DEPTH,
        BridgeClient.Kind.STATUS, BridgeClient.Kind.TICKER)) {
      conflatedOther.put(k, registry.counter("candlebus_bridge_conflated_total", "kind",
          k.name().toLowerCase(Locale.ROOT)));
    }
    this.counters = new BridgeClient.Counters() {
      @Override
      public void delivered(int n) {
        delivered.increment(n);
      }

      @Override
      public void droppedTrade() {
        dropped.increment();
      }

      @Override
      public void conflated(BridgeClient.Kind kind) {
        (kind == BridgeClient.Kind.CANDLE ? conflated : conflatedOther.get(kind)).increment();
      }
    };
  }

  /** Binds the bridge to the calling verticle's event-loop context; call once, before any socket arrives. */
  void start(Context bridgeContext) {
    this.context = bridgeContext;
    this.thread = Thread.currentThread();
    vertx.setPeriodic(HEARTBEAT_MS, id -> onBridge(this::heartbeat));
    vertx.setPeriodic(QUEUED_GAUGE_MS, id -> onBridge(() -> queuedMax = clients.stream()
        .mapToInt(BridgeClient::queued).max().orElse(0)));
  }

  int sockets() {
    return sockets;
  }

  /** The longest outbound queue of a browser, as of the last {@link #QUEUED_GAUGE_MS}. */
  int queuedMax() {
    return queuedMax;
  }

  /** Runs at once when called on the bridge's event loop (the usual case), else as a task there. */
  private void onBridge(Runnable r) {
    if (Thread.currentThread() == thread) {
      r.run();
    } else {
      context.runOnContext(v -> r.run());
    }
  }

  private void added(BridgeClient c, boolean webSocket) {
    clients.add(c);
    if (webSocket) {
      webSockets.add(c);
    }
    sockets = clients.size();
  }

  /**
   * A SockJS session (any transport but WebSocket), on its transport context; the gate checked the session. One
   * beyond the caps on sockets is told why in an {@code err} frame (SockJS's session transports close with
   * "Go away!" whatever the reason), then closed.
   */
  void handleSocket(SockJSSocket socket) {
    Session session = socket.webSession();
    String username = session == null ? null : session.get(AuthRoutes.USER);
    if (username == null) {
      socket.close(3000, "not_logged_in");
      return;
    }
    BridgeSockets.Place place = bridgeSockets.open(session.id(), username, limits);
    if (place.refused() != null) {
      place.refused().count(registry);
      socket.write(new JsonObject().put("type", "err").put("body", place.reason()).encode())
          .onComplete(ar -> socket.close(BridgeClient.CLOSE_REFUSED, place.reason()));
      return;
    }
    BridgeClient client = new BridgeClient(new BridgeClient.SessionSink(socket, context), username, context,
        counters, System.currentTimeMillis());
    client.place = place;
    // SockJS hands its messages one by one: each is a frame here
    socket.handler(data -> onBridge(() -> handleFrame(client, data.toString())));
    socket.endHandler(v -> onBridge(() -> handleClose(client)));
    socket.exceptionHandler(e -> onBridge(() -> handleClose(client)));
    onBridge(() -> added(client, false));
  }

  /**
   * SockJS's WebSocket transport ({@code /eventbus/<server>/<session>/websocket}) served directly, for a
   * logged-in user: {@code o} on open, {@code a[...]} frames, {@code h} heartbeats; the browser sends JSON arrays
   * of messages.
   */
  void handleWebSocket(ServerWebSocket ws, String username, BridgeSockets.Place place) {
    BridgeClient client = new BridgeClient(new BridgeClient.WebSocketSink(ws, vertx), username, context, counters,
        System.currentTimeMillis());
    client.place = place;
    ws.textMessageHandler(text -> onBridge(() -> handleSockJsFrame(client, text)));
    ws.closeHandler(v -> onBridge(() -> handleClose(client)));
    ws.exceptionHandler(e -> onBridge(() -> handleClose(client)));
    ws.writeTextMessage("o");
    onBridge(() -> added(client, true));
  }

  private void handleSockJsFrame(BridgeClient c, String text) {
    if (c.closed || text.isEmpty() || text.equals("[]")) {
      return;
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(text);
    } catch (DecodeException e) {
      parsed = null;
    }
    if (parsed instanceof String one) {
      handleFrame(c, one);
    } else if (parsed instanceof io.vertx.core.json.JsonArray many) {
      c.startFrame();
      for (int i = 0; i < many.size() && !c.closed; i++) {
        if (!handleData(c, String.valueOf(many.getValue(i)))) {
          garbage(c); // and the rest of the frame is not read: a page sends none
          return;
        }
      }
    } else {
      // as SockJS does: a broken frame ends the connection
      refuse(c, Refusal.BRIDGE_GARBAGE, "not a SockJS frame");
    }
  }

  /** One message as a frame of its own. */
  private void handleFrame(BridgeClient c, String data) {
    c.startFrame();
    if (!handleData(c, data)) {
      garbage(c);
    }
  }

  /** A frame of garbage: answered once (its first error), and one too many closes the socket. */
  private void garbage(BridgeClient c) {
    if (++c.garbageFrames >= MAX_GARBAGE_FRAMES) {
      refuse(c, Refusal.BRIDGE_GARBAGE, c.garbageFrames + " frames that are not the bridge's protocol");
    }
  }

  private void refuse(BridgeClient c, Refusal why, String detail) {
    log.debug("bridge: closing the socket of {}: {}", c.username, detail);
    c.refuse(why, why.label() + ": " + detail);
    handleClose(c);
  }

  /**
   * Handles one message, its errors answered once per frame; false when it is not the bridge's protocol at all
   * (not JSON, no type, no address, an unknown type): a page never sends that. A refused register is not garbage.
   */
  private boolean handleData(BridgeClient c, String data) {
    if (c.closed) {
      return true;
    }
    JsonObject msg;
    try {
      msg = new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      c.error("invalid_json");
      markDirty(c);
      return false;
    }
    String type = msg.getString("type", null);
    String address = msg.getValue("address") instanceof String a ? a : null;
    c.lastPing = System.currentTimeMillis();
    if ("ping".equals(type)) {
      return true;
    }
    boolean garbage = false;
    if (type == null) {
      c.error("missing_type");
      garbage = true;
    } else if (address == null) {
      c.error("missing_address");
      garbage = true;
    } else if ("register".equals(type)) {
      register(c, address);
    } else if ("unregister".equals(type)) {
      unregister(c, address);
    } else if ("send".equals(type) || "publish".equals(type)) {
      c.error("access_denied"); // browsers may listen, never talk to the bus
    } else {
      c.error("invalid_type");
      garbage = true;
    }
    markDirty(c);
    return !garbage;
  }

  /** Flushes every client that got messages, once per turn of the bridge's event loop. */
  private void markDirty(BridgeClient c) {
    if (!c.dirty) {
      c.dirty = true;
      dirty.add(c);
      if (!flushScheduled) {
        flushScheduled = true;
        context.runOnContext(v -> flushDirty());
      }
    }
  }

  private void flushDirty() {
    flushScheduled = false;
    for (BridgeClient c : dirty) {
      if (c.closed) {
        handleClose(c); // it closed itself for its bound, in a fanout: let go of it now
      } else {
        c.flush();
      }
    }
    dirty.clear();
  }

  private void register(BridgeClient c, String address) {
    if (address.length() > MAX_ADDRESS_LENGTH || !allowed(c, address)) {
      c.error("access_denied");
      return;
    }
    if (c.registrations.size() >= MAX_REGISTRATIONS) {
      c.error("max_handlers_reached");
      return;
    }
    if (!c.registrations.add(address)) {
      c.error("address_already_registered");
      return;
    }
    Refusal refused = isIndicator(address) ? indicatorQuota.acquire(c.username, address) : null;
    if (refused != null) {
      c.registrations.remove(address);
      refused.count(registry);
      c.error(indicatorQuota.reason(refused));
      return;
    }
    fanouts.computeIfAbsent(address, this::subscribe).clients().add(c);
  }

  private static boolean isIndicator(String address) {
    return address.startsWith(Addresses.MARKET_INDICATOR_PREFIX);
  }

  /** The node computes a live indicator while a bridge has browsers on its address. */
  private void interest(String address, boolean watch) {
    if (address.startsWith(Addresses.MARKET_INDICATOR_PREFIX)) {
      vertx.eventBus().send(Addresses.INDICATORS_INTEREST, new JsonObject().put("address", address)
          .put("watch", watch), LOCAL);
    }
  }

  private boolean allowed(BridgeClient c, String address) {
    return allowedMarketAddresses.contains(address) || carried.allowsMarketAddress(address, intervals)
        || address.equals(Addresses.alerts(c.username)) || IndicatorAddress.parse(address)
            .filter(a -> carried.contains(a.symbol()) && intervals.contains(a.interval())).isPresent();
  }

  private Fanout subscribe(String address) {
    BridgeClient.Kind kind = BridgeClient.Kind.of(address);
    Set<BridgeClient> members = new HashSet<>();
    // created on the bridge's context, so its messages arrive there too
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, m -> {
      if (members.isEmpty()) {
        return;
      }
      if (kind == BridgeClient.Kind.TICKER && m.body() instanceof JsonArray changed) {
        BoardFrames.Frame frame = board.add(changed);
        for (BridgeClient member : members) {
          member.offerBoard(board, frame);
          markDirty(member);
        }
        return;
      }
      Outbound frame = Outbound.of(new JsonObject().put("type", "rec").put("address", address)
          .put("body", m.body()).encode());
      // a candle's window starts at openTime, an indicator value's at time
      boolean windowed = kind.windowed() && m.body() instanceof JsonObject;
      long time = windowed ? ((JsonObject) m.body()).getLong(kind == BridgeClient.Kind.CANDLE ? "openTime" : "time",
          0L) : 0;
      boolean isClosed = windowed && ((JsonObject) m.body()).getBoolean("closed", false);
      for (BridgeClient member : members) {
        if (windowed) {
          member.offerLatest(kind, address, frame, time, isClosed);
        } else {
          member.offer(kind, address, frame);
        }
        markDirty(member);
      }
    });
    interest(address, true);
    return new Fanout(consumer, kind, members);
  }

  private void unregister(BridgeClient c, String address) {
    if (c.registrations.remove(address)) {
      leave(c, address);
    }
  }

  private void leave(BridgeClient c, String address) {
    if (isIndicator(address)) {
      indicatorQuota.release(c.username, address);
    }
    Fanout f = fanouts.get(address);
    if (f != null && f.clients().remove(c) && f.clients().isEmpty()) {
      fanouts.remove(address);
      f.consumer().unregister();
      interest(address, false);
    }
  }

  /** Lets go of a socket, once: the browser closed it, stopped pinging, or it closed itself for a bound. */
  private void handleClose(BridgeClient c) {
    if (!clients.remove(c)) {
      return;
    }
    c.registrations.forEach(a -> leave(c, a));
    c.registrations.clear();
    c.close(BridgeClient.CLOSE_GO_AWAY, "Go away!");
    c.place.release();
    if (c.refusal() != null) {
      c.refusal().count(registry);
    }
    webSockets.remove(c); // left in dirty: flushing a closed client does nothing
    sockets = clients.size();
  }

  /** SockJS heartbeats on the WebSocket transport, and sockets whose browser stopped pinging are closed. */
  private void heartbeat() {
    long deadline = System.currentTimeMillis() - PING_TIMEOUT_MS;
    for (BridgeClient c : List.copyOf(clients)) {
      if (c.lastPing < deadline) {
        log.debug("bridge: closing the socket of {}: no ping for {} ms", c.username, PING_TIMEOUT_MS);
        handleClose(c);
      } else if (webSockets.contains(c)) {
        ((BridgeClient.WebSocketSink) c.sink).heartbeat();
      }
    }
  }

  /** Closes every socket (the node stops). */
  void closeAll() {
    onBridge(() -> List.copyOf(clients).forEach(this::handleClose));
  }
}

