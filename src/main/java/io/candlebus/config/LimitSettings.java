package io.candlebus.config;

/**
 * The bounds that keep one user, or one client that never logged in, from taking a node down or starving the
 * others (README "Limits"). Each default stands beside its field; {@code 0} turns a cap off (behind a proxy that
 * enforces its own, say). The ranges are what {@link ConfigLoader} accepts.
 *
 * @param httpIdleTimeoutMs {@code http.idle.timeout.ms}: a connection with nothing read or written this long is
 *     closed (a bridge WebSocket is never idle: the page pings every 5 s, the server beats every 25 s)
 * @param httpHeaderTimeoutMs {@code http.header.timeout.ms}: a connection must deliver its first request's whole
 *     header within this of opening, a later one's within the idle timeout and this of its previous response
 * @param httpBodyTimeoutMs {@code http.body.timeout.ms}: a request's body must arrive whole within this of its
 *     headers
 * @param httpMaxConnections {@code http.max.connections}: open HTTP connections of the node at most; 0 = the
 *     process's open-file limit less {@link #RESERVED_FILES}
 * @param httpMaxConnectionsPerAddress {@code http.max.connections.per.address}: open connections from one
 *     remote address at most (0 = no cap: behind a proxy every connection comes from the proxy)
 * @param bridgeMaxSocketsPerSession {@code bridge.max.sockets.per.session}: bridge sockets of one login (a tab
 *     each) at most on a node
 * @param bridgeMaxSocketsPerUser {@code bridge.max.sockets.per.user}: bridge sockets of one user, over all their
 *     logins, at most on a node
 * @param indicatorMaxFeedsPerUser {@code indicators.max.feeds.per.user}: live indicator series one user may have
 *     registered on a node at once
 * @param indicatorMaxFeeds {@code indicators.max.feeds}: live indicator series a node computes at once
 */
public record LimitSettings(
    long httpIdleTimeoutMs,
    long httpHeaderTimeoutMs,
    long httpBodyTimeoutMs,
    int httpMaxConnections,
    int httpMaxConnectionsPerAddress,
    int bridgeMaxSocketsPerSession,
    int bridgeMaxSocketsPerUser,
    int indicatorMaxFeedsPerUser,
    int indicatorMaxFeeds) {
  public static final int DEFAULT_HTTP_IDLE_TIMEOUT_MS = 60_000;
  public static final int DEFAULT_HTTP_HEADER_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_HTTP_BODY_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_HTTP_MAX_CONNECTIONS = 0;
  /** An office behind one NAT: tens of traders, each with a few tabs of six connections and a WebSocket. */
  public static final int DEFAULT_HTTP_MAX_CONNECTIONS_PER_ADDRESS = 256;
  public static final int DEFAULT_BRIDGE_MAX_SOCKETS_PER_SESSION = 16;
  public static final int DEFAULT_BRIDGE_MAX_SOCKETS_PER_USER = 64;
  /** The page shows at most 20 indicators (its settings' bound). */
  public static final int DEFAULT_INDICATOR_MAX_FEEDS_PER_USER = 20;
  public static final int DEFAULT_INDICATOR_MAX_FEEDS = 200;

  /** Timeouts: 100 ms to 1 h. */
  public static final int MIN_TIMEOUT_MS = 100;
  public static final int MAX_TIMEOUT_MS = 3_600_000;
  /** Caps: 0 (off) to a million. */
  public static final int MAX_CAP = 1_000_000;
  /** Open files a node needs besides its HTTP connections: jars, PostgreSQL, upstream, recorder files, webhooks. */
  public static final int RESERVED_FILES = 1_000;

  public static LimitSettings defaults() {
    return new LimitSettings(DEFAULT_HTTP_IDLE_TIMEOUT_MS, DEFAULT_HTTP_HEADER_TIMEOUT_MS,
        DEFAULT_HTTP_BODY_TIMEOUT_MS, DEFAULT_HTTP_MAX_CONNECTIONS, DEFAULT_HTTP_MAX_CONNECTIONS_PER_ADDRESS,
        DEFAULT_BRIDGE_MAX_SOCKETS_PER_SESSION, DEFAULT_BRIDGE_MAX_SOCKETS_PER_USER,
        DEFAULT_INDICATOR_MAX_FEEDS_PER_USER, DEFAULT_INDICATOR_MAX_FEEDS);
  }

  /**
   * The node's connection cap: {@link #httpMaxConnections}, or with 0 the open-file limit less what the node
   * needs besides ({@code openFileLimit} &le; 0: unknown, then no cap).
   */
  public int maxConnections(long openFileLimit) {
    if (httpMaxConnections > 0) {
      return httpMaxConnections;
    }
    if (openFileLimit <= 0) {
      return 0;
    }
    return (int) Math.max(100, Math.min(MAX_CAP, openFileLimit - RESERVED_FILES));
  }
}
