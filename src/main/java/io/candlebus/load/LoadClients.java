package io.candlebus.load;

import io.candlebus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntConsumer;

/**
 * The clients of the load commands: logged-in browsers on SockJS's WebSocket transport of candlebus's bridge
 * (registered on every symbol's trades, pinging every 5 s as vertx-eventbus.js does), or plain WebSocket clients
 * of the baseline relay. Each frame's trades are counted into a {@link LoadMeasure}.
 */
final class LoadClients {
  /** Where a bridge frame's trades carry their aggregate id (inside the SockJS string literal). */
  static final String BRIDGE_ID = "tradeId\\\":";
  /** ... and a Binance aggTrade frame's. */
  static final String RELAY_ID = "\"a\":";
  static final String PING = new JsonArray().add(new JsonObject().put("type", "ping").encode()).encode();
  static final long PING_MS = 5_000;

  private final Vertx vertx;
  private final WebSocketClient client;
  // connections land on several event loops
  private final Queue<WebSocket> sockets = new ConcurrentLinkedQueue<>();
  private final Queue<Long> timers = new ConcurrentLinkedQueue<>();

  LoadClients(Vertx vertx, int maxConnections) {
    this.vertx = vertx;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(maxConnections)
        .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 24));
  }

  /** Options for SockJS's WebSocket transport of a candlebus node, as a logged-in page from an allowed origin. */
  static WebSocketConnectOptions bridgeOptions(int port, String cookie, String session) {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/eventbus/000/" + session + "/websocket").addHeader("Cookie", "candlebus.session=" + cookie)
        .addHeader("Origin", "http://localhost:" + port);
  }

  /** One bridge client registered on {@code addresses}; {@code onFrame} gets every frame after SockJS's open. */
  Future<WebSocket> bridge(WebSocketConnectOptions options, List<String> addresses,
      java.util.function.Consumer<String> onFrame) {
    return client.connect(options).compose(ws -> {
      sockets.add(ws);
      ws.textMessageHandler(onFrame::accept);
      timers.add(vertx.setPeriodic(PING_MS, id -> ws.writeTextMessage(PING)));
      JsonArray registrations = new JsonArray();
      addresses.forEach(a -> registrations.add(new JsonObject().put("type", "register").put("address", a)
          .encode()));
      return ws.writeTextMessage(registrations.encode()).map(ws);
    });
  }

  /** {@code n} bridge clients on every symbol's trades; {@code delivered} is told how many each frame held. */
  Future<Void> bridgeAll(int n, int port, String cookie, List<String> symbols, LoadMeasure m,
      IntConsumer delivered) {
    List<String> addresses = symbols.stream().map(Addresses::trade).toList();
    List<Future<WebSocket>> ready = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ready.add(bridge(bridgeOptions(port, cookie, "lt" + i), addresses,
          frame -> delivered.accept(m.onFrame(frame, BRIDGE_ID))));
    }
    return Future.all(ready).mapEmpty();
  }

  /** {@code n} plain WebSocket clients of the baseline relay. */
  Future<Void> relayAll(int n, int port, LoadMeasure m) {
    List<Future<WebSocket>> ready = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ready.add(client.connect(port, "127.0.0.1", "/").map(ws -> {
        sockets.add(ws);
        ws.textMessageHandler(frame -> m.onFrame(frame, RELAY_ID));
        return ws;
      }));
    }
    return Future.all(ready).mapEmpty();
  }

  /** Closes every socket and stops the pings. */
  Future<Void> close() {
    timers.forEach(vertx::cancelTimer);
    List<Future<Void>> closed = new ArrayList<>();
    sockets.forEach(ws -> closed.add(ws.close()));
    sockets.clear();
    timers.clear();
    return Future.join(closed).mapEmpty().eventually(client::close).mapEmpty();
  }
}
