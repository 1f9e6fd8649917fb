package io.candlebus.upstream;

import io.candlebus.domain.Trade;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Trade-id continuity of one symbol: hands on aggTrades in id order, each once. Binance sends nothing twice, so a
 * hole in the aggregate ids (a reconnect, a lost frame) is filled from REST {@code /api/v3/aggTrades?fromId=}
 * before any later trade is handed on; the later stream trades wait meanwhile. Trades seen twice (overlapping
 * connections, REST and stream) are dropped. A hole REST confirms it cannot fill is reported as such.
 *
 * <p>Pure and single-threaded: the caller does the REST calls the {@link Output} asks for and feeds the answers
 * back with {@link #onPage} or {@link #onFetchFailed}.
 */
final class TradeSequencer {
  /** REST page size: Binance's maximum for aggTrades. */
  static final int PAGE = 1000;
  /** Stream trades held while a fill runs; beyond that the fill is given up (the hole is reported). */
  static final int MAX_HELD = 200_000;
  /** REST may trail the stream by a moment: a short page with the hole still open is asked again this often. */
  static final int MAX_SHORT_PAGES = 5;
  static final long SHORT_PAGE_RETRY_MS = 400;

  /** How a hole ended: trades fetched from REST, and trades neither the stream nor REST had. */
  record Gap(String symbol, long fromAggId, long toAggId, long filled, long missing, String reason) {
    boolean complete() {
      return missing == 0;
    }
  }

  interface Output {
    /** The next trade, in id order. */
    void deliver(Trade t);

    /** Ask REST for aggTrades from {@code fromAggId} (up to {@link #PAGE}), after {@code delayMs}. */
    void fetch(long fromAggId, long delayMs);

    /**
     * A fill started. {@code toAggId} is -1 when the hole's end is unknown; {@code certain}: trades are known to be
     * missing (not just a catch-up after a reconnect that may find nothing).
     */
    void gapOpened(long fromAggId, long toAggId, boolean certain);

    /** A fill ended; also for a catch-up that found trades. */
    void gapClosed(Gap gap);

    /**
     * A fill (or a catch-up that had nothing to fetch) ended; every trade up to {@code lastTradeId} (individual id)
     * was handed on. {@code upToNow}: REST has nothing after it either.
     */
    void settled(long lastTradeId, boolean upToNow);
  }

  private final String symbol;
  private final Output out;
  private final ArrayDeque<Trade> held = new ArrayDeque<>();
  private long lastAggId = -1;
  private long lastTradeId = -1;
  private boolean filling;
  private long gapFrom;
  private long gapTo;
  private boolean gapCertain;
  private String restLacks;
  private long filled;
  private long missing;
  private int shortPages;
  private long duplicates;

  TradeSequencer(String symbol, Output out) {
    this.symbol = symbol;
    this.out = out;
  }

  String symbol() {
    return symbol;
  }

  long lastAggId() {
    return lastAggId;
  }

  boolean filling() {
    return filling;
  }

  int held() {
    return held.size();
  }

  long duplicates() {
    return duplicates;
  }

  /** Continue after a trade handed on elsewhere (another node owned the symbol before). */
  void resumeAfter(long aggId) {
    if (lastAggId < 0 && !filling) {
      lastAggId = aggId;
    }
  }

  /** A trade from a stream; may be handed on, held, or dropped as a duplicate. */
  void onStream(Trade t) {
    if (lastAggId >= 0 && t.aggId() <= lastAggId) {
      duplicates++;
      return;
    }
    if (filling) {
      if (!held.isEmpty() && t.aggId() <= held.peekLast().aggId()) {
        duplicates++;
        return;
      }
      held.addLast(t);
      if (held.size() > MAX_HELD) {
        giveUp("more than " + MAX_HELD + " trades waited for the fill");
      }
      return;
    }
    if (lastAggId < 0 || t.aggId() == lastAggId + 1) {
      deliver(t);
      return;
    }
    held.addLast(t);
    startFill(lastAggId + 1, t.aggId() - 1, true);
  }

  /** After a reconnect: fetch what the stream may have carried while we were away. */
  void catchUp() {
    if (filling) {
      return; // the running fill reads REST up to now anyway
    }
    if (lastAggId >= 0) {
      startFill(lastAggId + 1, -1, false);
    } else {
      out.settled(lastTradeId, false); // nothing handed on yet: nothing to catch up
    }
  }

  /**
   * Binance's kline says trades up to {@code klineLastTradeId} (individual id) happened: true when we have not
   * handed them on and no fill runs. A kline and the trades it counts travel on different streams, so the caller
   * gives them a moment before calling {@link #fillBehind}.
   */
  boolean behind(long klineLastTradeId) {
    return !filling && lastTradeId >= 0 && klineLastTradeId > lastTradeId;
  }

  /** Still {@link #behind} after that moment: the stream lost trades without a later one showing it. */
  void fillBehind(long klineLastTradeId) {
    if (behind(klineLastTradeId) && lastAggId >= 0) {
      startFill(lastAggId + 1, -1, true);
    }
  }

  long lastTradeId() {
    return lastTradeId;
  }

  /** REST's answer to {@code fetch(askedFrom)}, in id order. */
  void onPage(long askedFrom, List<Trade> page) {
    if (!filling || askedFrom != lastAggId + 1) {
      return; // an answer overtaken by events
    }
    for (Trade t : page) {
      if (t.aggId() <= lastAggId) {
        continue;
      }
      if (!held.isEmpty() && t.aggId() >= held.peekFirst().aggId()) {
        break; // the stream has the rest
      }
      if (t.aggId() > lastAggId + 1) {
        missing += t.aggId() - lastAggId - 1; // REST lacks these too
        restLacks = "REST has no aggTrades " + (lastAggId + 1) + ".." + (t.aggId() - 1) + " either";
      }
      filled++;
      deliver(t);
    }
    boolean closed = held.isEmpty() ? page.size() < PAGE : held.peekFirst().aggId() == lastAggId + 1;
    if (closed) {
      finish(held.isEmpty(), restLacks);
    } else if (page.size() >= PAGE) {
      out.fetch(lastAggId + 1, 0);
    } else if (++shortPages < MAX_SHORT_PAGES) {
      out.fetch(lastAggId + 1, SHORT_PAGE_RETRY_MS);
    } else {
      skipTo(held.peekFirst().aggId());
      finish(false, "REST has no aggTrades " + gapFrom + ".." + (lastAggId) + " either");
    }
  }

  /** The REST call failed even after its retries: the hole stays open and is reported. */
  void onFetchFailed(long askedFrom, Throwable error) {
    if (filling && askedFrom == lastAggId + 1) {
      giveUp("REST failed: " + error.getMessage());
    }
  }

  private void giveUp(String reason) {
    if (!held.isEmpty()) {
      skipTo(held.peekFirst().aggId());
    }
    finish(false, reason);
  }

  private void skipTo(long nextAggId) {
    missing += nextAggId - lastAggId - 1;
    lastAggId = nextAggId - 1;
  }

  private void startFill(long from, long to, boolean certain) {
    filling = true;
    gapFrom = from;
    gapTo = to;
    gapCertain = certain;
    restLacks = null;
    filled = 0;
    missing = 0;
    shortPages = 0;
    out.gapOpened(from, to, certain);
    out.fetch(from, 0);
  }

  private void finish(boolean upToNow, String reason) {
    filling = false;
    if (gapCertain || filled > 0 || missing > 0) {
      long to = gapTo >= 0 ? gapTo : lastAggId;
      out.gapClosed(new Gap(symbol, gapFrom, to, filled, missing, reason));
    }
    List<Trade> waiting = new ArrayList<>(held);
    held.clear();
    for (Trade t : waiting) {
      onStream(t); // may open the next hole and hold the rest again
    }
    if (!filling) {
      out.settled(lastTradeId, upToNow && waiting.isEmpty());
    }
  }

  private void deliver(Trade t) {
    lastAggId = t.aggId();
    if (t.lastTradeId() >= 0) {
      lastTradeId = t.lastTradeId();
    }
    out.deliver(t);
  }
}
