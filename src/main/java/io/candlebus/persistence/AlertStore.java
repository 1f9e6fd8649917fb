package io.candlebus.persistence;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The users' alert lists (issue 13), their firings and webhooks, as the JSON of {@code /api/alerts}: decimals as
 * plain strings, times and durations in ms, kinds and frequencies in lower case.
 */
public final class AlertStore {
  private final Pool pool;

  public AlertStore(Pool pool) {
    this.pool = pool;
  }

  public Future<JsonArray> alerts(String username) {
    return pool.preparedQuery(Sql.USER_ALERTS_OF_USER).execute(Tuple.of(username)).map(rows -> alerts(rows, false));
  }

  /** Every alert that may still fire, each with its {@code username}. */
  public Future<JsonArray> liveAlerts() {
    return pool.query(Sql.USER_ALERTS_LIVE).execute().map(rows -> alerts(rows, true));
  }

  /** Both lists' alerts of the user; empty when there is no such user. */
  public Future<Optional<Long>> count(String username) {
    return pool.preparedQuery(Sql.USER_ALERT_COUNT).execute(Tuple.of(username))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong("n")));
  }

  /** Stores {@code a} (the JSON of an alert, without id) as a new alert; empty when there is no such user. */
  public Future<Optional<JsonObject>> insert(String username, JsonObject a, long now) {
    return pool.preparedQuery(Sql.USER_ALERT_INSERT).execute(fields(username, a).addLong(now)).map(AlertStore::first);
  }

  /** Replaces alert {@code id} of the user; empty when the user has no such alert. */
  public Future<Optional<JsonObject>> update(String username, long id, JsonObject a) {
    return pool.preparedQuery(Sql.USER_ALERT_UPDATE).execute(fields(username, a).addLong(id)).map(AlertStore::first);
  }

  public Future<Void> expired(long id) {
    return pool.preparedQuery(Sql.USER_ALERT_EXPIRED).execute(Tuple.of(id)).mapEmpty();
  }

  /**
   * Stores a firing and marks its alert fired; the webhook state of a firing stored now ({@code none} or
   * {@code pending}), or empty when it was stored before or the alert is gone.
   */
  public Future<Optional<String>> fired(JsonObject f, long now) {
    Tuple t = Tuple.tuple().addString(f.getString("id")).addLong(f.getLong("alertId"))
        .addValue(new BigDecimal(f.getString("price"))).addValue(decimalOrNull(f, "reference"))
        .addLong(f.getLong("time")).addLong(now).addBoolean(f.getBoolean("done", false));
    return pool.preparedQuery(Sql.ALERT_FIRED).execute(t)
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
  }

  /** The user's firings before {@code before}, newest first. */
  public Future<JsonArray> firings(String username, long before, int limit) {
    return pool.preparedQuery(Sql.FIRINGS_OF_USER).execute(Tuple.of(username, before, limit)).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(firing(r)));
      return out;
    });
  }

  /** {@code {url, failed}}; empty when there is no such user. */
  public Future<Optional<JsonObject>> webhook(String username) {
    return pool.preparedQuery(Sql.WEBHOOK_GET).execute(Tuple.of(username)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      return Optional.of(new JsonObject().put("url", r.getString("url")).put("failed", r.getLong("failed")));
    });
  }

  public Future<Boolean> putWebhook(String username, String url) {
    return pool.preparedQuery(Sql.WEBHOOK_PUT).execute(Tuple.of(username, url)).map(rows -> rows.size() > 0);
  }

  public Future<Boolean> deleteWebhook(String username) {
    return pool.preparedQuery(Sql.WEBHOOK_DELETE).execute(Tuple.of(username)).map(rows -> rows.rowCount() > 0);
  }

  /** Leases up to {@code limit} firings due at {@code now} for {@code leaseMs}: each with username and url. */
  public Future<JsonArray> claimWebhooks(long now, long leaseMs, int limit) {
    return pool.preparedQuery(Sql.WEBHOOK_CLAIM).execute(Tuple.of(now, leaseMs, limit)).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(firing(r).put("username", r.getString("username"))
          .put("url", r.getString("webhook_url"))));
      return out;
    });
  }

  public Future<Void> webhookDelivered(String id) {
    return pool.preparedQuery(Sql.WEBHOOK_DELIVERED).execute(Tuple.of(id)).mapEmpty();
  }

  public Future<Void> webhookRetry(String id, long next, String error) {
    return pool.preparedQuery(Sql.WEBHOOK_RETRY).execute(Tuple.of(id, next, error)).mapEmpty();
  }

  public Future<Void> webhookFailed(String id, String error) {
    return pool.preparedQuery(Sql.WEBHOOK_FAILED).execute(Tuple.of(id, error)).mapEmpty();
  }

  /** username, then symbol .. paused in the order of {@link Sql#USER_ALERT_INSERT}. */
  private static Tuple fields(String username, JsonObject a) {
    return Tuple.tuple().addString(username).addString(a.getString("symbol")).addString(a.getString("kind"))
        .addValue(decimalOrNull(a, "level")).addValue(decimalOrNull(a, "percent")).addLong(a.getLong("window", 0L))
        .addString(a.getString("frequency")).addLong(a.getLong("cooldown")).addString(a.getString("bar"))
        .addValue(a.getLong("expires")).addString(a.getString("note")).addString(a.getString("sound"))
        .addBoolean(a.getBoolean("paused", false));
  }

  private static Optional<JsonObject> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(alert(rows.iterator().next()));
  }

  private static JsonArray alerts(RowSet<Row> rows, boolean withUser) {
    JsonArray out = new JsonArray();
    for (Row r : rows) {
      JsonObject a = alert(r);
      out.add(withUser ? a.put("username", r.getString("username")) : a);
    }
    return out;
  }

  /** An alert in the shape of {@code GET /api/alerts}: only the fields its kind and frequency use. */
  static JsonObject alert(Row r) {
    String kind = r.getString("kind");
    String frequency = r.getString("frequency");
    JsonObject a = new JsonObject().put("id", r.getLong("id")).put("kind", kind).put("symbol", r.getString("symbol"));
    if ("change_pct".equals(kind)) {
      a.put("percent", plain(r.getBigDecimal("percent"))).put("window", r.getLong("window_ms"));
    } else {
      a.put("level", plain(r.getBigDecimal("level")));
    }
    a.put("frequency", frequency);
    if ("every".equals(frequency)) {
      a.put("cooldown", r.getLong("cooldown_ms"));
    } else if ("once_per_bar".equals(frequency)) {
      a.put("bar", r.getString("bar"));
    }
    boolean paused = r.getBoolean("paused");
    String state = r.getString("state");
    return a.put("expires", r.getLong("expires")).put("note", r.getString("note")).put("sound", r.getString("sound"))
        .put("paused", paused).put("state", paused && "active".equals(state) ? "paused" : state)
        .put("lastFired", r.getLong("last_fired")).put("created", r.getLong("created"));
  }

  private static JsonObject firing(Row r) {
    JsonObject f = new JsonObject().put("id", r.getString("id")).put("alertId", r.getLong("alert_id"))
        .put("kind", r.getString("kind")).put("symbol", r.getString("symbol"))
        .put("price", plain(r.getBigDecimal("price")));
    for (String field : new String[] {"level", "percent", "reference"}) {
      BigDecimal v = r.getBigDecimal(field);
      if (v != null) {
        f.put(field, plain(v));
      }
    }
    f.put("time", r.getLong("time")).put("note", r.getString("note")).put("sound", r.getString("sound"))
        .put("webhook", r.getString("webhook")).put("attempts", r.getInteger("webhook_attempts"));
    String error = r.getString("webhook_error");
    return error == null ? f : f.put("webhookError", error);
  }

  private static String plain(BigDecimal v) {
    return v == null ? null : v.stripTrailingZeros().toPlainString();
  }

  private static BigDecimal decimalOrNull(JsonObject a, String field) {
    String v = a.getString(field);
    return v == null ? null : new BigDecimal(v);
  }
}
