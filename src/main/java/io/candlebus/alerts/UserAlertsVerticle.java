package io.candlebus.alerts;

import io.candlebus.Addresses;
import io.candlebus.MarketJson;
import io.candlebus.domain.Candle;
import io.candlebus.domain.Decimals;
import io.candlebus.domain.Interval;
import io.candlebus.persistence.CandlePages;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the users' alert lists (issue 13) against the trades with an {@link AlertBook} and publishes each
 * firing on {@code alerts.<username>}:
 * {@code {kind, id, alertId, symbol, price, level?, percent?, reference?, time, note, sound, done}}.
 *
 * <p>Like {@link AlertsVerticle} it hears only its own node's trades, and a symbol has one carrier in a cluster.
 * A firing is stored before it is published, under an id made of the alert and the trade: when two nodes see the
 * same trade during a hand-over it is stored, published and posted once. A node taking a symbol over reads that
 * symbol's alerts again first (what fired elsewhere, when), holding its trades meanwhile.
 */
public final class UserAlertsVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(UserAlertsVerticle.class);
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(10_000);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  /** change_pct looks back at most a day: the stored 1m closes of one seed it. */
  private static final int SEED_CANDLES = 1_441;
  private static final int MAX_HELD = 100_000;
  private static final int MAX_UNSTORED = 10_000;

  private final MeterRegistry registry;
  private final AlertBook book = new AlertBook();
  private final Map<String, Map<Long, AlertSpec>> byUser = new HashMap<>();
  private final Map<String, MessageConsumer<JsonObject>> watched = new HashMap<>();
  /** Trades of symbols whose alerts or past prices are being read, in order. */
  private final Map<String, List<JsonObject>> held = new HashMap<>();
  /** Firings published while PostgreSQL was away, to be stored once it answers. */
  private final ArrayDeque<JsonObject> unstored = new ArrayDeque<>();
  /** Once-alerts that fired here: a list read before the store marked them done must not arm them again. */
  private final Map<Long, AlertSpec> done = new HashMap<>();

  public UserAlertsVerticle(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    registry.gauge("candlebus_user_alerts", book, AlertBook::size);
    vertx.eventBus().<JsonObject>consumer(Addresses.ALERT_RULES_CHANGED, this::handleChanged);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.UPSTREAM_SYMBOLS, this::handleSymbols);
    vertx.setPeriodic(2_000, id -> storeUnstored());
    load(s -> true, 1);
    return Future.succeededFuture();
  }

  /** Reads the live alerts of the symbols {@code which} accepts again, retrying while PostgreSQL is away. */
  private Future<Void> load(Predicate<String> which, int attempt) {
    return vertx.eventBus().<JsonArray>request(Addresses.DB_USER_ALERTS_LIVE, null, QUICK).map(m -> {
      Map<String, List<JsonObject>> users = new HashMap<>();
      m.body().forEach(o -> users.computeIfAbsent(((JsonObject) o).getString("username"), u -> new ArrayList<>())
          .add((JsonObject) o));
      Set<String> all = new HashSet<>(byUser.keySet());
      all.addAll(users.keySet());
      all.forEach(u -> apply(u, users.getOrDefault(u, List.of()), which));
      log.info("user alerts: {} live", book.size());
      return (Void) null;
    }).recover(e -> {
      log.warn("user alerts not loaded yet, retrying: {}", e.getMessage());
      return vertx.timer(Math.min(5_000, 250L << Math.min(attempt, 5))).compose(v -> load(which, attempt + 1));
    });
  }

  private void handleChanged(Message<JsonObject> msg) {
    String username = msg.body().getString("username");
    vertx.eventBus().<JsonArray>request(Addresses.DB_USER_ALERTS_LIST, new JsonObject().put("username", username),
        QUICK).onSuccess(m -> {
          List<JsonObject> live = new ArrayList<>();
          m.body().forEach(o -> {
            JsonObject a = (JsonObject) o;
            if ("active".equals(a.getString("state"))) {
              live.add(a);
            }
          });
          apply(username, live, s -> false);
        }).onFailure(e -> log.warn("user alerts of {} not reloaded: {}", username, e.getMessage()));
  }

  /**
   * Makes the book hold {@code live} as the user's alerts: unchanged ones keep their state, unless their symbol is
   * one {@code fresh} accepts (just taken over: the stored state is the newer one).
   */
  private void apply(String username, List<JsonObject> live, Predicate<String> fresh) {
    Map<Long, AlertSpec> before = byUser.getOrDefault(username, Map.of());
    Map<Long, AlertSpec> now = new HashMap<>();
    for (JsonObject o : live) {
      AlertSpec spec = AlertJson.fromJson(o, username);
      if (spec.equals(done.get(spec.id()))) {
        continue;
      }
      now.put(spec.id(), spec);
      if (!spec.equals(before.get(spec.id())) || fresh.test(spec.symbol())) {
        Long lastFired = o.getLong("lastFired");
        book.put(spec, lastFired == null ? 0 : lastFired);
      }
    }
    before.keySet().stream().filter(id -> !now.containsKey(id)).forEach(book::remove);
    if (now.isEmpty()) {
      byUser.remove(username);
    } else {
      byUser.put(username, now);
    }
    follow();
  }

  /** Hears the trades of the symbols some alert names, and no others. */
  private void follow() {
    Set<String> symbols = new HashSet<>();
    byUser.values().forEach(m -> m.values().forEach(a -> symbols.add(a.symbol())));
    for (String s : new ArrayList<>(watched.keySet())) {
      if (!symbols.contains(s)) {
        watched.remove(s).unregister();
      }
    }
    for (String s : symbols) {
      if (!watched.containsKey(s)) {
        held.putIfAbsent(s, new ArrayList<>());
        watched.put(s, vertx.eventBus().localConsumer(Addresses.trade(s), this::handleTrade));
        seed(s);
      }
    }
  }

  /** The past day's prices from the stored 1m closes, before any live trade is evaluated. */
  private void seed(String symbol) {
    CandlePages.before(vertx, symbol, Interval.M1, CandlePages.NEWEST, SEED_CANDLES).onComplete(ar -> {
      if (ar.succeeded()) {
        for (JsonObject row : ar.result()) {
          Candle c = MarketJson.candle(row);
          book.seed(symbol, c.closeTime(), c.close());
        }
      } else {
        log.warn("user alerts on {}: past prices not read, change_pct starts from live trades: {}", symbol,
            ar.cause().getMessage());
      }
      release(symbol);
    });
  }

  /** A symbol this node now carries: its alerts are read again, for what the previous carrier fired. */
  private void handleSymbols(Message<JsonObject> msg) {
    JsonArray add = msg.body().getJsonArray("add");
    if (add == null || add.isEmpty()) {
      return;
    }
    Set<String> symbols = new HashSet<>();
    add.forEach(s -> symbols.add(String.valueOf(s)));
    symbols.forEach(s -> held.putIfAbsent(s, new ArrayList<>()));
    load(symbols::contains, 1).onComplete(ar -> symbols.forEach(this::release));
  }

  private void release(String symbol) {
    List<JsonObject> waiting = held.remove(symbol);
    if (waiting != null) {
      waiting.forEach(this::evaluate);
    }
  }

  private void handleTrade(Message<JsonObject> msg) {
    List<JsonObject> waiting = held.get(msg.body().getString("symbol"));
    if (waiting == null) {
      evaluate(msg.body());
    } else if (waiting.size() < MAX_HELD) {
      waiting.add(msg.body());
    }
  }

  private void evaluate(JsonObject t) {
    String price = t.getString("price");
    if (price == null) {
      return;
    }
    for (AlertBook.Event e : book.onTrade(t.getString("symbol"), t.getLong("time"), new BigDecimal(price))) {
      if (e instanceof AlertBook.Fired f) {
        fire(f, t.getLong("tradeId", 0L));
      } else if (e instanceof AlertBook.Expired x) {
        forget(x.alert());
        vertx.eventBus().request(Addresses.DB_USER_ALERT_EXPIRED, new JsonObject().put("id", x.alert().id()), QUICK)
            .onFailure(err -> log.warn("alert {} expiry not stored: {}", x.alert().id(), err.getMessage()));
      }
    }
  }

  private void forget(AlertSpec a) {
    Map<Long, AlertSpec> mine = byUser.get(a.username());
    if (mine != null) {
      mine.remove(a.id());
    }
  }

  private void fire(AlertBook.Fired f, long tradeId) {
    AlertSpec a = f.alert();
    if (f.done()) {
      forget(a);
      done.put(a.id(), a);
    }
    JsonObject firing = new JsonObject().put("id", AlertJson.firingId(a.id(), f.time(), tradeId))
        .put("alertId", a.id()).put("price", Decimals.plain(f.price())).put("time", f.time()).put("done", f.done());
    if (f.reference() != null) {
      firing.put("reference", Decimals.plain(f.reference()));
    }
    JsonObject message = firing.copy().put("kind", AlertJson.toJson(a).getString("kind")).put("symbol", a.symbol())
        .put("note", a.note()).put("sound", a.sound());
    if (a.level() != null) {
      message.put("level", Decimals.plain(a.level()));
    }
    if (a.percent() != null) {
      message.put("percent", Decimals.plain(a.percent())).put("window", a.windowMs());
    }
    store(firing).onSuccess(stored -> {
      if (stored) {
        publish(a, message);
      }
    }).onFailure(e -> {
      // the user hears it now; it is stored (and posted) once PostgreSQL answers
      log.warn("alert firing {} not stored yet: {}", firing.getString("id"), e.getMessage());
      publish(a, message);
      if (unstored.size() < MAX_UNSTORED) {
        unstored.add(firing);
      }
    });
  }

  private void publish(AlertSpec a, JsonObject message) {
    registry.counter("candlebus_alert_firings_total").increment();
    vertx.eventBus().publish(Addresses.alerts(a.username()), message);
  }

  /** True when stored now, false when it was stored before (the same trade fired on another node). */
  private Future<Boolean> store(JsonObject firing) {
    return vertx.eventBus().<JsonObject>request(Addresses.DB_ALERT_FIRED, firing, QUICK).map(m -> {
      if ("pending".equals(m.body().getString("webhook"))) {
        vertx.eventBus().send(Addresses.WEBHOOK_DUE, null, LOCAL);
      }
      return m.body().getBoolean("stored");
    });
  }

  private void storeUnstored() {
    JsonObject next = unstored.peek();
    if (next != null) {
      store(next).onSuccess(v -> {
        unstored.remove(next);
        storeUnstored();
      });
    }
  }
}
