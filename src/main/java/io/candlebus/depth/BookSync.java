package io.candlebus.depth;

import java.util.ArrayDeque;

/**
 * One symbol's local book kept in step with Binance's diff stream, by Binance's corrected algorithm
 * (binance-protocol notes, section 6): diffs are buffered from the first one seen; a snapshot older than that
 * first diff is refetched; buffered diffs the snapshot already holds are dropped; from then on each diff must
 * start at most one past the book's id, else the book is discarded and rebuilt. A crossed book is discarded too.
 * Pure and single-threaded: the caller fetches a snapshot when a {@link Step} asks for one and hands it to
 * {@link #onSnapshot}.
 */
public final class BookSync {
  /** Diffs kept while a snapshot is on its way (100 ms diffs: minutes of them); beyond, start again. */
  public static final int MAX_BUFFERED = 3_000;

  public enum State { WAITING_FOR_DIFF, AWAITING_SNAPSHOT, LIVE }

  public enum Outcome { BUFFERED, APPLIED, IGNORED, LIVE, RESYNC }

  /** Why a book was discarded (or a snapshot not used). */
  public enum Reason { GAP, CROSSED, STALE_SNAPSHOT, BUFFER_FULL, DISCONNECTED }

  /** What a diff or snapshot did; {@code fetchSnapshot}: the caller should now fetch one. */
  public record Step(Outcome outcome, Reason reason, boolean fetchSnapshot) {
    static final Step BUFFERED = new Step(Outcome.BUFFERED, null, false);
    static final Step FETCH = new Step(Outcome.BUFFERED, null, true);
    static final Step APPLIED = new Step(Outcome.APPLIED, null, false);
    static final Step IGNORED = new Step(Outcome.IGNORED, null, false);
    static final Step LIVE = new Step(Outcome.LIVE, null, false);

    static Step resync(Reason reason, boolean fetch) {
      return new Step(Outcome.RESYNC, reason, fetch);
    }
  }

  private final String symbol;
  private final ArrayDeque<DepthDiff> buffer = new ArrayDeque<>();
  private State state = State.WAITING_FOR_DIFF;
  private OrderBook book;

  public BookSync(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  public State state() {
    return state;
  }

  /** The live book, or null while it is being (re)built. */
  public OrderBook book() {
    return state == State.LIVE ? book : null;
  }

  public Step onDiff(DepthDiff d) {
    switch (state) {
      case WAITING_FOR_DIFF -> {
        startBuffer(d);
        return Step.FETCH;
      }
      case AWAITING_SNAPSHOT -> {
        if (d.finalId() <= buffer.peekLast().finalId()) {
          return Step.IGNORED; // the same diff again, from a connection replacing another
        }
        if (d.firstId() != buffer.peekLast().finalId() + 1) {
          // a hole while buffering: what is buffered cannot be bridged; a snapshot on its way may still be
          startBuffer(d);
          return Step.FETCH;
        }
        if (buffer.size() >= MAX_BUFFERED) {
          buffer.clear();
          state = State.WAITING_FOR_DIFF;
          return Step.resync(Reason.BUFFER_FULL, false);
        }
        buffer.add(d);
        return Step.BUFFERED;
      }
      default -> {
        if (d.finalId() <= book.updateId()) {
          return Step.IGNORED;
        }
        if (d.firstId() > book.updateId() + 1) {
          discard();
          startBuffer(d);
          return Step.resync(Reason.GAP, true);
        }
        book.apply(d);
        if (book.crossed()) {
          discard();
          return Step.resync(Reason.CROSSED, false); // the next diff starts the rebuild
        }
        return Step.APPLIED;
      }
    }
  }

  /** A snapshot fetched for this symbol; ignored unless one was asked for. */
  public Step onSnapshot(DepthSnapshot s) {
    if (state != State.AWAITING_SNAPSHOT) {
      return Step.IGNORED;
    }
    if (s.lastUpdateId() < buffer.peekFirst().firstId()) {
      return Step.resync(Reason.STALE_SNAPSHOT, true);
    }
    while (!buffer.isEmpty() && buffer.peekFirst().finalId() <= s.lastUpdateId()) {
      buffer.pollFirst();
    }
    if (!buffer.isEmpty() && buffer.peekFirst().firstId() > s.lastUpdateId() + 1) {
      return Step.resync(Reason.STALE_SNAPSHOT, true); // cannot happen with a contiguous buffer; kept as a guard
    }
    book = OrderBook.of(s);
    state = State.LIVE;
    for (DepthDiff d : buffer) {
      book.apply(d); // contiguous, and the first one overlaps the snapshot's id
    }
    buffer.clear();
    if (book.crossed()) {
      discard();
      return Step.resync(Reason.CROSSED, false);
    }
    return Step.LIVE;
  }

  /**
   * The stream was interrupted (its connection dropped): whatever the book holds may be missing updates. Returns
   * the resync to count, or null when there was no book or buffer to lose.
   */
  public Step reset() {
    boolean had = state != State.WAITING_FOR_DIFF;
    discard();
    return had ? Step.resync(Reason.DISCONNECTED, false) : null;
  }

  private void startBuffer(DepthDiff d) {
    buffer.clear();
    buffer.add(d);
    state = State.AWAITING_SNAPSHOT;
  }

  private void discard() {
    book = null;
    buffer.clear();
    state = State.WAITING_FOR_DIFF;
  }
}
