package io.candlebus.persistence;

import io.vertx.pgclient.PgException;
import java.time.Instant;

/**
 * Whether PostgreSQL is reachable, as the persistence verticle last saw it, and since when it is not. Used from
 * the verticle's context only.
 */
final class Outage {
  private Instant since;
  private String error = "not connected yet";

  /** Connection-level failures; a refused statement (bad data, constraint) says PostgreSQL is up. */
  static boolean isConnectionFailure(Throwable err) {
    if (err instanceof PgException pg) {
      String state = pg.getSqlState();
      // 08: connection exception, 57P: operator intervention (shutdown), 53: insufficient resources
      return state == null || state.startsWith("08") || state.startsWith("57P") || state.startsWith("53");
    }
    return !(err instanceof IllegalArgumentException);
  }

  /** Starts (or continues) an outage. */
  void failed(Throwable err) {
    if (since == null) {
      since = Instant.now();
    }
    error = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
  }

  void recovered() {
    since = null;
  }

  boolean down() {
    return since != null;
  }

  /** The reason for /ready, e.g. "PostgreSQL unreachable since ...: ...; 1234 candles waiting (1000 in the journal)". */
  String describe(long pending, long journaled) {
    return "PostgreSQL unreachable since " + (since == null ? Instant.now() : since) + ": " + error + "; "
        + pending + " candles waiting (" + journaled + " in the journal)";
  }
}
