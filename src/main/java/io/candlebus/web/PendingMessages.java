package io.candlebus.web;

import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * What waits for one browser, each kind of message within its own bound, so a browser that never reads holds at
 * most {@link #max} messages: trades up to {@link BridgeClient#MAX_QUEUED}, beyond which they are dropped and
 * counted per address, the browser told how many it missed before its next trade there; candles, indicator
 * values, books and the status as the newest per address ({@link LatestByAddress}); the board as one message
 * ({@link BoardFrames}); alerts and error frames, which may be neither dropped nor merged, up to
 * {@link BridgeClient#MAX_URGENT}, beyond which {@link #urgent} says no and the browser must be closed.
 * Sent in that spirit too: alerts and errors first, then the others in turn.
 */
final class PendingMessages {
  // Made when first needed and shared where they can be: most sockets are idle, and a node holds tens of
  // thousands of them (an empty ArrayDeque and three maps are ~400 bytes per socket).
  private ArrayDeque<Outbound> trades = EMPTY_QUEUE;
  private ArrayDeque<Outbound> urgent = EMPTY_QUEUE;
  private LatestByAddress latest;
  private Map<String, Long> missed;
  /** While a board message waits: the last frame the browser has before it, and that frame while it is the only
   * one (null once several are merged, to be built from {@link #board} when sent). */
  private long boardAfter = NO_BOARD;
  private BoardFrames board;
  private Outbound boardFrame;
  private int turn;
  /** Whether anything but trades may wait. */
  private boolean mixed;
  private static final long NO_BOARD = -1;
  /** Read-only stand-in until the first message. */
  private static final ArrayDeque<Outbound> EMPTY_QUEUE = new ArrayDeque<>(0);

  private final BridgeClient.Counters counters;

  PendingMessages(BridgeClient.Counters counters) {
    this.counters = counters;
  }

  /** The most messages that can wait for a browser with {@code addresses} registrations. */
  static int max(int addresses) {
    return BridgeClient.MAX_QUEUED + BridgeClient.MAX_URGENT + 2 * addresses + 1;
  }

  int size() {
    return trades.size() + urgent.size() + (latest == null ? 0 : latest.size()) + (boardAfter == NO_BOARD ? 0 : 1);
  }

  void trade(String address, Outbound message) {
    if (missed == null) {
      if (trades.size() < BridgeClient.MAX_QUEUED) {
        if (trades == EMPTY_QUEUE) {
          trades = new ArrayDeque<>();
        }
        trades.add(message);
        return;
      }
      missed = new HashMap<>();
    }
    // some were dropped: the browser is told how many before its next trade of that address
    Long n = missed.get(address);
    if (trades.size() + (n == null ? 1 : 2) > BridgeClient.MAX_QUEUED) {
      missed.merge(address, 1L, Long::sum);
      counters.droppedTrade();
      return;
    }
    if (n != null) {
      missed.remove(address);
      trades.add(missedNotice(address, n));
      if (missed.isEmpty()) {
        missed = null; // caught up: back to the short path
      }
    }
    trades.add(message);
  }

  /**
   * A message of which only the newest per address counts; for the windowed kinds, {@code time} is its window's
   * start and {@code closed} whether it ends that window, a close being kept until sent.
   */
  void latest(BridgeClient.Kind kind, String address, Outbound message, long time, boolean closed) {
    mixed = true;
    if (latest == null) {
      latest = new LatestByAddress();
    }
    if (!latest.offer(address, message, time, closed)) {
      counters.conflated(kind);
    }
  }

  /** A frame of the board: the frame itself while it is the only one waiting, else all merged by market. */
  void board(BoardFrames frames, BoardFrames.Frame frame) {
    mixed = true;
    if (boardAfter == NO_BOARD) {
      board = frames;
      boardAfter = frame.seq() - 1;
      boardFrame = frame.message();
    } else {
      boardFrame = null;
      counters.conflated(BridgeClient.Kind.TICKER);
    }
  }

  /** An alert or an error frame; false, keeping nothing, when as many wait as may. */
  boolean urgent(Outbound message) {
    if (urgent.size() >= BridgeClient.MAX_URGENT) {
      return false;
    }
    if (urgent == EMPTY_QUEUE) {
      urgent = new ArrayDeque<>();
    }
    urgent.add(message);
    mixed = true;
    return true;
  }

  /** The next message to send, or null. */
  Outbound poll() {
    // the usual case, a browser that keeps up with trades only, as short as it can be
    return mixed ? pollMixed() : trades.poll();
  }

  /** Alerts and errors first; then trades, the newest per address and the board in turn, none starving another. */
  private Outbound pollMixed() {
    if (!urgent.isEmpty()) {
      return urgent.poll();
    }
    for (int i = 0; i < 3; i++) {
      int source = turn;
      turn = source == 2 ? 0 : source + 1;
      Outbound m = source == 0 ? trades.poll() : source == 1 ? (latest == null ? null : latest.poll()) : board();
      if (m != null) {
        return m;
      }
    }
    mixed = false; // nothing but trades (none now) until another kind comes
    return null;
  }

  private Outbound board() {
    if (boardAfter == NO_BOARD) {
      return null;
    }
    Outbound m = boardFrame != null ? boardFrame : board.since(boardAfter);
    boardAfter = NO_BOARD;
    boardFrame = null;
    board = null;
    return m;
  }

  /** Lets go of everything (the browser is gone). */
  void clear() {
    mixed = false;
    trades = EMPTY_QUEUE;
    urgent = EMPTY_QUEUE;
    latest = null;
    missed = null;
    boardAfter = NO_BOARD;
    board = null;
    boardFrame = null;
  }

  private static Outbound missedNotice(String address, long n) {
    String symbol = address.substring(address.lastIndexOf('.') + 1);
    return Outbound.of(new JsonObject().put("type", "rec").put("address", address)
        .put("body", new JsonObject().put("symbol", symbol).put("missed", n)).encode());
  }
}
