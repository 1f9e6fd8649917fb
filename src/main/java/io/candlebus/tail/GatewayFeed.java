package io.candlebus.tail;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;

/**
 * The messages of some bridge addresses of a running candlebus, as a browser gets them: logs in, opens the bridge
 * with the session cookie and registers the addresses. The cookie is kept across reconnects; when the bridge no
 * longer knows it (the gateway restarted, the session expired) it logs in again. A refusal that a new login would
 * not change ends the feed ({@link TailFailure}). Used by {@code tail} and by {@code capture --url}.
 */
public final class GatewayFeed {
  /** Called on the event loop with each message of a registered address. */
  public interface Listener {
    void message(String address, JsonObject body);
  }

  private final Vertx vertx;
  private final URI url;
  private final String user;
  private final String password;
  private final List<String> addresses;
  private final Listener listener;
  private final PrintStream err;
  private final String who;
  private final HttpClient http;
  private final WebSocketClient ws;
  private String cookie;

  /** {@code who} starts its stderr lines ({@code tail}, {@code capture}). */
  public GatewayFeed(Vertx vertx, URI url, String user, String password, List<String> addresses, Listener listener,
      PrintStream err, String who) {
    this.vertx = vertx;
    this.url = url;
    this.user = user;
    this.password = password;
    this.addresses = List.copyOf(addresses);
    this.listener = listener;
    this.err = err;
    this.who = who;
    boolean tls = "https".equalsIgnoreCase(url.getScheme());
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000).setSsl(tls)
        .setVerifyHost(true));
    // candles and trades are small, but a ticker-sized frame must not kill the socket
    this.ws = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(10_000)
        .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22).setSsl(tls).setVerifyHost(true));
  }

  /** Keeps the feed up, reconnecting with backoff; its {@link Reconnector#fatal()} tells a refusal. */
  public Reconnector reconnector() {
    return new Reconnector(vertx, GatewayLogin.display(url), this::open, err, who);
  }

  /** One connection for the {@link Reconnector}. */
  Future<Reconnector.Link> open() {
    if (cookie != null) {
      return connect(true);
    }
    return login().compose(c -> connect(false));
  }

  private Future<String> login() {
    return GatewayLogin.login(http, url, user, password).map(c -> cookie = c);
  }

  private Future<Reconnector.Link> connect(boolean reused) {
    Promise<String> lost = Promise.promise();
    BridgeSession.Listener bridge = new BridgeSession.Listener() {
      @Override
      public void message(String address, Object body) {
        if (body instanceof JsonObject m) {
          listener.message(address, m);
        }
      }

      @Override
      public void error(String body) {
        lost.tryFail(TailFailure.refused("the gateway at " + GatewayLogin.display(url) + " refused "
            + (addresses.size() == 1 ? addresses.get(0) : "one of " + String.join(", ", addresses)) + " (" + body
            + ")" + ("access_denied".equals(body)
            ? ": it does not carry that symbol or interval (see /api/symbols and /api/intervals)" : "")));
      }
    };
    return session(bridge, reused).map(session -> {
      addresses.forEach(session::register);
      session.ended().onSuccess(why -> {
        if (why.notLoggedIn()) {
          cookie = null; // the next attempt logs in first
        }
        lost.tryComplete(why.toString());
      });
      lost.future().onFailure(e -> session.close());
      return new Reconnector.Link(lost.future(), session::close);
    });
  }

  /** The bridge with the kept cookie; with a new one when the bridge no longer knows the kept one. */
  private Future<BridgeSession> session(BridgeSession.Listener bridge, boolean reused) {
    return BridgeSession.open(vertx, ws, url, cookie, bridge).recover(e -> {
      if (e instanceof BridgeSession.Refused r && r.status() == 401 && reused) {
        err.println(who + ": the session is gone, logging in again");
        cookie = null;
        return login().compose(c -> session(bridge, false));
      }
      return Future.failedFuture(e instanceof BridgeSession.Refused r ? TailFailure.refused(r.getMessage()) : e);
    });
  }
}
