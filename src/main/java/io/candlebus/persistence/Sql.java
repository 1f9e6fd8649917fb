package io.candlebus.persistence;

import java.util.List;

/** Every SQL statement candlebus runs, in one place (SPEC.md "PostgreSQL"). */
public final class Sql {
  private Sql() {}

  // --- migrations (see Schema) ---

  /** Any constant will do, as long as every candlebus node uses the same one. */
  public static final long MIGRATION_LOCK_KEY = 0x63616e646c65L; // "candle"

  public static final String LOCK_MIGRATIONS = "SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK_KEY + ")";

  /** IF NOT EXISTS on existing objects raises notices, which the client logs as warnings. */
  public static final String QUIET_NOTICES = "SET LOCAL client_min_messages TO warning";

  public static final String CREATE_SCHEMA = "CREATE SCHEMA IF NOT EXISTS exchange";

  public static final String CREATE_SCHEMA_VERSION = """
      CREATE TABLE IF NOT EXISTS exchange.schema_version (
        version int PRIMARY KEY,
        description varchar NOT NULL,
        applied_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'))""";

  public static final String CURRENT_VERSION = "SELECT coalesce(max(version), 0) FROM exchange.schema_version";

  public static final String RECORD_VERSION =
      "INSERT INTO exchange.schema_version (version, description) VALUES ($1, $2)";

  /**
   * Migration 1: tokens and candles. {@code IF NOT EXISTS} plus the widening {@code ALTER}s also adopt a table
   * left by the seed schema, whose {@code numeric(10,6)} columns cannot hold a BTC price.
   */
  public static final List<String> V1_CANDLES = List.of(
      """
      CREATE TABLE IF NOT EXISTS exchange.token (
        id serial PRIMARY KEY,
        name varchar UNIQUE NOT NULL)""",
      """
      CREATE TABLE IF NOT EXISTS exchange.price_history (
        token_id int NOT NULL REFERENCES exchange.token(id),
        "interval" varchar NOT NULL,
        date_open timestamp NOT NULL,
        date_close timestamp NOT NULL,
        price_open numeric NOT NULL,
        price_close numeric NOT NULL,
        price_high numeric NOT NULL,
        price_low numeric NOT NULL,
        volume numeric NOT NULL,
        quote_volume numeric NOT NULL,
        taker_buy_volume numeric NOT NULL,
        taker_buy_quote_volume numeric NOT NULL,
        num_trades bigint NOT NULL,
        PRIMARY KEY (token_id, "interval", date_open))""",
      """
      ALTER TABLE exchange.price_history
        ALTER COLUMN price_open TYPE numeric,
        ALTER COLUMN price_close TYPE numeric,
        ALTER COLUMN price_high TYPE numeric,
        ALTER COLUMN price_low TYPE numeric,
        ALTER COLUMN volume TYPE numeric""");

  /** Migration 2: users (PBKDF2 hashes only), their minimum-price alerts, the markets each has seen. */
  public static final List<String> V2_USERS = List.of(
      """
      CREATE TABLE IF NOT EXISTS exchange.users (
        id serial PRIMARY KEY,
        username varchar UNIQUE NOT NULL,
        password_hash varchar NOT NULL,
        created_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'))""",
      """
      CREATE TABLE IF NOT EXISTS exchange.alerts (
        id serial PRIMARY KEY,
        user_id int NOT NULL REFERENCES exchange.users(id) ON DELETE CASCADE,
        symbol varchar NOT NULL,
        price numeric NOT NULL CHECK (price > 0),
        updated_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
        UNIQUE (user_id, symbol))""",
      """
      CREATE TABLE IF NOT EXISTS exchange.seen_markets (
        user_id int NOT NULL REFERENCES exchange.users(id) ON DELETE CASCADE,
        symbol varchar NOT NULL,
        PRIMARY KEY (user_id, symbol))""");

  /** Migration 3: each user's chart settings (symbol, interval, indicators), one JSON document. */
  public static final List<String> V3_SETTINGS = List.of(
      """
      CREATE TABLE IF NOT EXISTS exchange.user_settings (
        user_id int PRIMARY KEY REFERENCES exchange.users(id) ON DELETE CASCADE,
        settings jsonb NOT NULL,
        updated_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'))""");

  /** Migration 4: each user's indicator alerts ("RSI(14) on 1m crosses above 70 / below 30"). */
  public static final List<String> V4_INDICATOR_ALERTS = List.of(
      """
      CREATE TABLE IF NOT EXISTS exchange.indicator_alerts (
        id serial PRIMARY KEY,
        user_id int NOT NULL REFERENCES exchange.users(id) ON DELETE CASCADE,
        symbol varchar NOT NULL,
        interval varchar NOT NULL,
        name varchar NOT NULL,
        period int NOT NULL,
        above numeric,
        below numeric,
        updated_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
        CHECK (above IS NOT NULL OR below IS NOT NULL),
        UNIQUE (user_id, symbol, interval, name, period))""");

  // --- users ---

  public static final String USER_BY_NAME = "SELECT id, username, password_hash FROM exchange.users WHERE username = $1";

  public static final String USERS_LIST =
      "SELECT username, created_at FROM exchange.users ORDER BY username";

  /** Creates the user or sets a new password; {@code xmax = 0} tells an insert from an update. */
  public static final String USER_PUT = """
      INSERT INTO exchange.users (username, password_hash) VALUES ($1, $2)
      ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash
      RETURNING id, (xmax = 0) AS created""";

  public static final String USER_REMOVE = "DELETE FROM exchange.users WHERE username = $1";

  public static final String ANY_USER = "SELECT EXISTS (SELECT 1 FROM exchange.users) AS found";

  /** Under {@link #LOCK_USERS}: the first start's admin, only while there is no user at all. */
  public static final String ADMIN_IF_NO_USERS = """
      INSERT INTO exchange.users (username, password_hash)
      SELECT 'admin', $1 WHERE NOT EXISTS (SELECT 1 FROM exchange.users)""";

  public static final long USERS_LOCK_KEY = 0x7573657273L; // "users"

  public static final String LOCK_USERS = "SELECT pg_advisory_xact_lock(" + USERS_LOCK_KEY + ")";

  // --- alerts ---

  public static final String ALERTS_OF_USER = """
      SELECT a.id, a.symbol, a.price FROM exchange.alerts a JOIN exchange.users u ON u.id = a.user_id
      WHERE u.username = $1 ORDER BY a.symbol""";

  public static final String ALERTS_ALL = """
      SELECT a.id, u.username, a.symbol, a.price FROM exchange.alerts a JOIN exchange.users u ON u.id = a.user_id
      ORDER BY a.id""";

  public static final String ALERT_PUT = """
      INSERT INTO exchange.alerts (user_id, symbol, price)
      SELECT id, $2, $3 FROM exchange.users WHERE username = $1
      ON CONFLICT (user_id, symbol) DO UPDATE SET price = EXCLUDED.price,
        updated_at = (now() AT TIME ZONE 'UTC')
      RETURNING id, symbol, price""";

  public static final String ALERT_DELETE = """
      DELETE FROM exchange.alerts a USING exchange.users u
      WHERE a.user_id = u.id AND u.username = $1 AND a.id = $2
      RETURNING a.symbol""";

  // --- indicator alerts ---

  public static final String INDICATOR_ALERTS_OF_USER = """
      SELECT a.id, a.symbol, a.interval, a.name, a.period, a.above, a.below
      FROM exchange.indicator_alerts a JOIN exchange.users u ON u.id = a.user_id
      WHERE u.username = $1 ORDER BY a.symbol, a.interval, a.period""";

  public static final String INDICATOR_ALERTS_ALL = """
      SELECT a.id, u.username, a.symbol, a.interval, a.name, a.period, a.above, a.below
      FROM exchange.indicator_alerts a JOIN exchange.users u ON u.id = a.user_id ORDER BY a.id""";

  /** Creates or replaces the user's alert on that indicator; no row when there is no such user. */
  public static final String INDICATOR_ALERT_PUT = """
      INSERT INTO exchange.indicator_alerts (user_id, symbol, interval, name, period, above, below)
      SELECT id, $2, $3, $4, $5, $6, $7 FROM exchange.users WHERE username = $1
      ON CONFLICT (user_id, symbol, interval, name, period) DO UPDATE SET above = EXCLUDED.above,
        below = EXCLUDED.below, updated_at = (now() AT TIME ZONE 'UTC')
      RETURNING id, symbol, interval, name, period, above, below""";

  public static final String INDICATOR_ALERT_DELETE = """
      DELETE FROM exchange.indicator_alerts a USING exchange.users u
      WHERE a.user_id = u.id AND u.username = $1 AND a.id = $2
      RETURNING a.symbol""";

  // --- chart settings ---

  public static final String SETTINGS_GET = """
      SELECT s.settings::text FROM exchange.user_settings s JOIN exchange.users u ON u.id = s.user_id
      WHERE u.username = $1""";

  /** Replaces the user's settings; no row when there is no such user. */
  public static final String SETTINGS_PUT = """
      INSERT INTO exchange.user_settings (user_id, settings) SELECT id, $2::jsonb FROM exchange.users WHERE username = $1
      ON CONFLICT (user_id) DO UPDATE SET settings = EXCLUDED.settings, updated_at = now() AT TIME ZONE 'UTC'
      RETURNING settings::text""";

  // --- markets seen ---

  /** Marks {@code $2} seen by user {@code $1}; returns the symbols that were new to them. */
  public static final String MARK_SEEN = """
      INSERT INTO exchange.seen_markets (user_id, symbol)
      SELECT u.id, s FROM exchange.users u, UNNEST($2::varchar[]) AS s WHERE u.username = $1
      ON CONFLICT DO NOTHING
      RETURNING symbol""";

  // --- tokens ---

  public static final String INSERT_TOKENS =
      "INSERT INTO exchange.token (name) SELECT * FROM UNNEST($1::varchar[]) ON CONFLICT (name) DO NOTHING";

  public static final String SELECT_TOKENS = "SELECT id, name FROM exchange.token WHERE name = ANY($1::varchar[])";

  // --- candles ---

  /** One array per column, one statement per chunk of rows. */
  private static final String INSERT_UNNEST = """
      INSERT INTO exchange.price_history AS p (token_id, "interval", date_open, date_close,
        price_open, price_close, price_high, price_low, volume, quote_volume,
        taker_buy_volume, taker_buy_quote_volume, num_trades)
      SELECT * FROM UNNEST($1::int[], $2::varchar[], $3::timestamp[], $4::timestamp[],
        $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[],
        $11::numeric[], $12::numeric[], $13::bigint[])""";

  /**
   * Rows believed new: a third less server CPU than the upsert (no speculative insertion), and it fails as a
   * whole with a unique violation if any row exists after all, so the caller falls back to the upsert.
   */
  public static final String INSERT_CANDLES = INSERT_UNNEST;

  /**
   * The {@code WHERE} skips rows that would not change, so a re-upsert of identical candles writes nothing and
   * its row count is 0.
   */
  public static final String UPSERT_CANDLES = INSERT_UNNEST + """

      ON CONFLICT (token_id, "interval", date_open) DO UPDATE SET
        date_close = EXCLUDED.date_close,
        price_open = EXCLUDED.price_open,
        price_close = EXCLUDED.price_close,
        price_high = EXCLUDED.price_high,
        price_low = EXCLUDED.price_low,
        volume = EXCLUDED.volume,
        quote_volume = EXCLUDED.quote_volume,
        taker_buy_volume = EXCLUDED.taker_buy_volume,
        taker_buy_quote_volume = EXCLUDED.taker_buy_quote_volume,
        num_trades = EXCLUDED.num_trades
      WHERE (p.date_close, p.price_open, p.price_close, p.price_high, p.price_low, p.volume, p.quote_volume,
             p.taker_buy_volume, p.taker_buy_quote_volume, p.num_trades)
        IS DISTINCT FROM
            (EXCLUDED.date_close, EXCLUDED.price_open, EXCLUDED.price_close, EXCLUDED.price_high,
             EXCLUDED.price_low, EXCLUDED.volume, EXCLUDED.quote_volume, EXCLUDED.taker_buy_volume,
             EXCLUDED.taker_buy_quote_volume, EXCLUDED.num_trades)""";

  private static final String SELECT_CANDLES = """
      SELECT p.date_open, p.date_close, p.price_open, p.price_high, p.price_low, p.price_close, p.volume,
             p.quote_volume, p.taker_buy_volume, p.taker_buy_quote_volume, p.num_trades
      FROM exchange.price_history p JOIN exchange.token t ON t.id = p.token_id
      WHERE t.name = $1 AND p."interval" = $2""";

  /** The newest {@code $3}, returned oldest first. */
  public static final String CANDLES_LATEST =
      "SELECT * FROM (" + SELECT_CANDLES + " ORDER BY p.date_open DESC LIMIT $3) s ORDER BY date_open";

  /** The newest {@code $4} opening at or before {@code $3}, oldest first. */
  public static final String CANDLES_UNTIL = "SELECT * FROM (" + SELECT_CANDLES
      + " AND p.date_open <= $3 ORDER BY p.date_open DESC LIMIT $4) s ORDER BY date_open";

  /** The oldest {@code $4} opening at or after {@code $3}. */
  public static final String CANDLES_FROM = SELECT_CANDLES + " AND p.date_open >= $3 ORDER BY p.date_open LIMIT $4";

  /** The oldest {@code $5} opening in {@code [$3, $4]}. */
  public static final String CANDLES_BETWEEN =
      SELECT_CANDLES + " AND p.date_open >= $3 AND p.date_open <= $4 ORDER BY p.date_open LIMIT $5";

  public static final String LATEST_OPEN_TIME = """
      SELECT max(p.date_open) AS date_open
      FROM exchange.price_history p JOIN exchange.token t ON t.id = p.token_id
      WHERE t.name = $1 AND p."interval" = $2""";

  public static final String LATEST_OPEN_TIME_BEFORE = """
      SELECT max(p.date_open) AS date_open
      FROM exchange.price_history p JOIN exchange.token t ON t.id = p.token_id
      WHERE t.name = $1 AND p."interval" = $2 AND p.date_open < $3""";

  public static final String PING = "SELECT 1";
}
