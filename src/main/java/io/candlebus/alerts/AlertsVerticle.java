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
import io.vertx.core.shareddata.AsyncMap;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every user's minimum-price alerts against the trades and publishes each crossing on
 * {@code alerts.<username>}: {@code {symbol, price (the minimum), lastPrice, time, state: above|below}}.
 *
 * <p>It hears only the trades published on its own node (local consumers): in a cluster that is the symbols this
 * node carries, and each symbol has one carrier, so an alert fires once, not once per node. What it fired is
 * kept in the shared map {@value #STATE_MAP}; a node that takes a symbol over starts from that state, so a
 * hand-over does not fire again.
 */
public final class AlertsVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(AlertsVerticle.class);
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(10_000);
  static final String STATE_MAP = "candlebus.alert-state";
  /** Trades of a symbol being taken over wait while its alert states load; beyond this many they are dropped. */
  private static final int MAX_HELD = 100_000;

  private final CandlebusConfig config;
  private final MeterRegistry registry;
  private final AlertRules rules = new AlertRules();
  private final Map<String, List<JsonObject>> held = new HashMap<>();
  private AsyncMap<String, Boolean> states;

  public AlertsVerticle(CandlebusConfig config, MeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    registry.gauge("candlebus_alerts", rules, AlertRules::size);
    vertx.eventBus().<JsonObject>consumer(Addresses.ALERT_RULES_CHANGED, this::handleChanged);
    for (String symbol : config.symbols()) {
      vertx.eventBus().<JsonObject>localConsumer(Addresses.trade(symbol), this::handleTrade);
    }
    vertx.eventBus().<JsonObject>localConsumer(Addresses.UPSTREAM_SYMBOLS, this::handleSymbols);
    // PostgreSQL may be down at start: the node runs anyway and the alerts load once it answers
    return vertx.sharedData().<String, Boolean>getAsyncMap(STATE_MAP).compose(m -> {
      states = m;
      return loadAll().recover(e -> {
        log.warn("alerts not loaded yet, retrying: {}", e.getMessage());
        retryLoad(1);
        return Future.succeededFuture();
      });
    });
  }

  /** A symbol this node now carries: its trades wait until the states other nodes fired for it are restored. */
  private void handleSymbols(Message<JsonObject> msg) {
    JsonArray add = msg.body().getJsonArray("add");
    if (add == null || add.isEmpty()) {
      return;
    }
    List<String> symbols = add.stream().map(String::valueOf).toList();
    symbols.forEach(s -> held.putIfAbsent(s, new ArrayList<>()));
    restoreStates(symbols::contains).onComplete(ar -> {
      if (ar.failed()) {
        log.warn("alert states of {} not restored: {}", symbols, ar.cause().getMessage());
      }
      for (String symbol : symbols) {
        List<JsonObject> waiting = held.remove(symbol);
        if (waiting != null) {
          waiting.forEach(this::evaluate);
        }
      }
    });
  }

  private Future<Void> restoreStates(Predicate<String> symbol) {
    return states.entries().map(all -> {
      all.forEach((key, above) -> {
        String[] k = key.split("\n", 3);
        if (k.length == 3 && symbol.test(k[1])) {
          rules.restore(k[0], k[1], new BigDecimal(k[2]), above);
        }
      });
      return null;
    });
  }

  private static String stateKey(AlertRules.Firing f) {
    return f.username() + "\n" + f.symbol() + "\n" + Decimals.plain(f.minimum());
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
    }).compose(v -> restoreStates(symbol -> true));
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
    List<JsonObject> waiting = held.get(msg.body().getString("symbol"));
    if (waiting != null) {
      if (waiting.size() < MAX_HELD) {
        waiting.add(msg.body());
      }
      return;
    }
    evaluate(msg.body());
  }

  private void evaluate(JsonObject t) {
    String price = t.getString("price");
    if (price == null) {
      return;
    }
    for (AlertRules.Firing f : rules.onTrade(t.getString("symbol"), new BigDecimal(price), t.getLong("time"))) {
      registry.counter("candlebus_alert_firings_total").increment();
      states.put(stateKey(f), f.above()).onFailure(e -> log.warn("alert state not shared: {}", e.getMessage()));
      vertx.eventBus().publish(Addresses.alerts(f.username()), new JsonObject()
          .put("symbol", f.symbol())
          .put("price", Decimals.plain(f.minimum()))
          .put("lastPrice", Decimals.plain(f.lastPrice()))
          .put("time", f.time())
          .put("state", f.above() ? "above" : "below"));
    }
  }
}
