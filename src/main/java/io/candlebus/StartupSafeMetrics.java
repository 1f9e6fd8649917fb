package io.candlebus;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;

/**
 * Vert.x's metrics (Micrometer) with one race of Vert.x 5.0.10 made harmless: an HTTP server accepts connections as
 * soon as its port is bound, but creates its metrics only afterwards, so a connection accepted in between has no
 * socket metric, and Micrometer's HTTP metrics then throw a NullPointerException at each of its requests, which
 * are never answered. Browsers reconnecting to a restarted node and readiness probes hit that moment (a
 * {@code /ready} poll at start hung). Such a connection is simply not measured.
 */
final class StartupSafeMetrics implements VertxMetricsFactory {
  private final VertxMetricsFactory delegate;

  StartupSafeMetrics(VertxMetricsFactory delegate) {
    this.delegate = delegate;
  }

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    VertxMetrics m = delegate.metrics(options);
    return new VertxMetrics() {
      @Override
      public EventBusMetrics<?> createEventBusMetrics() {
        return m.createEventBusMetrics();
      }

      @Override
      public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions o, SocketAddress local) {
        HttpServerMetrics<?, ?, ?> server = m.createHttpServerMetrics(o, local);
        return server == null ? null : new NullSafe<>(server);
      }

      @Override
      public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remote, String type, String namespace) {
        return m.createClientMetrics(remote, type, namespace);
      }

      @Override
      public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions o) {
        return m.createHttpClientMetrics(o);
      }

      @Override
      public TCPMetrics<?> createNetServerMetrics(NetServerOptions o, SocketAddress local) {
        return m.createNetServerMetrics(o, local);
      }

      @Override
      public TCPMetrics<?> createNetClientMetrics(NetClientOptions o) {
        return m.createNetClientMetrics(o);
      }

      @Override
      public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions o) {
        return m.createDatagramSocketMetrics(o);
      }

      @Override
      public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
        return m.createPoolMetrics(type, name, maxSize);
      }

      @Override
      public void vertxCreated(Vertx vertx) {
        m.vertxCreated(vertx);
      }

      @Override
      public void close() {
        m.close();
      }
    };
  }

  /** HTTP server metrics that skip what has no socket metric (and so no request or WebSocket metric). */
  private static final class NullSafe<R, W, S> implements HttpServerMetrics<R, W, S> {
    private final HttpServerMetrics<R, W, S> d;

    @SuppressWarnings("unchecked")
    NullSafe(HttpServerMetrics<?, ?, ?> delegate) {
      this.d = (HttpServerMetrics<R, W, S>) delegate;
    }

    @Override
    public R requestBegin(S socket, HttpRequest request) {
      return socket == null ? null : d.requestBegin(socket, request);
    }

    @Override
    public void requestEnd(R r, HttpRequest request, long bytesRead) {
      if (r != null) {
        d.requestEnd(r, request, bytesRead);
      }
    }

    @Override
    public void requestReset(R r) {
      if (r != null) {
        d.requestReset(r);
      }
    }

    @Override
    public void responseBegin(R r, HttpResponse response) {
      if (r != null) {
        d.responseBegin(r, response);
      }
    }

    @Override
    public R responsePushed(S socket, HttpMethod method, String uri, HttpResponse response) {
      return socket == null ? null : d.responsePushed(socket, method, uri, response);
    }

    @Override
    public void responseEnd(R r, HttpResponse response, long bytesWritten) {
      if (r != null) {
        d.responseEnd(r, response, bytesWritten);
      }
    }

    @Override
    public W connected(S socket, R r, ServerWebSocket ws) {
      return socket == null || r == null ? null : d.connected(socket, r, ws);
    }

    @Override
    public void disconnected(W ws) {
      if (ws != null) {
        d.disconnected(ws);
      }
    }

    @Override
    public void requestRouted(R r, String route) {
      if (r != null) {
        d.requestRouted(r, route);
      }
    }

    @Override
    public S connected(SocketAddress remote, String remoteName) {
      return d.connected(remote, remoteName);
    }

    @Override
    public void disconnected(S socket, SocketAddress remote) {
      if (socket != null) {
        d.disconnected(socket, remote);
      }
    }

    @Override
    public void bytesRead(S socket, SocketAddress remote, long n) {
      if (socket != null) {
        d.bytesRead(socket, remote, n);
      }
    }

    @Override
    public void bytesWritten(S socket, SocketAddress remote, long n) {
      if (socket != null) {
        d.bytesWritten(socket, remote, n);
      }
    }

    @Override
    public void exceptionOccurred(S socket, SocketAddress remote, Throwable t) {
      if (socket != null) {
        d.exceptionOccurred(socket, remote, t);
      }
    }

    @Override
    public void close() {
      d.close();
    }
  }
}
