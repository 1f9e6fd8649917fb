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

  /**
   * Migration 5 (issue 13): each user's alert list beside the minimum-price ones (ids from the same sequence, so
   * {@code /api/alerts/{id}} names one alert of either table), the firings (history and webhook deliveries), and
   * each user's webhook. A firing's id is made from the alert and the trade, so two nodes firing the same alert
   * on the same trade store it once.
   */
  public static final List<String> V5_USER_ALERTS = List.of(
      """
      CREATE TABLE IF NOT EXISTS exchange.user_alerts (
        id int PRIMARY KEY DEFAULT nextval('exchange.alerts_id_seq'),
        user_id int NOT NULL REFERENCES exchange.users(id) ON DELETE CASCADE,
        symbol varchar NOT NULL,
        kind varchar NOT NULL,
        level numeric,
        percent numeric,
        window_ms bigint NOT NULL DEFAULT 0,
        frequency varchar NOT NULL,
        cooldown_ms bigint NOT NULL,
        bar varchar NOT NULL,
        expires bigint,
        note varchar(250),
        sound varchar NOT NULL,
        paused boolean NOT NULL DEFAULT false,
        state varchar NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'done', 'expired')),
        last_fired bigint,
        created bigint NOT NULL,
        CHECK ((kind = 'change_pct') = (percent IS NOT NULL)),
        CHECK ((kind = 'change_pct') = (level IS NULL)))""",
      "CREATE INDEX IF NOT EXISTS user_alerts_user ON exchange.user_alerts (user_id)",
      """
      CREATE TABLE IF NOT EXISTS exchange.alert_firings (
        id varchar PRIMARY KEY,
        user_id int NOT NULL REFERENCES exchange.users(id) ON DELETE CASCADE,
        alert_id int NOT NULL,
        kind varchar NOT NULL,
        symbol varchar NOT NULL,
        price numeric NOT NULL,
        level numeric,
        percent numeric,
        reference numeric,
        time bigint NOT NULL,
        note varchar(250),
        sound varchar NOT NULL,
        webhook varchar NOT NULL DEFAULT 'none' CHECK (webhook IN ('none', 'pending', 'delivered', 'failed')),
        webhook_url varchar,
        webhook_attempts int NOT NULL DEFAULT 0,
        webhook_next bigint,
        webhook_lease bigint,
        webhook_error varchar,
        stored_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'))""",
      "CREATE INDEX IF NOT EXISTS alert_firings_user_time ON exchange.alert_firings (user_id, time DESC)",
      """
      CREATE INDEX IF NOT EXISTS alert_firings_webhook_due ON exchange.alert_firings (webhook_next)
        WHERE webhook = 'pending'""",
      """
      CREATE TABLE IF NOT EXISTS exchange.user_webhooks (
        user_id int PRIMARY KEY REFERENCES exchange.users(id) ON DELETE CASCADE,
        url varchar NOT NULL,
        updated_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'))""");

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

  /** Deletes the user's alert {@code $2} of either list (minimum prices, user alerts): their ids never meet. */
  public static final String ALERT_DELETE = """
      WITH u AS (SELECT id FROM exchange.users WHERE username = $1),
        m AS (DELETE FROM exchange.alerts a USING u WHERE a.user_id = u.id AND a.id = $2 RETURNING a.symbol),
        n AS (DELETE FROM exchange.user_alerts a USING u WHERE a.user_id = u.id AND a.id = $2 RETURNING a.symbol)
      SELECT symbol FROM m UNION ALL SELECT symbol FROM n""";

  // --- user alerts (issue 13), firings and webhooks ---

  private static final String USER_ALERT_COLUMNS = """
      a.id, a.symbol, a.kind, a.level, a.percent, a.window_ms, a.frequency, a.cooldown_ms, a.bar, a.expires, a.note,
      a.sound, a.paused, a.state, a.last_fired, a.created""";

  public static final String USER_ALERTS_OF_USER = "SELECT " + USER_ALERT_COLUMNS + """

      FROM exchange.user_alerts a JOIN exchange.users u ON u.id = a.user_id WHERE u.username = $1 ORDER BY a.id""";

  /** What the evaluators watch: every user's alerts that may still fire. */
  public static final String USER_ALERTS_LIVE = "SELECT u.username, " + USER_ALERT_COLUMNS + """

      FROM exchange.user_alerts a JOIN exchange.users u ON u.id = a.user_id
      WHERE a.state = 'active' AND NOT a.paused ORDER BY a.id""";

  /** How many alerts of both lists the user has. */
  public static final String USER_ALERT_COUNT = """
      SELECT (SELECT count(*) FROM exchange.user_alerts a WHERE a.user_id = u.id)
        + (SELECT count(*) FROM exchange.alerts a WHERE a.user_id = u.id) AS n
      FROM exchange.users u WHERE u.username = $1""";

  /** $2.. as in {@link #USER_ALERT_COLUMNS} from symbol to paused, then created; no row when there is no user. */
  public static final String USER_ALERT_INSERT = """
      INSERT INTO exchange.user_alerts AS a (user_id, symbol, kind, level, percent, window_ms, frequency, cooldown_ms,
        bar, expires, note, sound, paused, created)
      SELECT id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14 FROM exchange.users WHERE username = $1
      RETURNING\s""" + USER_ALERT_COLUMNS;

  /** Replaces the user's alert {@code $14} and arms it again; no row when the user has no such alert. */
  public static final String USER_ALERT_UPDATE = """
      UPDATE exchange.user_alerts a SET symbol = $2, kind = $3, level = $4, percent = $5, window_ms = $6,
        frequency = $7, cooldown_ms = $8, bar = $9, expires = $10, note = $11, sound = $12, paused = $13,
        state = 'active', last_fired = NULL
      FROM exchange.users u WHERE a.user_id = u.id AND u.username = $1 AND a.id = $14
      RETURNING\s""" + USER_ALERT_COLUMNS;

  /** An alert that reached its expiry. */
  public static final String USER_ALERT_EXPIRED =
      "UPDATE exchange.user_alerts SET state = 'expired' WHERE id = $1 AND state = 'active'";

  /**
   * Stores a firing of alert $2 ({@code $1} its id, $3 the trade price, $4 change_pct's reference, $5 the trade's
   * time, $6 now: the first webhook attempt, $7 whether the alert is done) and marks the alert fired, in one
   * statement; no row when the firing was stored before (another node fired the same trade) or the alert is gone.
   */
  public static final String ALERT_FIRED = """
      WITH f AS (
        INSERT INTO exchange.alert_firings (id, user_id, alert_id, kind, symbol, price, level, percent, reference,
          time, note, sound, webhook, webhook_url, webhook_next)
        SELECT $1, a.user_id, a.id, a.kind, a.symbol, $3, a.level, a.percent, $4, $5, a.note, a.sound,
          CASE WHEN w.url IS NULL THEN 'none' ELSE 'pending' END, w.url, CASE WHEN w.url IS NULL THEN NULL ELSE $6 END
        FROM exchange.user_alerts a LEFT JOIN exchange.user_webhooks w ON w.user_id = a.user_id WHERE a.id = $2
        ON CONFLICT (id) DO NOTHING
        RETURNING alert_id, webhook)
      UPDATE exchange.user_alerts a SET last_fired = $5, state = CASE WHEN $7 THEN 'done' ELSE a.state END
      FROM f WHERE a.id = f.alert_id
      RETURNING f.webhook""";

  private static final String FIRING_COLUMNS = """
      f.id, f.alert_id, f.kind, f.symbol, f.price, f.level, f.percent, f.reference, f.time, f.note, f.sound,
      f.webhook, f.webhook_error, f.webhook_attempts""";

  /** The user's firings before $2 (epoch ms), newest first, at most $3. */
  public static final String FIRINGS_OF_USER = "SELECT " + FIRING_COLUMNS + """

      FROM exchange.alert_firings f JOIN exchange.users u ON u.id = f.user_id
      WHERE u.username = $1 AND f.time < $2 ORDER BY f.time DESC, f.id DESC LIMIT $3""";

  public static final String WEBHOOK_GET = """
      SELECT w.url, (SELECT count(*) FROM exchange.alert_firings f WHERE f.user_id = u.id AND f.webhook = 'failed')
        AS failed
      FROM exchange.users u LEFT JOIN exchange.user_webhooks w ON w.user_id = u.id WHERE u.username = $1""";

  public static final String WEBHOOK_PUT = """
      INSERT INTO exchange.user_webhooks (user_id, url) SELECT id, $2 FROM exchange.users WHERE username = $1
      ON CONFLICT (user_id) DO UPDATE SET url = EXCLUDED.url, updated_at = (now() AT TIME ZONE 'UTC')
      RETURNING url""";

  public static final String WEBHOOK_DELETE = """
      DELETE FROM exchange.user_webhooks w USING exchange.users u WHERE w.user_id = u.id AND u.username = $1""";

  /**
   * Leases up to $3 firings due for a webhook attempt at $1 (epoch ms) until $1 + $2: a node that dies while
   * posting leaves its lease to run out, and another node takes the firing then. Counts the attempt.
   */
  public static final String WEBHOOK_CLAIM = """
      UPDATE exchange.alert_firings f SET webhook_lease = $1 + $2, webhook_attempts = f.webhook_attempts + 1
      FROM exchange.users u
      WHERE u.id = f.user_id AND f.id IN (
        SELECT id FROM exchange.alert_firings
        WHERE webhook = 'pending' AND webhook_next <= $1 AND (webhook_lease IS NULL OR webhook_lease < $1)
        ORDER BY webhook_next LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING u.username, f.webhook_url,\s""" + FIRING_COLUMNS;

  public static final String WEBHOOK_DELIVERED = """
      UPDATE exchange.alert_firings SET webhook = 'delivered', webhook_lease = NULL, webhook_error = NULL
      WHERE id = $1""";

  /** Another attempt at $2 (epoch ms); $3 why the last one failed. */
  public static final String WEBHOOK_RETRY = """
      UPDATE exchange.alert_firings SET webhook_next = $2, webhook_lease = NULL, webhook_error = $3 WHERE id = $1""";

  public static final String WEBHOOK_FAILED = """
      UPDATE exchange.alert_firings SET webhook = 'failed', webhook_lease = NULL, webhook_error = $2 WHERE id = $1""";

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
