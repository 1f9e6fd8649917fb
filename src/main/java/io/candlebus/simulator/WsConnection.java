package io.candlebus.simulator;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.json.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client stream connection, with Binance's connection rules: more than 5 incoming messages in a second closes
 * it (text, ping and unsolicited pong frames count; pongs answering our pings do not, so that short test ping
 * intervals cannot trip it), a ping every pingInterval, and a close when the oldest unanswered ping is older
 * than the pong timeout.
 *
 * <p>All writes go through {@link #sendText}, the one place faults hook into: a silenced connection sends nothing
 * at all (no events, pings, replies or rate-limit closes) yet stays open. Vert.x itself still answers a client's
 * ping frames and close handshake; those cannot be switched off.
 */
final class WsConnection implements ControlProtocol.Session {
  private static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);
  static final int MAX_MESSAGES_PER_SECOND = 5;
  private static final AtomicLong IDS = new AtomicLong();

  private final long id = IDS.incrementAndGet();
  private final ServerWebSocket ws;
  private final Vertx vertx;
  private final ConnectionRegistry registry;
  private final LongSupplier simNow;
  private final SimCounters counters;
  private final long pongTimeoutNanos;
  /** Streams in subscription order; written on the event loop, copied for readers on other threads. */
  private final Set<String> streams = Collections.synchronizedSet(new LinkedHashSet<>());
  private final Deque<Long> recentMessages = new ArrayDeque<>();
  /** Payloads and send times of pings not answered yet, oldest first. */
  private final Deque<PendingPing> outstandingPings = new ArrayDeque<>();
  private boolean combined;
  private final Promise<Void> closedPromise = Promise.promise();
  private long pingTimer = -1;
  private volatile boolean closed;
  private volatile boolean silenced;

  private record PendingPing(String payload, long sentNanos) {}

  WsConnection(Vertx vertx, ServerWebSocket ws, ConnectionRegistry registry, boolean combined, LongSupplier simNow,
      SimCounters counters, long pongTimeoutMs) {
    this.vertx = vertx;
    this.ws = ws;
    this.registry = registry;
    this.combined = combined;
    this.simNow = simNow;
    this.counters = counters;
    this.pongTimeoutNanos = pongTimeoutMs * 1_000_000L;
  }

  /** Wires the socket's handlers and the ping timer; call once, on the event loop. */
  void start(List<String> initialStreams, long pingIntervalMs) {
    registry.add(this);
    subscribe(initialStreams);
    ws.textMessageHandler(this::handleText);
    ws.frameHandler(this::handleFrame);
    ws.pongHandler(this::handlePong);
    ws.closeHandler(v -> onClosed());
    ws.exceptionHandler(e -> LOG.debug("connection {}: {}", id, e.toString()));
    pingTimer = vertx.setPeriodic(pingIntervalMs, t -> ping());
  }

  long id() {
    return id;
  }

  boolean isClosed() {
    return closed;
  }

  boolean isSilenced() {
    return silenced;
  }

  /** From now on nothing is written to this connection, and what it sends is ignored. */
  void silence() {
    silenced = true;
  }

  /** Completes once the connection is closed and gone from the registry. */
  Future<Void> closed() {
    return closedPromise.future();
  }

  /** Sends an event of {@code stream}, wrapped in the combined envelope when this connection wants it. */
  Future<Void> send(String stream, String payload) {
    return sendText(combined ? "{\"stream\":" + Json.encode(stream) + ",\"data\":" + payload + "}" : payload);
  }

  /** Writes a text frame; null when nothing was written (closed or silenced). */
  Future<Void> sendText(String text) {
    if (closed || silenced) {
      return null;
    }
    return ws.writeTextMessage(text).onFailure(e -> LOG.debug("connection {}: write failed: {}", id, e.toString()));
  }

  /** Closes the socket (with a close frame); completes once the close handler has cleaned up. */
  Future<Void> close(short code, String reason) {
    if (!closed) {
      ws.close(code, reason).onFailure(e -> LOG.debug("connection {}: close failed: {}", id, e.toString()));
    }
    return closedPromise.future();
  }

  private void handleText(String text) {
    counters.controlMessages.incrementAndGet();
    if (silenced || !countIncoming()) {
      return;
    }
    sendText(ControlProtocol.handle(text, this));
  }

  private void handleFrame(WebSocketFrame frame) {
    if (!silenced && (frame.type() == WebSocketFrameType.PING || frame.type() == WebSocketFrameType.BINARY)) {
      countIncoming();
    }
  }

  private void handlePong(Buffer payload) {
    counters.pongs.incrementAndGet();
    String text = payload.toString();
    boolean solicited = false;
    while (!outstandingPings.isEmpty()) {
      if (outstandingPings.peekFirst().payload().equals(text)) {
        solicited = true;
        outstandingPings.removeFirst();
        break;
      }
      if (outstandingPings.stream().noneMatch(p -> p.payload().equals(text))) {
        break;
      }
      outstandingPings.removeFirst();  // an older ping is implicitly answered by a newer pong
    }
    if (!solicited && !silenced) {
      countIncoming();
    }
  }

  /** False (and the connection closing) when this message broke the 5-per-second rule. */
  private boolean countIncoming() {
    long now = System.nanoTime();
    while (!recentMessages.isEmpty() && now - recentMessages.peekFirst() >= 1_000_000_000L) {
      recentMessages.removeFirst();
    }
    recentMessages.addLast(now);
    if (recentMessages.size() > MAX_MESSAGES_PER_SECOND) {
      LOG.info("connection {}: more than {} messages in a second, closing", id, MAX_MESSAGES_PER_SECOND);
      counters.rateLimitCloses.incrementAndGet();
      close((short) 1008, "Too many requests");
      return false;
    }
    return true;
  }

  private void ping() {
    if (silenced || closed) {
      return;
    }
    long nowNanos = System.nanoTime();
    PendingPing oldest = outstandingPings.peekFirst();
    if (oldest != null && nowNanos - oldest.sentNanos() > pongTimeoutNanos) {
      LOG.info("connection {}: no pong for {} ms, closing", id, (nowNanos - oldest.sentNanos()) / 1_000_000L);
      counters.pongTimeoutCloses.incrementAndGet();
      close((short) 1008, "Pong timeout");
      return;
    }
    String payload = Long.toString(simNow.getAsLong());
    outstandingPings.addLast(new PendingPing(payload, nowNanos));
    ws.writePing(Buffer.buffer(payload)).onFailure(e -> LOG.debug("connection {}: ping failed", id));
  }

  private void onClosed() {
    closed = true;
    vertx.cancelTimer(pingTimer);
    registry.remove(this);
    closedPromise.tryComplete();
  }

  // --- ControlProtocol.Session ---

  @Override
  public List<String> streams() {
    synchronized (streams) {
      return new ArrayList<>(streams);
    }
  }

  boolean isSubscribed(String stream) {
    return streams.contains(stream);
  }

  @Override
  public void subscribe(List<String> names) {
    List<String> added = new ArrayList<>();
    for (String s : names) {
      if (streams.add(s)) {
        added.add(s);
      }
    }
    registry.subscribe(this, added);
  }

  @Override
  public void unsubscribe(List<String> names) {
    List<String> removed = new ArrayList<>();
    for (String s : names) {
      if (streams.remove(s)) {
        removed.add(s);
      }
    }
    registry.unsubscribe(this, removed);
  }

  @Override
  public boolean combined() {
    return combined;
  }

  @Override
  public void combined(boolean value) {
    combined = value;
  }
}
