package io.candlebus.config;

/** Every configuration key: its name in {@code conf/config.json} and the environment variable overriding it. */
public enum ConfigKey {
  HTTP_PORT("http.port", "CANDLEBUS_HTTP_PORT"),
  HTTP_HOST("http.host", "CANDLEBUS_HTTP_HOST"),
  HTTP_INSTANCES("http.instances", "CANDLEBUS_HTTP_INSTANCES"),
  PUBLIC_ORIGIN("public.origin", "CANDLEBUS_PUBLIC_ORIGIN"),
  BINANCE_WS_URL("binance.ws.url", "CANDLEBUS_BINANCE_WS_URL"),
  BINANCE_REST_URL("binance.rest.url", "CANDLEBUS_BINANCE_REST_URL"),
  SYMBOLS("symbols", "CANDLEBUS_SYMBOLS"),
  INTERVALS("intervals", "CANDLEBUS_INTERVALS"),
  HISTORY_LIMIT("history.limit", "CANDLEBUS_HISTORY_LIMIT"),
  PG_URL("pg.url", "CANDLEBUS_PG_URL"),
  DATA_DIR("data.dir", "CANDLEBUS_DATA_DIR"),
  CLUSTER("cluster", "CANDLEBUS_CLUSTER"),
  CLUSTER_MEMBERS("cluster.members", "CANDLEBUS_CLUSTER_MEMBERS"),
  CLUSTER_HOST("cluster.host", "CANDLEBUS_CLUSTER_HOST"),
  CLUSTER_PORT("cluster.port", "CANDLEBUS_CLUSTER_PORT"),
  ROLE("role", "CANDLEBUS_ROLE"),
  UPSTREAM_MAX_AGE_MS("upstream.max.age.ms", "CANDLEBUS_UPSTREAM_MAX_AGE_MS"),
  UPSTREAM_SILENCE_MS("upstream.silence.ms", "CANDLEBUS_UPSTREAM_SILENCE_MS"),
  DEPTH_SYMBOLS("depth.symbols", "CANDLEBUS_DEPTH_SYMBOLS"),
  DEPTH_LEVELS("depth.levels", "CANDLEBUS_DEPTH_LEVELS"),
  DEPTH_SNAPSHOT_LIMIT("depth.snapshot.limit", "CANDLEBUS_DEPTH_SNAPSHOT_LIMIT"),
  DEPTH_RECORD_DIR("depth.record.dir", "CANDLEBUS_DEPTH_RECORD_DIR"),
  DEPTH_RECORD_SLICE("depth.record.slice", "CANDLEBUS_DEPTH_RECORD_SLICE"),
  TICKERS("tickers", "CANDLEBUS_TICKERS"),
  TICKERS_WINDOWS("tickers.windows", "CANDLEBUS_TICKERS_WINDOWS"),
  SYMBOLS_MAX("symbols.max", "CANDLEBUS_SYMBOLS_MAX"),
  EXCHANGE_INFO_REFRESH_MS("exchange.info.refresh.ms", "CANDLEBUS_EXCHANGE_INFO_REFRESH_MS"),
  ALERTS_WEBHOOK_RETRIES("alerts.webhook.retries", "CANDLEBUS_ALERTS_WEBHOOK_RETRIES"),
  HTTP_IDLE_TIMEOUT_MS("http.idle.timeout.ms", "CANDLEBUS_HTTP_IDLE_TIMEOUT_MS"),
  HTTP_HEADER_TIMEOUT_MS("http.header.timeout.ms", "CANDLEBUS_HTTP_HEADER_TIMEOUT_MS"),
  HTTP_BODY_TIMEOUT_MS("http.body.timeout.ms", "CANDLEBUS_HTTP_BODY_TIMEOUT_MS"),
  HTTP_MAX_CONNECTIONS("http.max.connections", "CANDLEBUS_HTTP_MAX_CONNECTIONS"),
  HTTP_MAX_CONNECTIONS_PER_ADDRESS("http.max.connections.per.address", "CANDLEBUS_HTTP_MAX_CONNECTIONS_PER_ADDRESS"),
  BRIDGE_MAX_SOCKETS_PER_SESSION("bridge.max.sockets.per.session", "CANDLEBUS_BRIDGE_MAX_SOCKETS_PER_SESSION"),
  BRIDGE_MAX_SOCKETS_PER_USER("bridge.max.sockets.per.user", "CANDLEBUS_BRIDGE_MAX_SOCKETS_PER_USER"),
  INDICATORS_MAX_FEEDS_PER_USER("indicators.max.feeds.per.user", "CANDLEBUS_INDICATORS_MAX_FEEDS_PER_USER"),
  INDICATORS_MAX_FEEDS("indicators.max.feeds", "CANDLEBUS_INDICATORS_MAX_FEEDS");

  private final String jsonKey;
  private final String envVar;

  ConfigKey(String jsonKey, String envVar) {
    this.jsonKey = jsonKey;
    this.envVar = envVar;
  }

  public String jsonKey() {
    return jsonKey;
  }

  public String envVar() {
    return envVar;
  }

  public static ConfigKey fromJsonKey(String key) {
    for (ConfigKey k : values()) {
      if (k.jsonKey.equals(key)) {
        return k;
      }
    }
    return null;
  }
}
