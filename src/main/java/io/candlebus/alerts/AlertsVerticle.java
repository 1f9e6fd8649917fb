package io.candlebus.alerts;

import io.candlebus.Addresses;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.domain.Decimals;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every user's minimum-price alerts against the trades and publishes each crossing on
 * {@code alerts.<username>}: {@code {symbol, price (the minimum), lastPrice, time, state: above|below}}.
 */
public final class AlertsVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(AlertsVerticle.class);
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(10_000);

  private final CandlebusConfig config;
  private final MeterRegistry registry;
  private final AlertRules rules = new AlertRules();

  public AlertsVerticle(CandlebusConfig config, MeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    registry.gauge("candlebus_alerts", rules, AlertRules::size);
    vertx.eventBus().<JsonObject>consumer(Addresses.ALERT_RULES_CHANGED, this::handleChanged);
    for (String symbol : config.symbols()) {
      vertx.eventBus().<JsonObject>consumer(Addresses.trade(symbol), this::handleTrade);
    }
    // PostgreSQL may be down at start: the node runs anyway and the alerts load once it answers
    return loadAll().recover(e -> {
      log.warn("alerts not loaded yet, retrying: {}", e.getMessage());
      retryLoad(1);
      return Future.succeededFuture();
    });
  }

  private void retryLoad(int attempt) {
    vertx.timer(Math.min(5_000, 250L << Math.min(attempt, 5))).compose(v -> loadAll())
        .onFailure(e -> retryLoad(attempt + 1));
  }

  private Future<Void> loadAll() {
    return vertx.eventBus().<JsonArray>request(Addresses.DB_ALERTS_ALL, null, QUICK).map(m -> {
      Map<String, Map<String, BigDecimal>> byUser = new HashMap<>();
      m.body().forEach(o -> {
        JsonObject a = (JsonObject) o;
        byUser.computeIfAbsent(a.getString("username"), u -> new HashMap<>())
            .put(a.getString("symbol"), new BigDecimal(a.getString("price")));
      });
      byUser.forEach(rules::replaceUser);
      log.info("alerts: {} loaded", rules.size());
      return null;
    });
  }

  private void handleChanged(Message<JsonObject> msg) {
    String username = msg.body().getString("username");
    vertx.eventBus().<JsonArray>request(Addresses.DB_ALERTS_LIST, new JsonObject().put("username", username), QUICK)
        .onSuccess(m -> {
          Map<String, BigDecimal> alerts = new HashMap<>();
          m.body().forEach(o -> alerts.put(((JsonObject) o).getString("symbol"),
              new BigDecimal(((JsonObject) o).getString("price"))));
          rules.replaceUser(username, alerts);
        })
        .onFailure(e -> log.warn("alerts of {} not reloaded: {}", username, e.getMessage()));
  }

  private void handleTrade(Message<JsonObject> msg) {
    JsonObject t = msg.body();
    String price = t.getString("price");
    if (price == null) {
      return;
    }
    for (AlertRules.Firing f : rules.onTrade(t.getString("symbol"), new BigDecimal(price), t.getLong("time"))) {
      registry.counter("candlebus_alert_firings_total").increment();
      vertx.eventBus().publish(Addresses.alerts(f.username()), new JsonObject()
          .put("symbol", f.symbol())
          .put("price", Decimals.plain(f.minimum()))
          .put("lastPrice", Decimals.plain(f.lastPrice()))
          .put("time", f.time())
          .put("state", f.above() ? "above" : "below"));
    }
  }
}
