package io.candlebus.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A browser-less client of the SockJS event-bus bridge over SockJS's WebSocket transport
 * ({@code /eventbus/<server>/<session>/websocket}), speaking vertx-eventbus.js's protocol, pings included: like
 * the page, it pings every 5 s, so a slow test is not closed as a silent client after 30 s.
 */
public final class SockJsClient {
  static final long PING_INTERVAL_MS = 5_000; // vertx-eventbus.js's default pingInterval
  private final Vertx vertx;
  private final WebSocketClient client;
  private final List<JsonObject> received = new ArrayList<>();
  private final AtomicLong count = new AtomicLong();
  private WebSocket ws;
  private volatile boolean opened;
  private volatile boolean closed;
  private volatile Short closeStatus;
  private long pinger = -1;

  private SockJsClient(Vertx vertx, WebSocketClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  /**
   * Connects with the session cookie (may be null) and Origin (may be null); {@code receiveBuffer} > 0 shrinks the
   * socket's receive buffer, so a paused client pushes back quickly.
   */
  public static Future<SockJsClient> connect(Vertx vertx, int port, String sessionCookie, String origin,
      int receiveBuffer) {
    WebSocketClientOptions o = new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22);
    if (receiveBuffer > 0) {
      o.setReceiveBufferSize(receiveBuffer);
    }
    SockJsClient c = new SockJsClient(vertx, vertx.createWebSocketClient(o));
    String session = UUID.randomUUID().toString().substring(0, 8);
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/eventbus/000/" + session + "/websocket").setAllowOriginHeader(origin != null);
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    if (sessionCookie != null) {
      options.addHeader("Cookie", "candlebus.session=" + sessionCookie);
    }
    // handlers set before the handshake: the server writes "o" at once, and a frame that came before a handler
    // set once the connect future completed (on another thread) would be lost
    ClientWebSocket ws = c.client.webSocket();
    ws.textMessageHandler(c::onFrame);
    ws.closeHandler(v -> {
      c.closed = true;
      c.closeStatus = ws.closeStatusCode();
      vertx.cancelTimer(c.pinger);
    });
    return ws.connect(options).map(connected -> {
      c.ws = connected;
      c.pinger = vertx.setPeriodic(PING_INTERVAL_MS, id -> {
        if (!c.closed) {
          c.send(new JsonObject().put("type", "ping"));
        }
      });
      return c;
    }).onFailure(e -> c.client.close()); // refused (a 429...): nothing left open
  }

  private void onFrame(String frame) {
    if (frame.equals("o")) {
      opened = true;
    } else if (frame.startsWith("a")) {
      JsonArray messages = new JsonArray(frame.substring(1));
      synchronized (received) {
        for (int i = 0; i < messages.size(); i++) {
          received.add(new JsonObject(messages.getString(i)));
        }
      }
      count.addAndGet(messages.size());
    } else if (frame.startsWith("c")) {
      closed = true;
    }
  }

  public boolean opened() {
    return opened;
  }

  public boolean closed() {
    return closed;
  }

  public Short closeStatus() {
    return closeStatus;
  }

  public long count() {
    return count.get();
  }

  public List<JsonObject> received() {
    synchronized (received) {
      return new ArrayList<>(received);
    }
  }

  public List<JsonObject> received(String type) {
    return received().stream().filter(m -> type.equals(m.getString("type"))).toList();
  }

  public Future<Void> send(JsonObject message) {
    return ws.writeTextMessage(new JsonArray().add(message.encode()).encode());
  }

  public Future<Void> register(String address) {
    return send(new JsonObject().put("type", "register").put("address", address).put("headers", new JsonObject()));
  }

  public Future<Void> writeRaw(String text) {
    return ws.writeTextMessage(text);
  }

  /** Whether what this client wrote waits in its queue (the server reads slower than it writes). */
  public boolean writeQueueFull() {
    try {
      return ws.writeQueueFull();
    } catch (IllegalStateException closedMeanwhile) {
      return false; // a write fails then
    }
  }

  /** Stops reading from the socket: the server's writes back up. */
  public void pause() {
    ws.pause();
  }

  public void resume() {
    ws.resume();
  }

  public Future<Void> close() {
    vertx.cancelTimer(pinger);
    return (ws == null ? Future.<Void>succeededFuture() : ws.close().recover(e -> Future.succeededFuture()))
        .compose(v -> client.close());
  }
}
