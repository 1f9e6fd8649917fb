package io.candlebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.junit.jupiter.api.Test;

/**
 * A connection an HTTP server accepted before Vert.x created the server's metrics has no socket metric; its
 * requests must still be measured where possible and never fail in the metrics.
 */
class StartupSafeMetricsTest {
  private static final SocketAddress LOCAL = SocketAddress.inetSocketAddress(8080, "127.0.0.1");
  private static final SocketAddress REMOTE = SocketAddress.inetSocketAddress(40000, "127.0.0.1");

  private static final HttpRequest GET_READY = new HttpRequest() {
    @Override
    public int id() {
      return 1;
    }

    @Override
    public String uri() {
      return "/ready";
    }

    @Override
    public String absoluteURI() {
      return "http://127.0.0.1:8080/ready";
    }

    @Override
    public HttpMethod method() {
      return HttpMethod.GET;
    }

    @Override
    public MultiMap headers() {
      return MultiMap.caseInsensitiveMultiMap();
    }

    @Override
    public SocketAddress remoteAddress() {
      return REMOTE;
    }
  };

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static HttpServerMetrics<Object, Object, Object> serverMetrics(VertxMetrics vertx) {
    return (HttpServerMetrics) vertx.createHttpServerMetrics(new HttpServerOptions(), LOCAL);
  }

  private static VertxOptions options() {
    return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
  }

  @Test
  void micrometerAloneFailsOnAConnectionWithoutSocketMetric() {
    VertxMetrics raw = new MicrometerMetricsFactory(new PrometheusMeterRegistry(
        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT)).metrics(options());
    HttpServerMetrics<Object, Object, Object> m = serverMetrics(raw);
    assertThatThrownBy(() -> m.requestBegin(null, GET_READY)).isInstanceOf(NullPointerException.class);
    raw.close();
  }

  @Test
  void aConnectionWithoutSocketMetricIsNotMeasuredAndNothingFails() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(
        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    VertxMetrics safe = new StartupSafeMetrics(new MicrometerMetricsFactory(registry)).metrics(options());
    HttpServerMetrics<Object, Object, Object> m = serverMetrics(safe);
    Object request = m.requestBegin(null, GET_READY);
    assertThat(request).isNull();
    m.requestEnd(null, GET_READY, 10);
    m.responseBegin(null, null);
    m.responseEnd(null, null, 10);
    m.requestRouted(null, "/ready");
    m.requestReset(null);
    m.bytesRead(null, REMOTE, 10);
    m.bytesWritten(null, REMOTE, 10);
    m.exceptionOccurred(null, REMOTE, new RuntimeException("x"));
    assertThat(m.connected(null, null, null)).isNull();
    m.disconnected(null);
    m.disconnected(null, REMOTE);

    // a connection accepted after the metrics existed is measured as before
    Object socket = m.connected(REMOTE, "127.0.0.1");
    Object measured = m.requestBegin(socket, GET_READY);
    assertThat(measured).isNotNull();
    m.requestEnd(measured, GET_READY, 0);
    m.bytesWritten(socket, REMOTE, 123);
    // only the measured connection counts: 123 bytes, not the 10 of the one without a socket metric
    assertThat(registry.scrape()).contains("vertx_http_server_bytes_written_total 123.0")
        .contains("vertx_http_server_active_connections 1.0");
    safe.close();
  }
}
