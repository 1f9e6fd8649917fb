package io.candlebus.persistence;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import java.time.Instant;

/**
 * Whether PostgreSQL is reachable, as the persistence verticle last saw it, and since when it is not. Used from
 * the verticle's context only.
 */
final class Outage {
  private Instant since;
  private String error = "not connected yet";

  /**
   * Whether a failure says PostgreSQL cannot be used (refused or lost connections, shutdown, a database that
   * does not allow connections...), rather than refusing one statement (bad data, a constraint, a conflict) or
   * one request beyond what the pool lets wait ({@link #isOverload}).
   */
  static boolean isConnectionFailure(Throwable err) {
    if (isOverload(err)) {
      return false;
    }
    if (err instanceof PgException pg) {
      String state = pg.getSqlState();
      if (state == null || state.length() < 2) {
        return true;
      }
      String type = state.substring(0, 2);
      return !(type.equals("22") || type.equals("23") || type.equals("25") || type.equals("40")
          || type.equals("42") || type.equals("P0"));
    }
    return !(err instanceof IllegalArgumentException);
  }

  /**
   * Whether the pool refused a request because its wait queue was full: PostgreSQL answers, its connections are
   * all busy. Only that request fails; marking an outage would fail everyone's and readiness. (vertx-core's
   * pool, which the SQL client's uses, fails a waiter beyond {@code maxWaitQueueSize} with this exception.)
   */
  static boolean isOverload(Throwable err) {
    return err instanceof ConnectionPoolTooBusyException;
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
