package io.candlebus.persistence;

import io.candlebus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code persistence.users.*}, {@code persistence.alerts.*}, {@code persistence.settings.*} and
 * {@code persistence.markets.*} requests over a
 * {@link UserStore}. Failures carry {@link PersistenceVerticle#BAD_REQUEST} or
 * {@link PersistenceVerticle#STORE_FAILED}, or {@link PersistenceVerticle#UNAVAILABLE} while PostgreSQL is unreachable.
 */
final class UserRequests {
  private static final Logger LOG = LoggerFactory.getLogger(UserRequests.class);

  private final UserStore store;
  private final Supplier<String> unavailable;
  private final Consumer<Throwable> failures;

  /**
   * @param unavailable why PostgreSQL cannot be used now, or null when it can
   * @param failures told of every failed request, to notice an outage
   */
  UserRequests(UserStore store, Supplier<String> unavailable, Consumer<Throwable> failures) {
    this.store = store;
    this.unavailable = unavailable;
    this.failures = failures;
  }

  List<MessageConsumer<?>> register(EventBus bus) {
    return List.of(
        bus.consumer(Addresses.DB_USER_FIND, m -> answer(m, b -> store.find(text(b, "username")).map(u -> u
            .map(x -> new JsonObject().put("id", x.id()).put("username", x.username())
                .put("passwordHash", x.passwordHash()))
            .orElseGet(JsonObject::new)))),
        bus.consumer(Addresses.DB_USER_ADMIN, m -> answer(m, b -> store.createAdminIfNoUsers(
            text(b, "passwordHash")).map(created -> new JsonObject().put("created", created)))),
        bus.consumer(Addresses.DB_USER_ANY, m -> answer(m, b -> store.anyUser()
            .map(any -> new JsonObject().put("any", any)))),
        bus.consumer(Addresses.DB_ALERTS_LIST, m -> answer(m, b -> store.alerts(text(b, "username"))
            .map(UserRequests::array))),
        bus.consumer(Addresses.DB_ALERTS_ALL, m -> answer(m, b -> store.allAlerts().map(list -> {
          JsonArray out = new JsonArray();
          list.forEach(a -> out.add(a.toJson().put("username", a.username())));
          return out;
        }))),
        bus.consumer(Addresses.DB_ALERT_PUT, m -> answer(m, b -> store.putAlert(text(b, "username"),
            text(b, "symbol"), decimal(b, "price")).map(a -> a.map(UserStore.StoredAlert::toJson)
            .orElseGet(JsonObject::new)))),
        bus.consumer(Addresses.DB_ALERT_DELETE, m -> answer(m, b -> store.deleteAlert(text(b, "username"),
            number(b, "id")).map(symbol -> symbol.map(s -> new JsonObject().put("deleted", true).put("symbol", s))
            .orElseGet(() -> new JsonObject().put("deleted", false))))),
        bus.consumer(Addresses.DB_INDICATOR_ALERTS_LIST, m -> answer(m, b -> store.indicatorAlerts(
            text(b, "username")))),
        bus.consumer(Addresses.DB_INDICATOR_ALERTS_ALL, m -> answer(m, b -> store.allIndicatorAlerts())),
        bus.consumer(Addresses.DB_INDICATOR_ALERT_PUT, m -> answer(m, b -> store.putIndicatorAlert(
            text(b, "username"), b).map(a -> a.orElseGet(JsonObject::new)))),
        bus.consumer(Addresses.DB_INDICATOR_ALERT_DELETE, m -> answer(m, b -> store.deleteIndicatorAlert(
            text(b, "username"), number(b, "id")).map(deleted -> new JsonObject().put("deleted", deleted)))),
        bus.consumer(Addresses.DB_SETTINGS_GET, m -> answer(m, b -> store.settings(text(b, "username"))
            .map(s -> s.map(JsonObject::new).orElseGet(JsonObject::new)))),
        bus.consumer(Addresses.DB_SETTINGS_PUT, m -> answer(m, b -> store.putSettings(text(b, "username"),
            b.getJsonObject("settings", new JsonObject())).map(s -> s.map(JsonObject::new)
            .orElseGet(JsonObject::new)))),
        bus.consumer(Addresses.DB_MARKETS_SEEN, m -> answer(m, b -> store.markSeen(text(b, "username"),
            strings(b, "symbols")).map(fresh -> new JsonObject().put("fresh", new JsonArray(fresh))))));
  }

  private static JsonArray array(List<UserStore.StoredAlert> alerts) {
    JsonArray out = new JsonArray();
    alerts.forEach(a -> out.add(a.toJson()));
    return out;
  }

  /** A request that cannot be done as asked: the reply fails with {@code code} (404, 409) and the message. */
  static final class Refused extends RuntimeException {
    final int code;

    Refused(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  /** Runs {@code work} on the request body and replies with its result, or fails the request. */
  void answer(Message<Object> msg, Function<JsonObject, Future<?>> work) {
    String down = unavailable.get();
    if (down != null) {
      msg.fail(PersistenceVerticle.UNAVAILABLE, down);
      return;
    }
    Future<?> result;
    try {
      JsonObject body = msg.body() instanceof JsonObject o ? o : new JsonObject();
      result = work.apply(body);
    } catch (IllegalArgumentException e) {
      msg.fail(PersistenceVerticle.BAD_REQUEST, e.getMessage());
      return;
    }
    result.onSuccess(msg::reply).onFailure(err -> {
      if (err instanceof Refused r) {
        msg.fail(r.code, r.getMessage());
        return;
      }
      if (err instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("22")) {
        // a value PostgreSQL cannot hold (a NUL in text, say) that got past the web side's checks: the request's fault
        LOG.warn("{} refused by PostgreSQL: {}", msg.address(), err.getMessage());
        msg.fail(PersistenceVerticle.BAD_REQUEST, "a value PostgreSQL cannot hold: " + pg.getErrorMessage());
        return;
      }
      LOG.warn("{} failed: {}", msg.address(), err.toString());
      failures.accept(err);
      boolean tryAgain = Outage.isConnectionFailure(err) || Outage.isOverload(err);
      msg.fail(tryAgain ? PersistenceVerticle.UNAVAILABLE : PersistenceVerticle.STORE_FAILED, err.getMessage());
    });
  }

  static String text(JsonObject b, String field) {
    Object v = b.getValue(field);
    if (v instanceof String s && !s.isBlank()) {
      return s;
    }
    throw new IllegalArgumentException(field + " is required");
  }

  static long number(JsonObject b, String field) {
    Object v = b.getValue(field);
    if (v instanceof Number n) {
      return n.longValue();
    }
    throw new IllegalArgumentException(field + " must be a number");
  }

  private static BigDecimal decimal(JsonObject b, String field) {
    try {
      BigDecimal d = new BigDecimal(text(b, field));
      if (d.signum() > 0) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(field + " must be a positive decimal");
  }

  private static List<String> strings(JsonObject b, String field) {
    JsonArray a = b.getJsonArray(field);
    if (a == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return a.stream().map(String::valueOf).toList();
  }
}
