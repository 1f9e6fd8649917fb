package io.candlebus.upstream;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group of symbols (at most 1024 streams) carried by one live connection at a time. Reconnects with jittered
 * backoff inside the node's {@link ConnectionBudget}; replaces its connection make-before-break when it nears
 * Binance's 24 h limit, on {@code serverShutdown}, and when it fell silent: the replacement is opened and
 * subscribed, and the old one closed only once the new one's trades have caught up with what was handed on (the
 * {@link TradeSequencer} drops the overlap and fills any hole left).
 */
final class UpstreamSlot {
  private static final Logger log = LoggerFactory.getLogger(UpstreamSlot.class);
  /** A replacement whose trades have not caught up by then takes over anyway (REST fills what is left). */
  static final long MAX_OVERLAP_MS = 10_000;
  /** A connection that lived this long resets the backoff. */
  private static final long STABLE_MS = 1_000;

  interface Listener {
    void frame(UpstreamSlot slot, UpstreamConnection from, String text);

    /** The slot has a live connection again; {@code afterBreak}: continuity of its symbols is unknown. */
    void up(UpstreamSlot slot, boolean afterBreak);

    /** The slot lost its live connection with no replacement ready: its symbols may miss trades. */
    void down(UpstreamSlot slot, String reason);

    /** A connection was replaced make-before-break. */
    void rotated(UpstreamSlot slot, String reason);
  }

  private final Vertx vertx;
  private final WebSocketClient client;
  private final URI base;
  private final ConnectionBudget budget;
  private final Listener listener;
  private final long maxAgeMs;
  private final long silenceMs;
  private final Backoff backoff = Backoff.standard();
  /** symbol -> its streams, in subscription order. */
  private final Map<String, List<String>> symbols = new LinkedHashMap<>();
  private UpstreamConnection active;
  private UpstreamConnection replacement;
  private String replacementReason;
  private boolean urgent;
  private final Set<String> caughtUp = new HashSet<>();
  private boolean stopped;
  private boolean wasDown = false;
  private String lastReason = "starting";
  private long retryTimer = -1;
  /** After a failed replacement, the next one waits for the backoff. */
  private long nextRotationAt;
  private final long watchdog;

  UpstreamSlot(Vertx vertx, WebSocketClient client, URI base, ConnectionBudget budget, long maxAgeMs,
      long silenceMs, Listener listener) {
    this.vertx = vertx;
    this.client = client;
    this.base = base;
    this.budget = budget;
    this.maxAgeMs = maxAgeMs;
    this.silenceMs = silenceMs;
    this.listener = listener;
    this.watchdog = vertx.setPeriodic(Math.max(100, Math.min(1_000, silenceMs / 5)), t -> check());
  }

  List<String> symbols() {
    return List.copyOf(symbols.keySet());
  }

  int streamCount() {
    return symbols.values().stream().mapToInt(List::size).sum();
  }

  boolean isUp() {
    return active != null && active.isOpen();
  }

  String lastReason() {
    return lastReason;
  }

  boolean isActive(UpstreamConnection c) {
    return c == active;
  }

  String describe() {
    return symbols.size() + " symbols" + (active == null ? "" : " on " + active.describe());
  }

  /** Adds symbols with their streams; subscribed at once on the open connections. */
  void add(Map<String, List<String>> streamsBySymbol) {
    List<String> names = new ArrayList<>();
    streamsBySymbol.forEach((s, streams) -> {
      if (symbols.putIfAbsent(s, List.copyOf(streams)) == null) {
        names.addAll(streams);
      }
    });
    for (UpstreamConnection c : connections()) {
      c.subscribe(names);
    }
    if (active == null && !stopped && retryTimer < 0 && !names.isEmpty()) {
      connect();
    }
  }

  /** Removes symbols: unsubscribed on the open connections. */
  void remove(Set<String> gone) {
    List<String> names = new ArrayList<>();
    for (String s : gone) {
      List<String> streams = symbols.remove(s);
      if (streams != null) {
        names.addAll(streams);
      }
    }
    connections().forEach(c -> c.unsubscribe(names));
  }

  /** Replaces the connection make-before-break; {@code urgent}: take over as soon as the new one is open. */
  void rotate(String reason, boolean urgent) {
    if (stopped || active == null || replacement != null || System.currentTimeMillis() < nextRotationAt) {
      return;
    }
    log.info("upstream {}: replacing the connection: {}", describe(), reason);
    if (urgent) {
      markDown(reason); // the old connection may have missed trades already
    }
    replacementReason = reason;
    this.urgent = urgent;
    caughtUp.clear();
    replacement = newConnection();
    openWithinBudget(replacement);
  }

  /**
   * A frame that carries no data for {@code what}'s listener: a reply to a subscription (an error is logged) or
   * Binance's serverShutdown (the slot replaces the connection). False for any other event.
   */
  boolean handleControl(StreamEvent event, UpstreamConnection from, String what) {
    if (event instanceof StreamEvent.ControlReply r) {
      if (r.errorCode() != null) {
        log.warn("{} {}: control error {} {}", what, from.describe(), r.errorCode(), r.message());
      }
      return true;
    }
    if (event instanceof StreamEvent.ShutdownEvent) {
      if (isActive(from)) {
        rotate("Binance announced serverShutdown", false);
      }
      return true;
    }
    return false;
  }

  /** From the frame router: a trade of {@code symbol} on {@code from} reached what was already handed on. */
  void caughtUp(UpstreamConnection from, String symbol) {
    if (from == replacement && replacement.isOpen() && caughtUp.add(symbol)
        && caughtUp.containsAll(symbols.keySet())) {
      promote();
    }
  }

  boolean isReplacement(UpstreamConnection c) {
    return c == replacement;
  }

  Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(watchdog);
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    return Future.join(connections().stream().map(c -> c.close("stopping")).toList()).mapEmpty();
  }

  private List<UpstreamConnection> connections() {
    List<UpstreamConnection> out = new ArrayList<>(2);
    if (active != null) {
      out.add(active);
    }
    if (replacement != null) {
      out.add(replacement);
    }
    return out;
  }

  private UpstreamConnection newConnection() {
    List<String> streams = new ArrayList<>();
    symbols.values().forEach(streams::addAll);
    return new UpstreamConnection(vertx, client, base, streams, new ConnectionEvents());
  }

  private void connect() {
    retryTimer = -1;
    if (stopped || symbols.isEmpty()) {
      return;
    }
    active = newConnection();
    openWithinBudget(active);
  }

  private void openWithinBudget(UpstreamConnection c) {
    long wait = budget.tryAcquire(System.currentTimeMillis());
    if (wait > 0) {
      log.warn("upstream {}: connection attempt budget spent, waiting {} ms", describe(), wait);
      vertx.setTimer(wait, t -> {
        if (!stopped && !c.hasEnded()) {
          openWithinBudget(c);
        }
      });
      return;
    }
    c.open();
  }

  private void promote() {
    nextRotationAt = 0;
    UpstreamConnection old = active;
    active = replacement;
    replacement = null;
    log.info("upstream {}: replacement took over ({})", describe(), replacementReason);
    listener.rotated(this, replacementReason);
    if (wasDown) {
      wasDown = false;
      listener.up(this, true);
    }
    if (old != null) {
      old.close("replaced: " + replacementReason);
    }
  }

  /** Age and silence, checked on a timer. */
  private void check() {
    long now = System.currentTimeMillis();
    if (replacement != null && replacement.isOpen() && now - replacement.openedAt() >= MAX_OVERLAP_MS) {
      promote();
      return;
    }
    if (active == null || !active.isOpen()) {
      return;
    }
    long silent = active.silentFor(now);
    if (silent > silenceMs) {
      if (replacement == null) {
        rotate("nothing received for " + silent + " ms", true);
      } else if (silent > 2 * silenceMs + MAX_OVERLAP_MS) {
        active.close("silent for " + silent + " ms"); // the replacement cannot connect either: start over
      }
    } else if (now - active.openedAt() >= maxAgeMs) {
      rotate("connection age " + (now - active.openedAt()) / 1000 + " s", false);
    }
  }

  private final class ConnectionEvents implements UpstreamConnection.Listener {
    @Override
    public void frame(UpstreamConnection connection, String text) {
      if (connection == active || connection == replacement) {
        listener.frame(UpstreamSlot.this, connection, text);
      }
    }

    @Override
    public void opened(UpstreamConnection connection) {
      if (connection == replacement) {
        if (urgent || active == null || !active.isOpen()) {
          promote();
        }
        return;
      }
      if (connection == active) {
        listener.up(UpstreamSlot.this, wasDown);
        wasDown = false;
      }
    }

    @Override
    public void ended(UpstreamConnection connection, String reason) {
      if (stopped) {
        return;
      }
      if (connection == replacement) {
        replacement = null;
        long delay = backoff.next();
        nextRotationAt = System.currentTimeMillis() + delay;
        log.warn("upstream {}: replacement failed: {}; trying again in {} ms", describe(), reason, delay);
        return; // the watchdog or the age check asks again
      }
      if (connection != active) {
        return; // a replaced connection closing
      }
      lastReason = reason;
      if (connection.openedAt() > 0 && System.currentTimeMillis() - connection.openedAt() >= STABLE_MS) {
        backoff.reset();
      }
      if (replacement != null) {
        if (replacement.isOpen()) {
          promote();
          return;
        }
        active = replacement; // still connecting: it becomes the reconnect attempt
        replacement = null;
        markDown(reason);
        return;
      }
      active = null;
      markDown(reason);
      long delay = backoff.next();
      log.warn("upstream {}: {}; reconnecting in {} ms", describe(), reason, delay);
      retryTimer = vertx.setTimer(delay, t -> connect());
    }
  }

  private void markDown(String reason) {
    lastReason = reason;
    if (!wasDown) {
      wasDown = true;
      listener.down(this, reason);
    }
  }
}
