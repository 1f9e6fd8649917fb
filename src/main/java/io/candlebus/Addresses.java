package io.candlebus;

import io.candlebus.domain.Interval;

/**
 * Every event-bus address candlebus uses, in one place. The {@code market.*} and {@code alerts.*} ones are the
 * public contract of SPEC.md (browsers may register on them); everything else is internal.
 */
public final class Addresses {
  private Addresses() {}

  // --- public (SPEC "Event bus") ---
  public static final String MARKET_TRADE_PREFIX = "market.trade.";
  public static final String MARKET_CANDLE_PREFIX = "market.candle.";
  public static final String MARKET_STATUS = "market.status";
  public static final String ALERTS_PREFIX = "alerts.";
  public static final String MARKET_DEPTH_PREFIX = "market.depth.";
  /** The board's changed entries, once a second: a JSON array of ticker objects. */
  public static final String MARKET_TICKER = "market.ticker";
  /** {@code market.indicator.<SYMBOL>.<interval>.<name>:<params>}: an indicator's live value. */
  public static final String MARKET_INDICATOR_PREFIX = "market.indicator.";

  public static String trade(String symbol) {
    return MARKET_TRADE_PREFIX + symbol;
  }

  public static String candle(String symbol, Interval interval) {
    return MARKET_CANDLE_PREFIX + symbol + "." + interval.code();
  }

  public static String depth(String symbol) {
    return MARKET_DEPTH_PREFIX + symbol;
  }

  /** {@code key} as {@link io.candlebus.indicators.IndicatorSpec#key()}: {@code rsi:14}, {@code bb:20,2}. */
  public static String indicator(String symbol, Interval interval, String key) {
    return MARKET_INDICATOR_PREFIX + symbol + "." + interval.code() + "." + key;
  }

  // --- live indicators ---
  /**
   * Send, local to a node: {@code {address, watch: true|false}} from a bridge when the first of its browsers
   * registers on a {@code market.indicator.*} address and when the last one leaves; the node computes only the
   * indicators someone watches.
   */
  public static final String INDICATORS_INTEREST = "indicators.interest";

  // --- order books ---
  /**
   * Request/reply, per symbol and cluster-wide (only the node keeping that book answers): {@code {limit}} → the
   * book as on {@code market.depth.<S>} with up to {@code limit} levels a side; fails 503 while it is rebuilt.
   */
  public static final String DEPTH_BOOK_PREFIX = "depth.book.";
  /** {@code DepthTick} (local): the 100 ms rows of the live books, to the recorder, in tick order. */
  public static final String DEPTH_RECORD = "depth.record";
  /** Request/reply: {@code {problem?, rowsWritten, rowsDropped}} from the recorder, for {@code /ready}. */
  public static final String DEPTH_RECORDER_STATUS = "depth.recorder.status";

  public static String depthBook(String symbol) {
    return DEPTH_BOOK_PREFIX + symbol;
  }

  // --- the ticker board ---
  /**
   * Request/reply, cluster-wide (only the node keeping the board answers): {@code {window, quote?, sort, limit}}
   * → {@code {markets, covered, complete, tickers: [...]}}.
   */
  public static final String TICKERS_QUERY = "tickers.query";
  /** Published locally by the symbol ownership of a cluster: {@code {keep: bool}}, whether this node keeps the board. */
  public static final String TICKERS_KEEP = "tickers.keep";

  // --- carried symbols ---
  /**
   * Request/reply: {@code {symbol}} → {@code {symbol, carried: [...], added: bool}}: carry one more symbol (from
   * the board), with backfill; fails 404 for a symbol Binance does not list, 409 beyond {@code symbols.max}.
   */
  public static final String SYMBOLS_CARRY = "symbols.carry";
  /** Request/reply: empty → {@code [SYMBOL...]}, the symbols carried now. */
  public static final String SYMBOLS_CARRIED = "symbols.carried";
  /** Published cluster-wide: {@code [SYMBOL...]}, the symbols carried now, whenever that changes. */
  public static final String SYMBOLS_CHANGED = "symbols.changed";

  // --- internal, local to the ingest node: Java objects through local codecs ---
  /** {@code Trade} objects from the upstream, in stream order, to the candle builder. */
  public static final String UPSTREAM_TRADES = "upstream.trades";
  /** Binance's own klines ({@code StreamEvent.KlineEvent}: the kline and its event time) to the candle builder. */
  public static final String UPSTREAM_KLINES = "upstream.klines";
  /** {@code UpstreamGap}: a connection of the upstream dropped; continuity of its symbols is unknown. */
  public static final String UPSTREAM_GAP = "upstream.gap";
  /** {@code UpstreamContinuous}: REST proved nothing was missed after a symbol's last trade; closing may resume. */
  public static final String UPSTREAM_CONTINUOUS = "upstream.continuous";
  /**
   * {@code {add: [SYMBOL...], remove: [SYMBOL...], resume: {SYMBOL: lastAggId}}}: change the carried symbols at run
   * time (SUBSCRIBE/UNSUBSCRIBE, no reconnect); {@code resume} continues a symbol after a trade id handed on
   * elsewhere, so the hole in between is fetched from REST. Published, so the candle builder follows too.
   */
  public static final String UPSTREAM_SYMBOLS = "upstream.symbols";
  /**
   * Request/reply, local: {@code {release?: [SYMBOL...]}} → {@code {SYMBOL: lastAggId}}, the last trade id handed
   * on per carried symbol; with {@code release}, only those, and the upstream stops carrying them at once (the
   * cluster's hand-over of a symbol to another node).
   */
  public static final String UPSTREAM_POSITIONS = "upstream.positions";
  /** Request/reply: current upstream state as the {@code market.status} JSON. */
  public static final String UPSTREAM_STATUS = "upstream.status";
  /** {@code Candle}: a closed candle (ours, or a correction) to be stored. */
  public static final String CANDLES_CLOSED = "candles.closed";
  /**
   * {@code Candle}, local: a window we closed without all its trades (joined mid-way, or a hole): not stored as
   * is; Binance's kline of that window is fetched over REST and stored (and published) instead.
   */
  public static final String CANDLES_PARTIAL = "candles.partial";
  /** {@code Candle}: the last closed candle known from history, so later empty windows can be built flat. */
  public static final String CANDLES_SEED = "candles.seed";

  // --- persistence, request/reply with JSON (usable across a cluster) ---
  /** {@code {symbol, interval, startTime?, endTime?, limit}} → JSON array of stored candles, oldest first. */
  public static final String DB_CANDLES_QUERY = "persistence.candles.query";
  /** {@code {symbol, interval}} → {@code {openTime}} of the newest stored candle, or {@code {}}. */
  public static final String DB_CANDLES_LATEST = "persistence.candles.latest";
  /** {@code CandleBatch} (local) → number of rows written; used by the backfill. */
  public static final String DB_CANDLES_UPSERT = "persistence.candles.upsert";
  /** Empty → {@code {}} once PostgreSQL answered a query; fails otherwise. */
  public static final String DB_PING = "persistence.ping";

  // --- users and alerts in PostgreSQL, request/reply with JSON ---
  /** {@code {username}} → {@code {id, username, passwordHash}} or {@code {}}. */
  public static final String DB_USER_FIND = "persistence.users.find";
  /** {@code {passwordHash}} → {@code {created}}: {@code admin} is created only while there is no user at all. */
  public static final String DB_USER_ADMIN = "persistence.users.admin";
  /** Empty → {@code {any}}: whether there is a user at all. */
  public static final String DB_USER_ANY = "persistence.users.any";
  /** {@code {username}} → array of {@code {id, symbol, price}}. */
  public static final String DB_ALERTS_LIST = "persistence.alerts.list";
  /** Empty → array of {@code {id, username, symbol, price}}: every user's alerts. */
  public static final String DB_ALERTS_ALL = "persistence.alerts.all";
  /** {@code {username, symbol, price}} → {@code {id, symbol, price}} (created or replaced). */
  public static final String DB_ALERT_PUT = "persistence.alerts.put";
  /** {@code {username, id}} → {@code {deleted, symbol?}}. */
  public static final String DB_ALERT_DELETE = "persistence.alerts.delete";
  /**
   * Request/reply: {@code {username}} → the user's indicator alerts
   * {@code [{id, symbol, interval, name, period, above, below}]}.
   */
  public static final String DB_INDICATOR_ALERTS_LIST = "persistence.indicator-alerts.list";
  /** Request/reply: every user's indicator alerts, each with its {@code username}. */
  public static final String DB_INDICATOR_ALERTS_ALL = "persistence.indicator-alerts.all";
  /**
   * Request/reply: {@code {username, symbol, interval, name, period, above?, below?}} → the stored alert, or
   * {@code {}}.
   */
  public static final String DB_INDICATOR_ALERT_PUT = "persistence.indicator-alerts.put";
  /** Request/reply: {@code {username, id}} → {@code {deleted}}. */
  public static final String DB_INDICATOR_ALERT_DELETE = "persistence.indicator-alerts.delete";
  /** {@code {username}} → the user's alert list (issue 13), as {@code GET /api/alerts} shows it. */
  public static final String DB_USER_ALERTS_LIST = "persistence.user-alerts.list";
  /** Empty → every user's alerts that may still fire, each with its {@code username}. */
  public static final String DB_USER_ALERTS_LIVE = "persistence.user-alerts.live";
  /**
   * {@code {username, id?, alert, limit}} → the stored alert; a new one (no id) only while the user has fewer than
   * {@code limit} alerts of both lists. Fails 404 (no such alert or user), 409 (at the limit).
   */
  public static final String DB_USER_ALERT_PUT = "persistence.user-alerts.put";
  /** {@code {id}} → {@code {}}: the alert reached its expiry. */
  public static final String DB_USER_ALERT_EXPIRED = "persistence.user-alerts.expired";
  /**
   * {@code {id, alertId, price, reference?, time, done}} → {@code {stored, webhook?}}: {@code stored} false when
   * that firing was stored before (another node fired the same trade).
   */
  public static final String DB_ALERT_FIRED = "persistence.alert-firings.fired";
  /** {@code {username, before, limit}} → the user's firings, newest first. */
  public static final String DB_ALERT_HISTORY = "persistence.alert-firings.history";
  /** {@code {username}} → {@code {url, failed}}. */
  public static final String DB_WEBHOOK_GET = "persistence.webhooks.get";
  /** {@code {username, url}} → {@code {url}}; {@code url} null deletes it. */
  public static final String DB_WEBHOOK_PUT = "persistence.webhooks.put";
  /** {@code {leaseMs, limit}} → the firings due for a webhook attempt now, leased to the caller. */
  public static final String DB_WEBHOOK_CLAIM = "persistence.webhooks.claim";
  /** {@code {id, outcome: delivered|retry|failed, next?, error?}} → {@code {}}. */
  public static final String DB_WEBHOOK_OUTCOME = "persistence.webhooks.outcome";
  /** Local, any body: a firing with a webhook was stored; the deliverer looks for due ones now. */
  public static final String WEBHOOK_DUE = "alerts.webhook-due";
  /** {@code {username}} → the user's chart settings object, or {@code {}} when none were saved. */
  public static final String DB_SETTINGS_GET = "persistence.settings.get";
  /** {@code {username, settings}} → the settings stored (replacing the user's previous ones). */
  public static final String DB_SETTINGS_PUT = "persistence.settings.put";
  /** {@code {username, symbols}} → {@code {fresh: [...]}}: marks them seen, returns those not seen before. */
  public static final String DB_MARKETS_SEEN = "persistence.markets.seen";

  // --- cluster ---
  /** Published cluster-wide, epoch ms: Binance told one node to wait (429/418); every node of the IP waits. */
  public static final String CLUSTER_REST_BLOCKED = "cluster.rest-blocked";

  // --- alerts ---
  /** Publish, any body: a user's alerts changed; the alert evaluator reloads them. */
  public static final String ALERT_RULES_CHANGED = "alert-rules.changed";
  /** Request/reply: Binance's exchangeInfo symbols, cached → array of {@code {symbol, status, baseAsset, quoteAsset}}. */
  public static final String EXCHANGE_SYMBOLS = "upstream.exchange-symbols";

  /** The address where {@code username}'s own alert firings are published. */
  public static String alerts(String username) {
    return ALERTS_PREFIX + username;
  }
}
