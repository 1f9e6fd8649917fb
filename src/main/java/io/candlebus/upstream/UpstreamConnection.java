package io.candlebus.upstream;

import io.candlebus.domain.Interval;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket to Binance carrying the combined streams of a group of symbols. Reconnects with a capped
 * exponential backoff when the socket closes; Vert.x answers Binance's pings with pongs echoing the payload.
 */
final class UpstreamConnection {
  private static final Logger log = LoggerFactory.getLogger(UpstreamConnection.class);
  private static final long MIN_BACKOFF_MS = 500;
  private static final long MAX_BACKOFF_MS = 30_000;
  /** A connection that lived this long resets the backoff; shorter ones keep doubling it. */
  private static final long STABLE_MS = 10_000;

  interface Listener {
    void frame(UpstreamConnection connection, String text);

    void connected(UpstreamConnection connection);

    void disconnected(UpstreamConnection connection, String reason);
  }

  private final Vertx vertx;
  private final WebSocketClient client;
  private final URI base;
  private final List<String> symbols;
  private final String path;
  private final Listener listener;

  private WebSocket socket;
  private boolean stopped;
  private int failures;
  private long connectedAt;
  private long reconnectTimer = -1;

  UpstreamConnection(Vertx vertx, WebSocketClient client, URI base, List<String> symbols, List<Interval> intervals,
      Listener listener) {
    this.vertx = vertx;
    this.client = client;
    this.base = base;
    this.symbols = List.copyOf(symbols);
    this.listener = listener;
    String streams = symbols.stream().flatMap(s -> StreamNames.forSymbol(s, intervals).stream())
        .collect(Collectors.joining("/"));
    String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
    this.path = basePath + "/stream?streams=" + streams;
  }

  List<String> symbols() {
    return symbols;
  }

  boolean isConnected() {
    return socket != null;
  }

  String describe() {
    return base.getHost() + " [" + String.join(",", symbols) + "]";
  }

  void start() {
    connect();
  }

  Future<Void> stop() {
    stopped = true;
    if (reconnectTimer >= 0) {
      vertx.cancelTimer(reconnectTimer);
    }
    WebSocket ws = socket;
    socket = null;
    return ws == null ? Future.succeededFuture() : ws.close().recover(e -> Future.succeededFuture());
  }

  /** Closes the socket; the usual reconnect follows (used on serverShutdown). */
  void reconnectNow(String reason) {
    WebSocket ws = socket;
    if (ws != null) {
      log.info("upstream {}: reconnecting: {}", describe(), reason);
      ws.close();
    }
  }

  private void connect() {
    reconnectTimer = -1;
    if (stopped) {
      return;
    }
    boolean tls = "wss".equals(base.getScheme().toLowerCase(Locale.ROOT));
    int port = base.getPort() > 0 ? base.getPort() : tls ? 443 : 80;
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(base.getHost()).setPort(port).setSsl(tls).setURI(path);
    client.connect(options).onComplete(ar -> {
      if (ar.failed()) {
        scheduleReconnect("connect failed: " + ar.cause().getMessage());
        return;
      }
      WebSocket ws = ar.result();
      if (stopped) {
        ws.close();
        return;
      }
      socket = ws;
      connectedAt = System.currentTimeMillis();
      ws.textMessageHandler(text -> listener.frame(this, text));
      ws.exceptionHandler(e -> log.warn("upstream {}: {}", describe(), e.toString()));
      ws.closeHandler(v -> onClosed(ws));
      log.info("upstream {}: connected", describe());
      listener.connected(this);
    });
  }

  private void onClosed(WebSocket ws) {
    if (socket != ws) {
      return;
    }
    socket = null;
    if (System.currentTimeMillis() - connectedAt >= STABLE_MS) {
      failures = 0;
    }
    String reason = "closed" + (ws.closeStatusCode() == null ? "" : " (" + ws.closeStatusCode()
        + (ws.closeReason() == null ? "" : " " + ws.closeReason()) + ")");
    if (!stopped) {
      scheduleReconnect(reason);
    }
  }

  private void scheduleReconnect(String reason) {
    long delay = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(failures, 16));
    failures++;
    log.warn("upstream {}: {}; reconnecting in {} ms", describe(), reason, delay);
    listener.disconnected(this, reason);
    if (!stopped) {
      reconnectTimer = vertx.setTimer(delay, id -> connect());
    }
  }
}
