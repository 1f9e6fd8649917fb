package io.candlebus.testing;

import static io.candlebus.testing.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 (between a browser and candlebus, or candlebus and the simulator) that the test can
 * cut: {@link #cut()} closes every
 * open connection (the bridge's socket and the keep-alive HTTP ones) and refuses new ones until
 * {@link #restore()}. A real loss of the connection, as a flaky network causes it, not a page-side close.
 */
public final class CutProxy implements AutoCloseable {
  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private volatile int targetPort;
  private volatile boolean cut;

  private CutProxy(Vertx vertx) {
    this.client = vertx.createNetClient();
    this.server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
    server.connectHandler(this::handleConnection);
  }

  /** Listening on a free port; the target is set once known (the browser's origin names this port). */
  public static CutProxy start(Vertx vertx) {
    CutProxy p = new CutProxy(vertx);
    await(p.server.listen());
    return p;
  }

  public int port() {
    return server.actualPort();
  }

  public void target(int port) {
    targetPort = port;
  }

  /** Drops every connection now and refuses new ones. */
  public void cut() {
    cut = true;
    Set.copyOf(sockets).forEach(NetSocket::close);
  }

  public void restore() {
    cut = false;
  }

  private void handleConnection(NetSocket browser) {
    if (cut) {
      browser.close();
      return;
    }
    browser.pause();
    client.connect(targetPort, "127.0.0.1").onComplete(ar -> {
      if (ar.failed() || cut) {
        browser.close();
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      NetSocket server = ar.result();
      track(browser);
      track(server);
      browser.pipeTo(server);
      server.pipeTo(browser);
    });
  }

  private void track(NetSocket s) {
    sockets.add(s);
    s.closeHandler(v -> sockets.remove(s));
  }

  @Override
  public void close() {
    cut();
    await(server.close().compose(v -> client.close()));
  }
}
