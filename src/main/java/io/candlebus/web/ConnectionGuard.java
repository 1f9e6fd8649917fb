package io.candlebus.web;

import com.sun.management.UnixOperatingSystemMXBean;
import io.candlebus.config.LimitSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one client, logged in or not, from holding a node's connections: a cap per remote address and one for
 * the node, checked as a connection is accepted; a deadline for each request's header, from the connection's
 * opening (or, longer, from its previous response's end), and one for its body, from its header; Vert.x's idle
 * timeout closes whatever goes silent in between (a WebSocket too). Every refusal is counted ({@link Refusal}).
 *
 * <p>One per {@link HttpVerticle} instance: a connection and its requests are all handled on the event loop of
 * the instance that accepted it, so its own state needs no lock; the counts the caps apply to are the node's.
 */
final class ConnectionGuard {
  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

  private final Vertx vertx;
  private final LimitSettings limits;
  private final MeterRegistry registry;
  private final ConnectionCounts counts;
  private final long openFileLimit = openFileLimit();
  private final int maxConnections;
  private final Map<HttpConnection, Guarded> open = new HashMap<>();

  ConnectionGuard(Vertx vertx, LimitSettings limits, MeterRegistry registry, ConnectionCounts counts) {
    this.vertx = vertx;
    this.limits = limits;
    this.registry = registry;
    this.counts = counts;
    this.maxConnections = limits.maxConnections(openFileLimit);
  }

  /** The server side of the bounds, on the options of this instance's server. */
  HttpServerOptions configure(HttpServerOptions options) {
    // with h2c Vert.x makes the HTTP connection only once the first bytes arrive: a client that sends nothing
    // would be neither capped nor timed (browsers never speak h2c)
    return options.setHttp2ClearTextEnabled(false)
        .setIdleTimeout((int) limits.httpIdleTimeoutMs()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /** Once per node: an operator must see which cap the open-file limit gave. */
  void logLimits() {
    String node = maxConnections == 0 ? "no cap on the node (its open-file limit is unknown)"
        : "at most " + maxConnections + " on the node (" + (limits.httpMaxConnections() > 0 ? "http.max.connections"
            : "open-file limit " + openFileLimit + " less " + LimitSettings.RESERVED_FILES + " reserved") + ")";
    int perAddress = limits.httpMaxConnectionsPerAddress();
    log.info("HTTP connections: {}, {} per address; a request's header within {} ms, its body within {} ms; "
        + "closed after {} ms idle", node, perAddress == 0 ? "no cap" : "at most " + perAddress,
        limits.httpHeaderTimeoutMs(), limits.httpBodyTimeoutMs(), limits.httpIdleTimeoutMs());
  }

  /** {@code HttpServer.connectionHandler}: at accept, as h2c is off. */
  void handleConnection(HttpConnection conn) {
    String address = address(conn);
    Refusal refused = counts.admit(address, limits.httpMaxConnectionsPerAddress(), maxConnections);
    if (refused != null) {
      refused.count(registry);
      conn.close();
      return;
    }
    Guarded guarded = new Guarded(conn);
    open.put(conn, guarded);
    closed(conn).onComplete(ar -> {
      guarded.closed = true;
      guarded.cancel();
      open.remove(conn);
      counts.closed(address);
    });
    guarded.awaitHeader(true);
  }

  /** The router's first route: a request's header is complete. */
  void handleRequest(RoutingContext ctx) {
    Guarded guarded = open.get(ctx.request().connection());
    if (guarded != null) {
      guarded.begin(ctx);
    }
    ctx.next();
  }

  /**
   * Vert.x replaces the handler of a connection that becomes a WebSocket, and the HTTP connection's close handler
   * is then never called: the channel's own close future always completes.
   */
  private static Future<Void> closed(HttpConnection conn) {
    if (conn instanceof ConnectionBase base) {
      return base.closeFuture();
    }
    Promise<Void> closed = Promise.promise();
    conn.closeHandler(v -> closed.tryComplete());
    return closed.future();
  }

  private static String address(HttpConnection conn) {
    SocketAddress a = conn.remoteAddress();
    if (a == null) {
      return "";
    }
    return a.hostAddress() != null ? a.hostAddress() : String.valueOf(a.host());
  }

  /** This process's open-file limit (the JVM raises its soft limit to the hard one), -1 if unknown. */
  static long openFileLimit() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
        ? unix.getMaxFileDescriptorCount() : -1;
  }

  /** One admitted connection: at most one deadline runs at a time, its request's header's or its body's. */
  private final class Guarded {
    private final HttpConnection conn;
    private long timer = -1;
    private boolean bodyPending;
    private boolean responsePending;
    private boolean closed;

    Guarded(HttpConnection conn) {
      this.conn = conn;
    }

    /**
     * The first request's header is due within the header timeout; a later one's within the idle timeout more: a
     * kept-alive connection that goes silent is the idle timeout's to close (browsers keep them for minutes, that
     * is no refusal), so this deadline only catches one that keeps trickling bytes of a header.
     */
    void awaitHeader(boolean first) {
      long ms = first ? limits.httpHeaderTimeoutMs() : limits.httpIdleTimeoutMs() + limits.httpHeaderTimeoutMs();
      arm(ms, () -> {
        log.debug("{}: no request header within {} ms, closed", conn.remoteAddress(), ms);
        Refusal.HTTP_HEADER_TIMEOUT.count(registry);
        conn.close();
      });
    }

    void begin(RoutingContext ctx) {
      cancel();
      HttpServerRequest request = ctx.request();
      responsePending = true;
      // a WebSocket's handshake has no body, and what follows it is frames, under the idle timeout
      bodyPending = !request.isEnded() && !request.canUpgradeToWebSocket();
      if (bodyPending) {
        arm(limits.httpBodyTimeoutMs(), () -> bodyTimedOut(ctx));
        request.end().onComplete(ar -> {
          bodyPending = false;
          cancel();
          if (ar.succeeded()) {
            awaitNextRequest();
          }
        });
      }
      ctx.addEndHandler(ar -> {
        responsePending = false;
        if (ar.succeeded()) {
          awaitNextRequest();
        }
      });
    }

    /** Keep-alive: the next request's header is due once this one is read and answered. */
    private void awaitNextRequest() {
      if (!bodyPending && !responsePending) {
        awaitHeader(false);
      }
    }

    private void bodyTimedOut(RoutingContext ctx) {
      log.debug("{}: no whole request body within {} ms, closed", conn.remoteAddress(), limits.httpBodyTimeoutMs());
      Refusal.HTTP_BODY_TIMEOUT.count(registry);
      HttpServerResponse response = ctx.response();
      if (!response.headWritten()) {
        response.setStatusCode(408).putHeader(HttpHeaders.CONNECTION, "close")
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(new JsonObject().put("error", "request body not received within " + limits.httpBodyTimeoutMs()
                + " ms").encode());
      }
      conn.close();
    }

    private void arm(long ms, Runnable expired) {
      cancel();
      if (!closed) {
        timer = vertx.setTimer(ms, id -> {
          timer = -1;
          expired.run();
        });
      }
    }

    void cancel() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }
}
