package io.candlebus.persistence;

import io.candlebus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The {@code persistence.user-alerts.*}, {@code persistence.alert-firings.*} and {@code persistence.webhooks.*}
 * requests over an {@link AlertStore}, answered (and failed) as the other user requests are.
 */
final class AlertRequests {
  private final AlertStore store;
  private final UserRequests answers;

  AlertRequests(AlertStore store, UserRequests answers) {
    this.store = store;
    this.answers = answers;
  }

  List<MessageConsumer<?>> register(EventBus bus) {
    return List.of(
        bus.consumer(Addresses.DB_USER_ALERTS_LIST, m -> answers.answer(m, b -> store.alerts(user(b)))),
        bus.consumer(Addresses.DB_USER_ALERTS_LIVE, m -> answers.answer(m, b -> store.liveAlerts())),
        bus.consumer(Addresses.DB_USER_ALERT_PUT, m -> answers.answer(m, this::put)),
        bus.consumer(Addresses.DB_USER_ALERT_EXPIRED, m -> answers.answer(m, b -> store.expired(
            UserRequests.number(b, "id")).map(v -> new JsonObject()))),
        bus.consumer(Addresses.DB_ALERT_FIRED, m -> answers.answer(m, b -> store.fired(b, System.currentTimeMillis())
            .map(w -> new JsonObject().put("stored", w.isPresent()).put("webhook", w.orElse(null))))),
        bus.consumer(Addresses.DB_ALERT_HISTORY, m -> answers.answer(m, b -> store.firings(user(b),
            b.getLong("before", Long.MAX_VALUE), b.getInteger("limit", 100)))),
        bus.consumer(Addresses.DB_WEBHOOK_GET, m -> answers.answer(m, b -> store.webhook(user(b))
            .map(w -> w.orElseThrow(() -> new UserRequests.Refused(404, "no user " + user(b)))))),
        bus.consumer(Addresses.DB_WEBHOOK_PUT, m -> answers.answer(m, this::putWebhook)),
        bus.consumer(Addresses.DB_WEBHOOK_CLAIM, m -> answers.answer(m, b -> store.claimWebhooks(
            System.currentTimeMillis(), b.getLong("leaseMs", 30_000L), b.getInteger("limit", 20)))),
        bus.consumer(Addresses.DB_WEBHOOK_OUTCOME, m -> answers.answer(m, this::outcome)));
  }

  /** A new alert only below the user's limit (a race of two creations may pass it by one). */
  private Future<JsonObject> put(JsonObject b) {
    String username = user(b);
    JsonObject alert = b.getJsonObject("alert");
    if (alert == null) {
      throw new IllegalArgumentException("alert is required");
    }
    Long id = b.getLong("id");
    if (id != null) {
      return store.update(username, id, alert)
          .map(a -> a.orElseThrow(() -> new UserRequests.Refused(404, "no alert " + id)));
    }
    long limit = b.getLong("limit", Long.MAX_VALUE);
    return store.count(username).compose(n -> {
      if (n.isEmpty()) {
        throw new UserRequests.Refused(404, "no user " + username);
      }
      if (n.get() >= limit) {
        throw new UserRequests.Refused(409, "at most " + limit + " alerts per user: delete one first");
      }
      return store.insert(username, alert, System.currentTimeMillis());
    }).map(a -> a.orElseThrow(() -> new UserRequests.Refused(404, "no user " + username)));
  }

  private Future<JsonObject> putWebhook(JsonObject b) {
    String username = user(b);
    String url = b.getString("url");
    Future<Boolean> done = url == null ? store.deleteWebhook(username).map(true) : store.putWebhook(username, url);
    return done.map(ok -> {
      if (!ok) {
        throw new UserRequests.Refused(404, "no user " + username);
      }
      return new JsonObject().put("url", url);
    });
  }

  private Future<JsonObject> outcome(JsonObject b) {
    String id = UserRequests.text(b, "id");
    Future<Void> done = switch (UserRequests.text(b, "outcome")) {
      case "delivered" -> store.webhookDelivered(id);
      case "retry" -> store.webhookRetry(id, UserRequests.number(b, "next"), b.getString("error"));
      case "failed" -> store.webhookFailed(id, b.getString("error"));
      default -> throw new IllegalArgumentException("outcome must be delivered, retry or failed");
    };
    return done.map(v -> new JsonObject());
  }

  private static String user(JsonObject b) {
    return UserRequests.text(b, "username");
  }
}
