package io.candlebus.tail;

import io.candlebus.tail.TailOptions.Stream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.function.Consumer;

/**
 * Tails Binance itself (or its simulator): one raw stream {@code <base>/ws/<symbol>@kline_<i>} or
 * {@code @aggTrade}, its events mapped to the bus's candle and trade shapes so {@link TailLine} prints them alike.
 * We ping every {@value #PING_MS} ms (Binance allows unsolicited pings and answers them) so a dead connection is
 * noticed after {@value #SILENCE_MS} ms without frames or pongs.
 */
final class BinanceTail {
  static final long PING_MS = 10_000;
  static final long SILENCE_MS = 45_000;

  private final Vertx vertx;
  private final TailOptions options;
  private final TailLine format;
  private final Consumer<String> out;
  private final WebSocketClient client;

  BinanceTail(Vertx vertx, TailOptions options, TailLine format, Consumer<String> out) {
    this.vertx = vertx;
    this.options = options;
    this.format = format;
    this.out = out;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(10_000)
        .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22)
        .setSsl("wss".equalsIgnoreCase(options.wsUrl().getScheme())).setVerifyHost(true));
  }

  /** One connection for the {@link Reconnector}. */
  Future<Reconnector.Link> open() {
    URI base = options.wsUrl();
    boolean tls = "wss".equalsIgnoreCase(base.getScheme());
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(base.getHost())
        .setPort(base.getPort() > 0 ? base.getPort() : tls ? 443 : 80).setSsl(tls)
        .setURI(GatewayLogin.basePath(base) + "/ws/" + options.binanceStream());
    return client.connect(o).recover(e -> Future.failedFuture(e instanceof UpgradeRejectedException r
        ? new IllegalStateException("Binance answered HTTP " + r.getStatus()) : e)).map(this::follow);
  }

  private Reconnector.Link follow(WebSocket ws) {
    Promise<String> lost = Promise.promise();
    long[] lastHeard = {System.currentTimeMillis()};
    ws.textMessageHandler(text -> {
      lastHeard[0] = System.currentTimeMillis();
      show(text);
    });
    ws.pongHandler(b -> lastHeard[0] = System.currentTimeMillis());
    ws.exceptionHandler(e -> lost.tryComplete(String.valueOf(e.getMessage())));
    ws.closeHandler(v -> lost.tryComplete(ws.closeStatusCode() == null ? "connection lost"
        : "closed by Binance: " + ws.closeStatusCode() + (ws.closeReason() == null ? "" : " " + ws.closeReason())));
    long timer = vertx.setPeriodic(PING_MS, id -> {
      if (System.currentTimeMillis() - lastHeard[0] > SILENCE_MS) {
        lost.tryComplete("nothing heard for " + SILENCE_MS / 1000 + " s");
      } else {
        ws.writePing(Buffer.buffer("tail"));
      }
    });
    lost.future().onComplete(v -> {
      vertx.cancelTimer(timer);
      if (!ws.isClosed()) {
        ws.close((short) 1000);
      }
    });
    return new Reconnector.Link(lost.future(), () -> {
      vertx.cancelTimer(timer);
      return ws.isClosed() ? Future.succeededFuture() : ws.close((short) 1000).recover(e -> Future.succeededFuture());
    });
  }

  private void show(String text) {
    JsonObject e;
    try {
      e = new JsonObject(text);
    } catch (DecodeException | ClassCastException x) {
      return; // not an event; Binance sends only JSON objects
    }
    JsonObject mapped = options.stream() == Stream.TRADE ? trade(e) : candle(e);
    String line = mapped == null ? null : options.stream() == Stream.TRADE ? format.trade(mapped)
        : format.candle(mapped);
    if (line != null) {
      out.accept(line);
    }
  }

  /** A kline event ({@code {"e":"kline","s":..,"k":{t,i,o,h,l,c,x,..}}}) as the bus's candle; null otherwise. */
  static JsonObject candle(JsonObject e) {
    if (!"kline".equals(e.getValue("e")) || !(e.getValue("k") instanceof JsonObject k)) {
      return null;
    }
    return new JsonObject().put("symbol", e.getValue("s")).put("interval", k.getValue("i"))
        .put("openTime", k.getValue("t")).put("open", k.getValue("o")).put("high", k.getValue("h"))
        .put("low", k.getValue("l")).put("close", k.getValue("c")).put("closed", k.getValue("x"));
  }

  /** An aggTrade (or trade) event as the bus's trade; null otherwise. */
  static JsonObject trade(JsonObject e) {
    if (!"aggTrade".equals(e.getValue("e")) && !"trade".equals(e.getValue("e"))) {
      return null;
    }
    return new JsonObject().put("symbol", e.getValue("s")).put("time", e.getValue("T"))
        .put("price", e.getValue("p")).put("qty", e.getValue("q"));
  }
}
