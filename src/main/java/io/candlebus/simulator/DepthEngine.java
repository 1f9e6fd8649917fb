package io.candlebus.simulator;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/**
 * The simulator's order books: one {@link SimBook} per symbol, stepped on every tick from the symbol's last
 * trade price; {@code <s>@depth@100ms} diffs every 100 ms (real time, as on Binance), {@code <s>@depth5|10|20@100ms}
 * partial books, {@code <s>@bookTicker} on every change of the best levels, and the snapshots of
 * {@code /api/v3/depth}. Faults: diffs left out of the stream (a hole), stale snapshots and bad depth frames.
 *
 * <p>A book comes to life the first time anyone looks at it: a subscription to one of its depth or bookTicker
 * streams, a snapshot, or a fault on it; from then on it is stepped on every tick for good, exactly as before.
 * Books nobody ever looked at are not stepped (with 1 500 symbols stepping them all took ~9 ms of every 20 ms
 * tick); as books are random and not reproducible, no client can tell the difference. Event loop only.
 */
final class DepthEngine implements ConnectionRegistry.Listener {
  static final long DIFF_NANOS = 100_000_000L;
  static final int[] PARTIAL_LEVELS = {5, 10, 20};

  private record StaleFault(SimBook.Snapshot snapshot, int remaining) {}

  private final SimClock clock;
  private final Map<String, TradeHistory> histories;
  private final Map<String, SimBook> books = new LinkedHashMap<>();
  private final Map<String, Integer> diffsToSkip = new HashMap<>();
  private final Map<String, StaleFault> stale = new HashMap<>();
  /** Books someone looked at: only these are stepped and streamed. */
  private final Set<SimBook> live = new HashSet<>();
  private ConnectionRegistry registry;
  /** A recording being replayed: the symbols whose depth it streams are left to it. */
  private ReplayPlayer replay;
  private long lastDiffNanos;

  DepthEngine(SimClock clock, Map<String, TradeHistory> histories, long seed) {
    this.clock = clock;
    this.histories = histories;
    histories.keySet().forEach(s -> books.put(s, new SimBook(s, seed)));
  }

  void attach(ConnectionRegistry r) {
    this.registry = r;
  }

  void replay(ReplayPlayer player) {
    this.replay = player;
  }

  private boolean recorded(String stream) {
    return replay != null && replay.replays(stream);
  }

  @Override
  public void firstSubscriber(String stream) {
    int at = stream.indexOf('@');
    String kind = at < 0 ? "" : stream.substring(at + 1);
    if (kind.startsWith("depth") || kind.equals("bookTicker")) {
      SimBook book = books.get(stream.substring(0, at).toUpperCase(Locale.ROOT));
      if (book != null) {
        live.add(book);  // stepped from the next tick on, so no frame precedes the subscription's reply
      }
    }
  }

  @Override
  public void lastUnsubscribed(String stream) {
    // a book stays live: a client may come back and expect its update ids to go on
  }

  /** Makes {@code book} live now, with levels: a snapshot of it is about to be taken. */
  private SimBook wake(SimBook book) {
    if (live.add(book) || book.updateId() == SimBook.FIRST_UPDATE_ID) {
      step(book, clock.now());
    }
    return book;
  }

  private void step(SimBook book, long now) {
    histories.get(book.symbol()).priceBefore(now + 1).ifPresent(p -> book.step(p, id -> bookTicker(book, id)));
  }

  void tick(long nanos) {
    long now = clock.now();
    for (SimBook book : books.values()) {
      if (live.contains(book)) {
        step(book, now);
      }
    }
    if (nanos - lastDiffNanos < DIFF_NANOS) {
      return;
    }
    lastDiffNanos = nanos;
    for (SimBook book : books.values()) {
      if (!live.contains(book)) {
        continue;
      }
      SimBook.Pending p = book.takePending();
      String lower = book.symbol().toLowerCase(Locale.ROOT);
      if (recorded(lower + "@depth@100ms")) {
        continue; // a recording streams this symbol's depth
      }
      String diffs = lower + "@depth@100ms";
      if (p != null && !skipped(book.symbol()) && !registry.subscribers(diffs).isEmpty()) {
        send(diffs, new JsonObject().put("e", "depthUpdate").put("E", now)
            .put("s", book.symbol()).put("U", p.first()).put("u", p.last())
            .put("b", levels(p.bids())).put("a", levels(p.asks())).encode());
      }
      for (int n : PARTIAL_LEVELS) {
        String stream = lower + "@depth" + n + "@100ms";
        if (!registry.subscribers(stream).isEmpty()) {
          send(stream, partial(book.snapshot(), n).encode());
        }
      }
    }
  }

  private boolean skipped(String symbol) {
    Integer n = diffsToSkip.get(symbol);
    if (n == null) {
      return false;
    }
    if (n <= 1) {
      diffsToSkip.remove(symbol);
    } else {
      diffsToSkip.put(symbol, n - 1);
    }
    return true;
  }

  private void bookTicker(SimBook book, long id) {
    String stream = book.symbol().toLowerCase(Locale.ROOT) + "@bookTicker";
    var bid = book.bestBid();
    var ask = book.bestAsk();
    if (bid != null && ask != null && !recorded(stream) && !registry.subscribers(stream).isEmpty()) {
      send(stream, new JsonObject().put("u", id).put("s", book.symbol()).put("b", BinanceJson.dec8(bid.getKey()))
          .put("B", BinanceJson.dec8(bid.getValue())).put("a", BinanceJson.dec8(ask.getKey()))
          .put("A", BinanceJson.dec8(ask.getValue())).encode());
    }
  }

  private void send(String stream, String payload) {
    Set<WsConnection> subs = registry.subscribers(stream);
    subs.forEach(c -> c.send(stream, payload));
  }

  /**
   * {@code GET /api/v3/depth}: the best {@code limit} levels a side now, or a stale copy while that fault lasts;
   * for a symbol whose depth a recording replays, that recording's snapshot.
   */
  JsonObject snapshot(String symbol, int limit) {
    JsonObject recorded = replay == null ? null : replay.snapshot(symbol, limit);
    if (recorded != null) {
      return recorded;
    }
    StaleFault f = stale.get(symbol);
    SimBook.Snapshot s;
    if (f != null) {
      s = f.snapshot();
      if (f.remaining() <= 1) {
        stale.remove(symbol);
      } else {
        stale.put(symbol, new StaleFault(s, f.remaining() - 1));
      }
    } else {
      s = wake(books.get(symbol)).snapshot();
    }
    return partial(s, limit);
  }

  /** The best bid and ask of a live book with both sides, else null (the 24 h ticker's bid/ask fields). */
  TickerStats.Top top(String symbol) {
    SimBook book = books.get(symbol);
    if (book == null || !live.contains(book)) {
      return null;
    }
    var bid = book.bestBid();
    var ask = book.bestAsk();
    return bid == null || ask == null ? null
        : new TickerStats.Top(bid.getKey(), bid.getValue(), ask.getKey(), ask.getValue());
  }

  /** The next {@code count} diffs of {@code symbol} are not streamed: a hole in the update ids. */
  int skipDiffs(String symbol, int count) {
    SimBook book = books.get(symbol);
    if (book != null) {
      live.add(book);
    }
    diffsToSkip.merge(symbol, count, Integer::sum);
    return count;
  }

  /**
   * {@code count} frames of {@link MalformedDepthFrames} continuing {@code symbol}'s book now, to every connection
   * carrying its {@code @depth@100ms}; the last writes, and how many connections got them.
   */
  Future<Integer> injectMalformed(String symbol, int count, long seed) {
    SimBook book = books.get(symbol);
    if (book == null) {
      return Future.failedFuture(new IllegalArgumentException("not a simulated symbol: " + symbol));
    }
    if (count < 1) {
      return Future.failedFuture(new IllegalArgumentException("count must be >= 1, not " + count));
    }
    wake(book);
    var bid = book.bestBid();
    var ask = book.bestAsk();
    List<String> frames = MalformedDepthFrames.generate(new MalformedDepthFrames.Book(symbol, book.updateId(),
        clock.now(), bid == null ? BigDecimal.ONE : bid.getKey(), ask == null ? BigDecimal.TEN : ask.getKey()),
        null, count, seed);
    String stream = symbol.toLowerCase(Locale.ROOT) + "@depth@100ms";
    List<Future<Void>> last = new ArrayList<>();
    for (WsConnection c : registry.subscribers(stream)) {
      Future<Void> w = null;
      for (String f : frames) {
        w = c.send(stream, f);
      }
      if (w != null) {
        last.add(w.otherwiseEmpty());
      }
    }
    return Future.join(last).map(last.size());
  }

  /** The next {@code count} snapshots of {@code symbol} are the book as it is now; returns its update id. */
  long staleSnapshots(String symbol, int count) {
    SimBook.Snapshot s = wake(books.get(symbol)).copy();
    stale.put(symbol, new StaleFault(s, count));
    return s.lastUpdateId();
  }

  private static JsonObject partial(SimBook.Snapshot s, int n) {
    return new JsonObject().put("lastUpdateId", s.lastUpdateId()).put("bids", levels(s.bids(), n))
        .put("asks", levels(s.asks(), n));
  }

  private static JsonArray levels(Map<BigDecimal, BigDecimal> levels) {
    JsonArray out = new JsonArray();
    levels.forEach((p, q) -> out.add(new JsonArray().add(BinanceJson.dec8(p)).add(BinanceJson.dec8(q))));
    return out;
  }

  private static JsonArray levels(NavigableMap<BigDecimal, BigDecimal> side, int n) {
    JsonArray out = new JsonArray();
    for (var e : side.entrySet()) {
      if (out.size() == n) {
        break;
      }
      out.add(new JsonArray().add(BinanceJson.dec8(e.getKey())).add(BinanceJson.dec8(e.getValue())));
    }
    return out;
  }
}
