package io.candlebus.tail;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.security.SecureRandom;

/**
 * One connection to candlebus's event-bus bridge over SockJS's WebSocket transport
 * ({@code /eventbus/<server>/<session>/websocket}), as a browser's {@code vertx-eventbus.js} makes it: with the
 * session cookie and the gateway's own {@code Origin}, pinging every 5 s (the bridge closes sockets silent for
 * 30 s). It reads SockJS's frames: {@code o} (open), {@code h} (heartbeat), {@code a[...]} (messages),
 * {@code c[code,"reason"]} (close). No reconnecting here: a session lives once, {@link #ended()} says why it ended.
 */
public final class BridgeSession {
  static final long PING_MS = 5_000; // vertx-eventbus.js's default
  /** The bridge sends a heartbeat every 25 s; two missed mean the connection is dead (a half-open TCP). */
  static final long SILENCE_MS = 60_000;
  static final long OPEN_TIMEOUT_MS = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What the bridge says after the open. Called on the Vert.x event loop. */
  public interface Listener {
    void message(String address, Object body);

    /** An {@code err} frame, e.g. {@code access_denied} for an address we may not register. */
    void error(String body);
  }

  /** How a session ended: a SockJS close frame's code and reason, or -1 and what happened to the connection. */
  public record Closed(int code, String reason) {
    /** The bridge closes with 3000 not_logged_in when the session behind the cookie is gone. */
    public boolean notLoggedIn() {
      return code == 3000 && "not_logged_in".equals(reason);
    }

    @Override
    public String toString() {
      return code < 0 ? reason : "closed by the gateway: " + code + " " + reason;
    }
  }

  /** The bridge refused the WebSocket handshake: HTTP 401 (no logged-in session), 403 (origin), 404. */
  public static final class Refused extends RuntimeException {
    private final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final Vertx vertx;
  private final Listener listener;
  private final Promise<BridgeSession> opened = Promise.promise();
  private final Promise<Closed> ended = Promise.promise();
  private WebSocket ws;
  private long lastHeard = System.currentTimeMillis();
  private long timer = -1;
  private Future<Void> closing = Future.succeededFuture();

  private BridgeSession(Vertx vertx, Listener listener) {
    this.vertx = vertx;
    this.listener = listener;
  }

  /**
   * Opens the bridge of the gateway at {@code base} (http or https) with the session cookie's value ({@code null}
   * sends none); succeeds once the bridge said {@code o}. Fails with {@link Refused} when the bridge refused it.
   */
  public static Future<BridgeSession> open(Vertx vertx, WebSocketClient client, URI base, String cookie,
      Listener listener) {
    BridgeSession s = new BridgeSession(vertx, listener);
    boolean tls = "https".equalsIgnoreCase(base.getScheme());
    String path = GatewayLogin.basePath(base) + "/eventbus/" + (100 + RANDOM.nextInt(900)) + "/"
        + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36) + "/websocket";
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(base.getHost())
        .setPort(base.getPort() > 0 ? base.getPort() : tls ? 443 : 80).setSsl(tls).setURI(path)
        .setConnectTimeout(OPEN_TIMEOUT_MS).setAllowOriginHeader(true)
        .addHeader("Origin", GatewayLogin.origin(base));
    if (cookie != null) {
      o.addHeader("Cookie", GatewayLogin.COOKIE + "=" + cookie);
    }
    String where = GatewayLogin.display(base) + "/eventbus";
    client.connect(o).onComplete(ar -> {
      if (ar.failed()) {
        s.opened.fail(ar.cause() instanceof UpgradeRejectedException r ? refused(where, r.getStatus())
            : ar.cause());
      } else {
        s.attach(ar.result());
      }
    });
    return s.opened.future();
  }

  private static Throwable refused(String where, int status) {
    return switch (status) {
      case 401 -> new Refused(401, "the bridge at " + where + " refused the connection: not logged in (HTTP 401)");
      case 403 -> new Refused(403, "the bridge at " + where + " refused the connection: origin not allowed "
          + "(HTTP 403; the gateway's CANDLEBUS_PUBLIC_ORIGIN must list the --url's origin)");
      case 404 -> new Refused(404, "no event-bus bridge at " + where + " (HTTP 404): is --url a candlebus gateway?");
      default -> new IllegalStateException("the bridge answered HTTP " + status);
    };
  }

  private void attach(WebSocket socket) {
    ws = socket;
    ws.textMessageHandler(this::onFrame);
    ws.exceptionHandler(e -> end(new Closed(-1, String.valueOf(e.getMessage()))));
    ws.closeHandler(v -> end(new Closed(-1, ws.closeStatusCode() == null ? "connection lost"
        : "connection closed (" + ws.closeStatusCode() + (ws.closeReason() == null ? "" : " " + ws.closeReason())
        + ")")));
    timer = vertx.setPeriodic(PING_MS, id -> tick());
    vertx.setTimer(OPEN_TIMEOUT_MS, id -> {
      if (!opened.future().isComplete()) {
        end(new Closed(-1, "the bridge did not open within " + OPEN_TIMEOUT_MS / 1000 + " s"));
      }
    });
  }

  private void tick() {
    if (System.currentTimeMillis() - lastHeard > SILENCE_MS) {
      end(new Closed(-1, "nothing heard for " + SILENCE_MS / 1000 + " s"));
    } else {
      write(new JsonObject().put("type", "ping"));
    }
  }

  private void onFrame(String frame) {
    lastHeard = System.currentTimeMillis();
    if (frame.equals("o")) {
      opened.tryComplete(this);
    } else if (frame.startsWith("a[")) {
      try {
        for (Object m : new JsonArray(frame.substring(1))) {
          deliver(new JsonObject(String.valueOf(m)));
        }
      } catch (DecodeException | ClassCastException e) {
        end(new Closed(-1, "a broken SockJS frame"));
      }
    } else if (frame.startsWith("c[")) {
      try {
        JsonArray c = new JsonArray(frame.substring(1));
        end(new Closed(c.getInteger(0), c.getString(1)));
      } catch (RuntimeException e) {
        end(new Closed(-1, "closed: " + frame));
      }
    } // "h" and anything else only count as signs of life
  }

  private void deliver(JsonObject m) {
    String type = m.getString("type", "");
    if (type.equals("rec")) {
      listener.message(m.getString("address"), m.getValue("body"));
    } else if (type.equals("err")) {
      listener.error(String.valueOf(m.getValue("body")));
    }
  }

  /** Asks for the messages of {@code address}; a refusal comes back as {@link Listener#error}. */
  public void register(String address) {
    write(new JsonObject().put("type", "register").put("address", address).put("headers", new JsonObject()));
  }

  private void write(JsonObject message) {
    if (ws != null && !ended.future().isComplete()) {
      ws.writeTextMessage(new JsonArray().add(message.encode()).encode());
    }
  }

  /** Completes once, when the session ended for whatever reason (also after {@link #close()}). */
  public Future<Closed> ended() {
    return ended.future();
  }

  private void end(Closed why) {
    if (ended.tryComplete(why)) {
      vertx.cancelTimer(timer);
      opened.tryFail(why.toString());
      if (ws != null && !ws.isClosed()) {
        closing = ws.close((short) 1000).recover(e -> Future.succeededFuture()); // already going: fine
      }
    }
  }

  /** Closes the WebSocket cleanly (1000) and ends the session. */
  public Future<Void> close() {
    end(new Closed(-1, "closed by tail"));
    return closing;
  }
}
