package io.candlebus.web;

import io.candlebus.config.LimitSettings;
import java.util.HashMap;
import java.util.Map;

/**
 * The bridge sockets open on a node per login session and per user, against {@code bridge.max.sockets.per.session}
 * and {@code bridge.max.sockets.per.user}: one user cannot hold a node's sockets, whatever event loops their
 * sockets landed on. Checked at the handshake, from any event loop (hence one lock: a handshake is rare next to a
 * message). A session is counted under the id it had at the handshake, which is after login (the id changes at
 * login), so a later change of id does not move it.
 */
final class BridgeSockets {
  private final Map<String, Integer> perSession = new HashMap<>();
  private final Map<String, Integer> perUser = new HashMap<>();

  /** A socket's place in the counts, given back once when it closes; or the cap that refused it one. */
  static final class Place {
    /** A socket the counts do not know (made by a test). */
    static final Place UNCOUNTED = new Place(null, null, null, null, null);
    private final BridgeSockets counts;
    private final String session;
    private final String user;
    private final Refusal refused;
    private final String reason;
    private boolean released;

    private Place(BridgeSockets counts, String session, String user, Refusal refused, String reason) {
      this.counts = counts;
      this.session = session;
      this.user = user;
      this.refused = refused;
      this.reason = reason;
    }

    /** The cap that refused the socket, or null when it has its place. */
    Refusal refused() {
      return refused;
    }

    /** What a refused socket is told: the bound, named as configured. */
    String reason() {
      return reason;
    }

    void release() {
      if (counts != null && refused == null) {
        counts.release(this);
      }
    }
  }

  /** Counts a new socket of {@code user} on login {@code session}, unless a cap (0: none) refuses it. */
  synchronized Place open(String session, String user, LimitSettings limits) {
    int ofSession = perSession.getOrDefault(session, 0);
    int ofUser = perUser.getOrDefault(user, 0);
    if (limits.bridgeMaxSocketsPerSession() > 0 && ofSession >= limits.bridgeMaxSocketsPerSession()) {
      return new Place(this, session, user, Refusal.BRIDGE_SOCKETS_PER_SESSION, "too many bridge sockets of this "
          + "login: bridge.max.sockets.per.session is " + limits.bridgeMaxSocketsPerSession());
    }
    if (limits.bridgeMaxSocketsPerUser() > 0 && ofUser >= limits.bridgeMaxSocketsPerUser()) {
      return new Place(this, session, user, Refusal.BRIDGE_SOCKETS_PER_USER, "too many bridge sockets of this "
          + "user: bridge.max.sockets.per.user is " + limits.bridgeMaxSocketsPerUser());
    }
    perSession.put(session, ofSession + 1);
    perUser.put(user, ofUser + 1);
    return new Place(this, session, user, null, null);
  }

  private synchronized void release(Place p) {
    if (p.released) {
      return;
    }
    p.released = true;
    perSession.computeIfPresent(p.session, (k, n) -> n > 1 ? n - 1 : null);
    perUser.computeIfPresent(p.user, (k, n) -> n > 1 ? n - 1 : null);
  }

  /** Sockets counted for {@code user} (tests). */
  synchronized int ofUser(String user) {
    return perUser.getOrDefault(user, 0);
  }
}
