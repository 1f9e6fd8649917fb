package io.candlebus.alerts;

import io.candlebus.Addresses;
import io.candlebus.MarketJson;
import io.candlebus.domain.Candle;
import io.candlebus.domain.Decimals;
import io.candlebus.domain.Interval;
import io.candlebus.indicators.IndicatorEngine;
import io.candlebus.indicators.IndicatorSeries;
import io.candlebus.indicators.IndicatorSpec;
import io.candlebus.persistence.CandlePages;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the users' RSI alerts on each closed candle and publishes a crossing on {@code alerts.<username>}:
 * {@code {kind: "rsi", id, symbol, interval, period, direction: above|below, level, previous, value, time}}.
 *
 * <p>Like {@link AlertsVerticle} it hears only its own node's candles (local consumers), and a symbol's candles are
 * built on one node, so an alert is evaluated once cluster-wide. The candle time each alert last fired for is kept
 * in the shared map {@value #FIRED_MAP}: a node taking a symbol over does not fire a crossing again.
 */
public final class IndicatorAlertsVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(IndicatorAlertsVerticle.class);
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(10_000);
  static final String FIRED_MAP = "candlebus.indicator-alert-fired";

  private final MeterRegistry registry;
  private final IndicatorAlertRules rules = new IndicatorAlertRules();
  private final Map<String, Watch> watches = new HashMap<>();
  private AsyncMap<String, Long> fired;

  public IndicatorAlertsVerticle(MeterRegistry registry) {
    this.registry = registry;
  }

  /** One market some alert watches: its newest candles, as many as the longest RSI's warm-up needs. */
  private static final class Watch {
    final String symbol;
    final Interval interval;
    IndicatorSeries series;
    MessageConsumer<JsonObject> candles;
    boolean loaded;

    Watch(String symbol, Interval interval) {
      this.symbol = symbol;
      this.interval = interval;
    }
  }

  @Override
  public Future<?> start() {
    registry.gauge("candlebus_indicator_alerts", rules, IndicatorAlertRules::size);
    vertx.eventBus().<JsonObject>consumer(Addresses.ALERT_RULES_CHANGED, this::handleChanged);
    return vertx.sharedData().<String, Long>getAsyncMap(FIRED_MAP).compose(m -> {
      fired = m;
      return loadAll(1);
    });
  }

  /** PostgreSQL may be down at start: the node runs anyway and the alerts load once it answers. */
  private Future<Void> loadAll(int attempt) {
    return vertx.eventBus().<JsonArray>request(Addresses.DB_INDICATOR_ALERTS_ALL, null, QUICK).map(m -> {
      Map<String, List<IndicatorAlertRules.Rule>> byUser = new HashMap<>();
      m.body().forEach(o -> {
        JsonObject a = (JsonObject) o;
        byUser.computeIfAbsent(a.getString("username"), u -> new ArrayList<>()).add(rule(a.getString("username"), a));
      });
      byUser.forEach(rules::replaceUser);
      log.info("indicator alerts: {} loaded", rules.size());
      follow();
      return (Void) null;
    }).recover(e -> {
      log.warn("indicator alerts not loaded yet, retrying: {}", e.getMessage());
      vertx.setTimer(Math.min(5_000, 250L << Math.min(attempt, 5)), id -> loadAll(attempt + 1));
      return Future.succeededFuture();
    });
  }

  private void handleChanged(Message<JsonObject> msg) {
    String username = msg.body().getString("username");
    vertx.eventBus().<JsonArray>request(Addresses.DB_INDICATOR_ALERTS_LIST, new JsonObject().put("username",
        username), QUICK).onSuccess(m -> {
          List<IndicatorAlertRules.Rule> mine = new ArrayList<>();
          m.body().forEach(o -> mine.add(rule(username, (JsonObject) o)));
          rules.replaceUser(username, mine);
          log.debug("indicator alerts of {}: {}", username, mine.size());
          follow();
        }).onFailure(e -> log.warn("indicator alerts of {} not reloaded: {}", username, e.getMessage()));
  }

  private static IndicatorAlertRules.Rule rule(String username, JsonObject a) {
    return new IndicatorAlertRules.Rule(a.getLong("id"), username, a.getString("symbol"),
        Interval.fromCode(a.getString("interval")).orElseThrow(), a.getInteger("period"), level(a, "above"),
        level(a, "below"));
  }

  private static BigDecimal level(JsonObject a, String field) {
    String v = a.getString(field);
    return v == null ? null : new BigDecimal(v);
  }

  /** Watches the markets the alerts name, and no other; a longer period there reads a longer warm-up. */
  private void follow() {
    for (String market : new TreeSet<>(watches.keySet())) {
      if (!rules.markets().contains(market)) {
        watches.remove(market).candles.unregister();
      }
    }
    for (String market : rules.markets()) {
      String[] m = market.split(" ");
      Watch w = watches.computeIfAbsent(market, k -> new Watch(m[0], Interval.fromCode(m[1]).orElseThrow()));
      int capacity = rules.rules(w.symbol, w.interval).stream().mapToInt(r -> warmup(r.period())).max().orElse(2);
      if (w.series == null || w.series.capacity() < capacity) {
        w.series = new IndicatorSeries(w.interval, capacity);
        w.loaded = false;
        loadStored(w, null);
      }
      if (w.candles == null) {
        w.candles = vertx.eventBus().localConsumer(Addresses.candle(w.symbol, w.interval), c -> handleCandle(w, c));
      }
    }
  }

  private static int warmup(int period) {
    return IndicatorSpec.fromKey("rsi:" + period).warmup() + 2;
  }

  /** The stored candles before the live ones; then {@code closed}, if given, is evaluated. */
  private void loadStored(Watch w, Candle closed) {
    IndicatorSeries series = w.series;
    CandlePages.before(vertx, w.symbol, w.interval, CandlePages.NEWEST, series.capacity()).onSuccess(rows -> {
      rows.forEach(r -> series.put(MarketJson.candle(r)));
      w.loaded = true;
      if (closed != null) {
        evaluate(w, closed);
      }
    }).onFailure(e -> {
      log.warn("indicator alerts on {} {}: stored candles not read, retrying: {}", w.symbol, w.interval,
          e.getMessage());
      vertx.setTimer(1_000, id -> {
        if (watches.get(IndicatorAlertRules.market(w.symbol, w.interval)) == w && w.series == series) {
          loadStored(w, closed);
        }
      });
    });
  }

  private void handleCandle(Watch w, Message<JsonObject> m) {
    if (!m.body().getBoolean("closed", false)) {
      return;
    }
    Candle c = MarketJson.candle(m.body());
    boolean whole = w.series.put(c);
    if (!w.loaded) {
      return; // the first read is under way
    }
    if (!whole) {
      loadStored(w, c); // a candle closed before, not yet stored: read them again
      return;
    }
    evaluate(w, c);
  }

  private void evaluate(Watch w, Candle closed) {
    List<IndicatorAlertRules.Rule> watching = rules.rules(w.symbol, w.interval);
    List<Candle> candles = w.series.snapshot();
    if (watching.isEmpty() || candles.size() < 3 || candles.get(candles.size() - 1).openTime() != closed.openTime()) {
      return;
    }
    vertx.executeBlocking(() -> {
      Map<Integer, List<IndicatorEngine.Point>> byPeriod = new HashMap<>();
      List<IndicatorAlertRules.Firing> out = new ArrayList<>();
      for (IndicatorAlertRules.Rule r : watching) {
        List<IndicatorEngine.Point> last = byPeriod.computeIfAbsent(r.period(), p -> IndicatorEngine.compute(
            candles, IndicatorSpec.fromKey("rsi:" + p), candles.size() - 2));
        out.addAll(IndicatorAlertRules.crossings(r, last.get(0).values().get("value"),
            last.get(1).values().get("value"), closed.openTime()));
      }
      return out;
    }, true).onSuccess(firings -> firings.forEach(this::fire))
        .onFailure(e -> log.warn("indicator alerts on {} {} not evaluated: {}", w.symbol, w.interval, e.toString()));
  }

  /** Once per alert, direction and candle cluster-wide: a node that took the symbol over may see it again. */
  private void fire(IndicatorAlertRules.Firing f) {
    String key = f.rule().id() + " " + f.direction();
    fired.get(key).compose(last -> {
      if (last != null && last >= f.time()) {
        return Future.succeededFuture(false);
      }
      return fired.put(key, f.time()).map(true);
    }).onSuccess(fire -> {
      if (!fire) {
        return;
      }
      registry.counter("candlebus_alert_firings_total").increment();
      IndicatorAlertRules.Rule r = f.rule();
      vertx.eventBus().publish(Addresses.alerts(r.username()), new JsonObject().put("kind", "rsi")
          .put("id", r.id()).put("symbol", r.symbol()).put("interval", r.interval().code())
          .put("period", r.period()).put("direction", f.direction()).put("level", Decimals.plain(f.level()))
          .put("previous", Decimals.plain(f.previous())).put("value", Decimals.plain(f.value()))
          .put("time", f.time()));
    }).onFailure(e -> log.warn("indicator alert {} not fired: {}", key, e.getMessage()));
  }
}
