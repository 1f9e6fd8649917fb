package io.candlebus.load;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The baseline of {@code loadtest --external}: the plainest relay of a Binance stream one would write, each
 * upstream text frame written as it is to every connected WebSocket client, nothing parsed, queued, checked or
 * stored. Server and upstream connection share one event loop, so no write changes threads. Run as its own
 * process: {@code java -cp candlebus.jar io.candlebus.load.PlainRelay UPSTREAM_URL PORT}; it prints one line when
 * it listens and its upstream is open.
 */
public final class PlainRelay extends VerticleBase {
  private final URI upstream;
  private final int port;
  private final Set<ServerWebSocket> clients = new LinkedHashSet<>();
  /** Held in a field: Vert.x 5 closes a client, and its connections, once the client is garbage. */
  private WebSocketClient upstreamClient;

  PlainRelay(URI upstream, int port) {
    this.upstream = upstream;
    this.port = port;
  }

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: PlainRelay ws://host:port/stream?streams=... PORT");
      System.exit(2);
    }
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(new PlainRelay(URI.create(args[0]), Integer.parseInt(args[1])))
        .onSuccess(id -> System.out.println("relay: listening on 127.0.0.1:" + args[1] + ", upstream " + args[0]))
        .onFailure(e -> {
          System.err.println("relay: could not start: " + e);
          System.exit(1);
        });
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
        .webSocketHandler(ws -> {
          clients.add(ws);
          ws.closeHandler(v -> clients.remove(ws));
        })
        .listen()
        .compose(s -> (upstreamClient = vertx.createWebSocketClient(new WebSocketClientOptions()
            .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22))).connect(upstream.getPort(), upstream.getHost(),
            upstream.getRawPath() + (upstream.getRawQuery() == null ? "" : "?" + upstream.getRawQuery())))
        .onSuccess(ws -> {
          ws.textMessageHandler(text -> {
            for (ServerWebSocket c : clients) {
              c.writeTextMessage(text);
            }
          });
          // the run is void without its upstream: say so where loadtest reads it
          ws.closeHandler(v -> System.out.println("relay: upstream closed: " + ws.closeStatusCode() + " "
              + ws.closeReason()));
        });
  }
}
