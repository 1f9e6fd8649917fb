package io.candlebus;

import io.candlebus.alerts.AlertsVerticle;
import io.candlebus.candles.CandlesVerticle;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.persistence.PersistenceVerticle;
import io.candlebus.upstream.BackfillVerticle;
import io.candlebus.upstream.ConnectionBudget;
import io.candlebus.upstream.ExchangeInfoVerticle;
import io.candlebus.upstream.RestWeightLimiter;
import io.candlebus.upstream.UpstreamVerticle;
import io.candlebus.web.HttpVerticle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One candlebus node: deploys the verticles in dependency order (storage, candles, backfill, upstream,
 * exchange info, alerts, web) and undeploys them in reverse.
 */
public final class Gateway {
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final PrometheusMeterRegistry registry;
  private final List<String> deployments = new ArrayList<>();
  private HttpVerticle http;
  private BackfillVerticle backfill;

  private Gateway(Vertx vertx, boolean ownsVertx, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.registry = registry;
  }

  /** A Vert.x instance with Micrometer metrics, for running candlebus as a program. */
  public static Vertx newVertx(PrometheusMeterRegistry registry) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true);
    // one series per event-bus address would grow with every symbol and interval
    metrics.addDisabledMetricsCategory(MetricsDomain.EVENT_BUS);
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** Starts a node in its own Vert.x instance. */
  public static Future<Gateway> start(CandlebusConfig config) {
    PrometheusMeterRegistry registry = newRegistry();
    Vertx vertx = newVertx(registry);
    return deploy(vertx, true, config, registry)
        .recover(e -> vertx.close().transform(ar -> Future.failedFuture(e)));
  }

  /** Starts a node inside an existing Vert.x instance (tests); closing the node leaves Vert.x running. */
  public static Future<Gateway> deploy(Vertx vertx, CandlebusConfig config) {
    return deploy(vertx, false, config, newRegistry());
  }

  /** Starts a node in {@code vertx}, which closing the node closes too. */
  static Future<Gateway> deploy(Vertx vertx, boolean owns, CandlebusConfig config,
      PrometheusMeterRegistry registry) {
    Gateway g = new Gateway(vertx, owns, registry);
    // Binance counts REST weight per IP: one limiter for every REST caller of the node
    RestWeightLimiter limiter = RestWeightLimiter.binanceDefault();
    registry.gauge("candlebus_rest_weight_used", limiter, l -> l.used(System.currentTimeMillis()));
    registry.gauge("candlebus_rest_weight_limit", limiter, RestWeightLimiter::limit);
    g.backfill = new BackfillVerticle(config, limiter, registry);
    g.http = new HttpVerticle(config, registry);
    return g.add(new PersistenceVerticle(config, registry))
        .compose(v -> g.add(new CandlesVerticle(config, registry)))
        .compose(v -> g.add(g.backfill))
        .compose(v -> g.add(new UpstreamVerticle(config, registry, limiter, ConnectionBudget.binanceDefault())))
        .compose(v -> g.add(new ExchangeInfoVerticle(config, limiter, registry)))
        .compose(v -> g.add(new AlertsVerticle(config, registry)))
        .compose(v -> g.add(g.http))
        .map(v -> g)
        .recover(e -> g.undeployAll().transform(ar -> Future.failedFuture(e)));
  }

  private Future<Void> add(io.vertx.core.Deployable verticle) {
    return vertx.deployVerticle(verticle).map(id -> {
      deployments.add(id);
      return null;
    });
  }

  public Vertx vertx() {
    return vertx;
  }

  public int httpPort() {
    return http.actualPort();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Completes when the start-up backfill finished. */
  public Future<Void> backfillDone() {
    return backfill.completion();
  }

  private Future<Void> undeployAll() {
    List<String> ids = new ArrayList<>(deployments);
    Collections.reverse(ids);
    Future<Void> chain = Future.succeededFuture();
    for (String id : ids) {
      chain = chain.compose(v -> vertx.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    deployments.clear();
    return chain;
  }

  /** Undeploys in reverse order (pending candles are flushed by the store), then closes an owned Vert.x. */
  public Future<Void> close() {
    return undeployAll().compose(v -> ownsVertx ? vertx.close() : Future.succeededFuture());
  }
}
