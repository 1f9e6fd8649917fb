package io.candlebus.persistence;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Users (with password hashes only), their minimum-price alerts and the markets each has seen. */
public final class UserStore {
  /** A stored user; {@code passwordHash} in the PHC-like form of the password hasher. */
  public record StoredUser(int id, String username, String passwordHash) {}

  /** A stored minimum-price alert. */
  public record StoredAlert(long id, String username, String symbol, BigDecimal price) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("symbol", symbol).put("price", price.stripTrailingZeros()
          .toPlainString());
    }
  }

  private final Pool pool;

  public UserStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<StoredUser>> find(String username) {
    return pool.preparedQuery(Sql.USER_BY_NAME).execute(Tuple.of(username)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      return Optional.of(new StoredUser(r.getInteger("id"), r.getString("username"), r.getString("password_hash")));
    });
  }

  /** Every user's name and creation time (UTC, ISO), by name. */
  public Future<JsonArray> list() {
    return pool.query(Sql.USERS_LIST).execute().map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(new JsonObject().put("username", r.getString("username"))
          .put("createdAt", r.getLocalDateTime("created_at").toString() + "Z")));
      return out;
    });
  }

  /** Creates the user or replaces its password; true when created. */
  public Future<Boolean> put(String username, String passwordHash) {
    return pool.preparedQuery(Sql.USER_PUT).execute(Tuple.of(username, passwordHash))
        .map(rows -> rows.iterator().next().getBoolean("created"));
  }

  /** True when the user existed. Its alerts go with it. */
  public Future<Boolean> remove(String username) {
    return pool.preparedQuery(Sql.USER_REMOVE).execute(Tuple.of(username)).map(rows -> rows.rowCount() > 0);
  }

  public Future<Boolean> anyUser() {
    return pool.query(Sql.ANY_USER).execute().map(rows -> rows.iterator().next().getBoolean("found"));
  }

  /** Creates {@code admin} only while there is no user at all; safe when several nodes start together. */
  public Future<Boolean> createAdminIfNoUsers(String passwordHash) {
    return pool.withTransaction(conn -> conn.query(Sql.LOCK_USERS).execute()
        .compose(v -> conn.preparedQuery(Sql.ADMIN_IF_NO_USERS).execute(Tuple.of(passwordHash)))
        .map(rows -> rows.rowCount() > 0));
  }

  public Future<List<StoredAlert>> alerts(String username) {
    return pool.preparedQuery(Sql.ALERTS_OF_USER).execute(Tuple.of(username))
        .map(rows -> alerts(rows, username));
  }

  public Future<List<StoredAlert>> allAlerts() {
    return pool.query(Sql.ALERTS_ALL).execute().map(rows -> alerts(rows, null));
  }

  /** Creates or replaces the user's alert for {@code symbol}; empty when the user does not exist. */
  public Future<Optional<StoredAlert>> putAlert(String username, String symbol, BigDecimal price) {
    return pool.preparedQuery(Sql.ALERT_PUT).execute(Tuple.of(username, symbol, price))
        .map(rows -> alerts(rows, username).stream().findFirst());
  }

  /** Deletes the user's alert {@code id}; the symbol it was for, or empty when the user has no such alert. */
  public Future<Optional<String>> deleteAlert(String username, long id) {
    return pool.preparedQuery(Sql.ALERT_DELETE).execute(Tuple.of(username, id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
  }

  /** The user's chart settings as stored (a JSON object's text), or empty when they never saved any. */
  public Future<Optional<String>> settings(String username) {
    return pool.preparedQuery(Sql.SETTINGS_GET).execute(Tuple.of(username))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
  }

  /** Replaces the user's settings with {@code settings}; empty when there is no such user. */
  public Future<Optional<String>> putSettings(String username, JsonObject settings) {
    // a JsonObject is sent as JSON; a String would be stored as one JSON string
    return pool.preparedQuery(Sql.SETTINGS_PUT).execute(Tuple.of(username, settings))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
  }

  /** The user's indicator alerts: {@code [{id, symbol, interval, name, period, above?, below?}]}. */
  public Future<JsonArray> indicatorAlerts(String username) {
    return pool.preparedQuery(Sql.INDICATOR_ALERTS_OF_USER).execute(Tuple.of(username))
        .map(rows -> indicatorAlerts(rows, false));
  }

  /** Every user's indicator alerts, each with its {@code username}. */
  public Future<JsonArray> allIndicatorAlerts() {
    return pool.query(Sql.INDICATOR_ALERTS_ALL).execute().map(rows -> indicatorAlerts(rows, true));
  }

  /** Creates or replaces the user's alert on {@code a}'s indicator; empty when there is no such user. */
  public Future<Optional<JsonObject>> putIndicatorAlert(String username, JsonObject a) {
    Tuple t = Tuple.of(username, a.getString("symbol"), a.getString("interval"), a.getString("name"),
        a.getInteger("period"), decimalOrNull(a, "above"), decimalOrNull(a, "below"));
    return pool.preparedQuery(Sql.INDICATOR_ALERT_PUT).execute(t)
        .map(rows -> indicatorAlerts(rows, false).stream().map(JsonObject.class::cast).findFirst());
  }

  /** True when the user had alert {@code id}. */
  public Future<Boolean> deleteIndicatorAlert(String username, long id) {
    return pool.preparedQuery(Sql.INDICATOR_ALERT_DELETE).execute(Tuple.of(username, id))
        .map(rows -> rows.size() > 0);
  }

  private static BigDecimal decimalOrNull(JsonObject a, String field) {
    String v = a.getString(field);
    return v == null ? null : new BigDecimal(v);
  }

  private static JsonArray indicatorAlerts(RowSet<Row> rows, boolean withUser) {
    JsonArray out = new JsonArray();
    for (Row r : rows) {
      JsonObject o = new JsonObject().put("id", r.getLong("id")).put("symbol", r.getString("symbol"))
          .put("interval", r.getString("interval")).put("name", r.getString("name"))
          .put("period", r.getInteger("period"));
      for (String level : List.of("above", "below")) {
        BigDecimal v = r.getBigDecimal(level);
        if (v != null) {
          o.put(level, v.stripTrailingZeros().toPlainString());
        }
      }
      if (withUser) {
        o.put("username", r.getString("username"));
      }
      out.add(o);
    }
    return out;
  }

  /** Marks {@code symbols} seen by the user and returns those it had not seen before. */
  public Future<List<String>> markSeen(String username, List<String> symbols) {
    return pool.preparedQuery(Sql.MARK_SEEN)
        .execute(Tuple.tuple().addValue(username).addValue(symbols.toArray(new String[0])))
        .map(rows -> {
          List<String> fresh = new ArrayList<>(rows.size());
          rows.forEach(r -> fresh.add(r.getString(0)));
          return fresh;
        });
  }

  private static List<StoredAlert> alerts(RowSet<Row> rows, String username) {
    List<StoredAlert> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      String user = username != null ? username : r.getString("username");
      out.add(new StoredAlert(r.getLong("id"), user, r.getString("symbol"), r.getBigDecimal("price")));
    }
    return out;
  }
}
