package io.candlebus.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and migrates schema {@code exchange}. Migrations are numbered; {@code exchange.schema_version} records
 * the applied ones. Everything runs in one transaction under an advisory lock, so nodes starting together
 * migrate one after the other and the later ones find nothing left to do.
 */
public final class Schema {
  private static final Logger LOG = LoggerFactory.getLogger(Schema.class);

  /** One numbered step; its statements run in order, in the migration transaction. */
  public record Migration(int version, String description, List<String> statements) {
    public Migration {
      statements = List.copyOf(statements);
    }
  }

  /** Append new migrations at the end with the next number; never edit an applied one. */
  public static final List<Migration> MIGRATIONS = List.of(
      new Migration(1, "tokens and candles", Sql.V1_CANDLES),
      new Migration(2, "users, alerts and seen markets", Sql.V2_USERS),
      new Migration(3, "chart settings per user", Sql.V3_SETTINGS),
      new Migration(4, "indicator alerts per user", Sql.V4_INDICATOR_ALERTS),
      new Migration(5, "alert lists, firings and webhooks per user", Sql.V5_USER_ALERTS));

  private Schema() {}

  /** Applies the missing migrations; the result is the schema version afterwards. */
  public static Future<Integer> migrate(Pool pool) {
    return migrate(pool, MIGRATIONS);
  }

  static Future<Integer> migrate(Pool pool, List<Migration> migrations) {
    return pool.withTransaction(conn -> conn.query(Sql.LOCK_MIGRATIONS).execute()
        .compose(v -> conn.query(Sql.QUIET_NOTICES).execute())
        .compose(v -> conn.query(Sql.CREATE_SCHEMA).execute())
        .compose(v -> conn.query(Sql.CREATE_SCHEMA_VERSION).execute())
        .compose(v -> conn.query(Sql.CURRENT_VERSION).execute())
        .map(rows -> rows.iterator().next().getInteger(0))
        .compose(current -> applyFrom(conn, migrations, current)));
  }

  private static Future<Integer> applyFrom(SqlConnection conn, List<Migration> migrations, int current) {
    Future<Integer> chain = Future.succeededFuture(current);
    for (Migration m : migrations) {
      if (m.version() > current) {
        chain = chain.compose(v -> apply(conn, m));
      }
    }
    return chain;
  }

  private static Future<Integer> apply(SqlConnection conn, Migration m) {
    Future<?> chain = Future.succeededFuture();
    for (String statement : m.statements()) {
      chain = chain.compose(v -> conn.query(statement).execute());
    }
    return chain
        .compose(v -> conn.preparedQuery(Sql.RECORD_VERSION).execute(Tuple.of(m.version(), m.description())))
        .map(v -> {
          LOG.info("schema exchange migrated to version {} ({})", m.version(), m.description());
          return m.version();
        });
  }
}
