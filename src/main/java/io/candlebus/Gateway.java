package io.candlebus;

import io.candlebus.alerts.AlertsVerticle;
import io.candlebus.alerts.IndicatorAlertsVerticle;
import io.candlebus.alerts.UserAlertsVerticle;
import io.candlebus.alerts.WebhookVerticle;
import io.candlebus.candles.CandlesVerticle;
import io.candlebus.cluster.ClusterNode;
import io.candlebus.cluster.OwnershipVerticle;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.persistence.DepthRecorderVerticle;
import io.candlebus.persistence.PersistenceVerticle;
import io.candlebus.upstream.BackfillVerticle;
import io.candlebus.upstream.CarryVerticle;
import io.candlebus.upstream.RefetchVerticle;
import io.candlebus.upstream.ConnectionBudget;
import io.candlebus.upstream.DepthVerticle;
import io.candlebus.upstream.ExchangeInfoVerticle;
import io.candlebus.upstream.RestWeightLimiter;
import io.candlebus.upstream.TickerVerticle;
import io.candlebus.upstream.UpstreamVerticle;
import io.candlebus.web.HttpShared;
import io.candlebus.web.HttpVerticle;
import io.candlebus.web.IndicatorFeedVerticle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * One candlebus node: deploys the verticles of its role in dependency order (ingest: storage, candles, backfill,
 * upstream, exchange info, the depth recorder and books, the ticker board, alerts, and in a cluster the symbol
 * ownership; edge: the live indicators, then web) and undeploys them in reverse.
 */
public final class Gateway {
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final PrometheusMeterRegistry registry;
  private final List<String> deployments = new ArrayList<>();
  private HttpShared http;
  private BackfillVerticle backfill;

  private Gateway(Vertx vertx, boolean ownsVertx, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.registry = registry;
  }

  /** A Vert.x instance with Micrometer metrics, for running candlebus as a program. */
  public static Vertx newVertx(PrometheusMeterRegistry registry) {
    return builder(registry, new EventBusOptions()).build();
  }

  /** A Vert.x instance with Micrometer metrics, joined to the Hazelcast cluster when the configuration says so. */
  public static Future<Vertx> newVertx(PrometheusMeterRegistry registry, CandlebusConfig config) {
    if (!config.cluster()) {
      return Future.succeededFuture(newVertx(registry));
    }
    // the event bus of each node listens on the cluster host, on a free port
    return ClusterNode.join(builder(registry, new EventBusOptions().setHost(config.clusterHost()).setPort(0)),
        config);
  }

  private static VertxBuilder builder(PrometheusMeterRegistry registry, EventBusOptions eventBus) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true);
    // one series per event-bus address would grow with every symbol and interval
    metrics.addDisabledMetricsCategory(MetricsDomain.EVENT_BUS);
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(metrics).setEventBusOptions(eventBus))
        .withMetrics(new StartupSafeMetrics(new MicrometerMetricsFactory(registry)));
  }

  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** Starts a node in its own Vert.x instance. */
  public static Future<Gateway> start(CandlebusConfig config) {
    PrometheusMeterRegistry registry = newRegistry();
    return newVertx(registry, config).compose(vertx -> deploy(vertx, true, config, registry)
        .recover(e -> vertx.close().transform(ar -> Future.failedFuture(e))));
  }

  /** Starts a node inside an existing Vert.x instance (tests); closing the node leaves Vert.x running. */
  public static Future<Gateway> deploy(Vertx vertx, CandlebusConfig config) {
    return deploy(vertx, false, config, newRegistry());
  }

  /** Starts a node in {@code vertx}, which closing the node closes too. */
  public static Future<Gateway> deploy(Vertx vertx, boolean owns, CandlebusConfig config,
      PrometheusMeterRegistry registry) {
    Gateway g = new Gateway(vertx, owns, registry);
    // Binance counts REST weight per IP: one limiter for every REST caller of the node
    RestWeightLimiter limiter = RestWeightLimiter.binanceDefault();
    registry.gauge("candlebus_rest_weight_used", limiter, l -> l.used(System.currentTimeMillis()));
    registry.gauge("candlebus_rest_weight_limit", limiter, RestWeightLimiter::limit);
    registry.gauge("candlebus_rest_weight_budget", limiter, RestWeightLimiter::budget);
    registry.gauge("candlebus_rest_blocked_until", limiter, l -> Math.max(0, l.blockedUntil()));
    ConnectionBudget connections = ConnectionBudget.binanceDefault();
    Future<Void> chain = Future.succeededFuture();
    if (config.role().ingests()) {
      g.backfill = new BackfillVerticle(config, limiter, registry);
      chain = chain.compose(v -> g.add(new PersistenceVerticle(config, registry)))
          .compose(v -> g.add(new RefetchVerticle(config, limiter, registry)))
          .compose(v -> g.add(new CandlesVerticle(config, registry)))
          .compose(v -> g.add(g.backfill))
          .compose(v -> g.add(new UpstreamVerticle(config, registry, limiter, connections)))
          .compose(v -> g.add(new ExchangeInfoVerticle(config, limiter, registry)))
          .compose(v -> g.add(new CarryVerticle(config)))
          .compose(v -> config.depth().enabled() && config.depth().recordDir().isPresent()
              ? g.add(() -> new DepthRecorderVerticle(config.depth(), registry),
                  new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
              : Future.succeededFuture())
          .compose(v -> config.depth().enabled()
              ? g.add(new DepthVerticle(config, registry, limiter, connections)) : Future.succeededFuture())
          .compose(v -> config.tickers().enabled()
              ? g.add(new TickerVerticle(config, registry, limiter, connections)) : Future.succeededFuture())
          .compose(v -> g.add(new AlertsVerticle(config, registry)))
          .compose(v -> g.add(new IndicatorAlertsVerticle(registry)))
          .compose(v -> g.add(new UserAlertsVerticle(registry)))
          .compose(v -> g.add(new WebhookVerticle(config.webhookRetriesMs(), registry)));
      if (config.cluster()) {
        chain = chain.compose(v -> g.add(new OwnershipVerticle(config, registry, limiter, connections)));
      }
    }
    if (config.role().serves()) {
      HttpShared shared = new HttpShared(registry, config.limits());
      g.http = shared;
      // one listening socket, one event loop per instance, each with its own bridge
      chain = chain.compose(v -> g.add(new IndicatorFeedVerticle(registry)))
          .compose(v -> g.add(() -> new HttpVerticle(config, registry, shared),
          new DeploymentOptions().setInstances(config.httpInstances())));
    }
    return chain.map(v -> g).recover(e -> g.undeployAll().transform(ar -> Future.failedFuture(e)));
  }

  private Future<Void> add(io.vertx.core.Deployable verticle) {
    return add(() -> verticle, new DeploymentOptions());
  }

  private Future<Void> add(Supplier<io.vertx.core.Deployable> verticles, DeploymentOptions options) {
    return vertx.deployVerticle(verticles, options).map(id -> {
      deployments.add(id);
      return null;
    });
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The HTTP port of a node that serves (role {@code all} or {@code edge}). */
  public int httpPort() {
    if (http == null) {
      throw new IllegalStateException("this node (role ingest) serves no HTTP");
    }
    return http.port();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Completes when the start-up backfill finished (at once on a node that does not ingest). */
  public Future<Void> backfillDone() {
    return backfill == null ? Future.succeededFuture() : backfill.completion();
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
