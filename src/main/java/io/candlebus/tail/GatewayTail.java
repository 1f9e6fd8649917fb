package io.candlebus.tail;

import io.candlebus.tail.TailOptions.Stream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * Tails a running candlebus: logs in, opens the bridge with the session cookie and registers the one address. The
 * cookie is kept across reconnects; when the bridge no longer knows it (the gateway restarted, the session
 * expired) it logs in again. A refusal that a new login would not change ends the tail ({@link TailFailure}).
 */
final class GatewayTail {
  private final Vertx vertx;
  private final TailOptions options;
  private final String password;
  private final TailLine format;
  private final Consumer<String> out;
  private final PrintStream err;
  private final HttpClient http;
  private final WebSocketClient ws;
  private String cookie;

  GatewayTail(Vertx vertx, TailOptions options, String password, TailLine format, Consumer<String> out,
      PrintStream err) {
    this.vertx = vertx;
    this.options = options;
    this.password = password;
    this.format = format;
    this.out = out;
    this.err = err;
    boolean tls = "https".equalsIgnoreCase(options.url().getScheme());
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000).setSsl(tls)
        .setVerifyHost(true));
    // candles and trades are small, but a ticker-sized frame must not kill the socket
    this.ws = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(10_000)
        .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22).setSsl(tls).setVerifyHost(true));
  }

  /** One connection for the {@link Reconnector}. */
  Future<Reconnector.Link> open() {
    if (cookie != null) {
      return connect(true);
    }
    return login().compose(c -> connect(false));
  }

  private Future<String> login() {
    return GatewayLogin.login(http, options.url(), options.user(), password).map(c -> cookie = c);
  }

  private Future<Reconnector.Link> connect(boolean reused) {
    Promise<String> lost = Promise.promise();
    BridgeSession.Listener listener = new BridgeSession.Listener() {
      @Override
      public void message(String address, Object body) {
        if (body instanceof JsonObject m) {
          show(m);
        }
      }

      @Override
      public void error(String body) {
        lost.tryFail(TailFailure.refused("the gateway at " + GatewayLogin.display(options.url()) + " refused "
            + options.address() + " (" + body + ")" + ("access_denied".equals(body)
            ? ": it does not carry that symbol or interval (see /api/symbols and /api/intervals)" : "")));
      }
    };
    return session(listener, reused).map(session -> {
      session.register(options.address());
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
  private Future<BridgeSession> session(BridgeSession.Listener listener, boolean reused) {
    return BridgeSession.open(vertx, ws, options.url(), cookie, listener).recover(e -> {
      if (e instanceof BridgeSession.Refused r && r.status() == 401 && reused) {
        err.println("tail: the session is gone, logging in again");
        cookie = null;
        return login().compose(c -> session(listener, false));
      }
      return Future.failedFuture(e instanceof BridgeSession.Refused r ? TailFailure.refused(r.getMessage()) : e);
    });
  }

  private void show(JsonObject m) {
    if (options.stream() == Stream.TRADE && m.getValue("missed") instanceof Number n) {
      // the gateway drops trades for a client that reads too slowly, and says how many
      err.println("tail: " + n + " trades missed (this terminal read too slowly for the gateway)");
      return;
    }
    String line = options.stream() == Stream.TRADE ? format.trade(m) : format.candle(m);
    if (line != null) {
      out.accept(line);
    }
  }
}
