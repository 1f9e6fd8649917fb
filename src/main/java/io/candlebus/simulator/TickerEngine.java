package io.candlebus.simulator;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The all-market tickers: a 24 h {@link RollingWindow} per simulated symbol, always kept (REST
 * {@code /api/v3/ticker/24hr}, {@code !miniTicker@arr}, {@code !ticker_1d@arr}), and 1 h / 4 h windows while
 * someone is subscribed to {@code !ticker_1h@arr} / {@code !ticker_4h@arr}.
 *
 * <p>Every {@value #EMIT_MS} ms of real time, whether anyone listens or not, the windows are moved to the
 * simulated now and each subscribed stream gets ONE frame: an array of the symbols whose statistics changed
 * since the previous emission (a trade came in or left the window), in symbol order, each item's E the now of the
 * emission; no frame when nothing changed. A new subscriber therefore hears only of what changes from then on, as
 * on Binance: it needs a REST snapshot for the rest. Statistics are a function of (symbol, now) only, so a REST
 * answer with closeTime T equals the stream's items with E = T. Symbols that never traded are left out.
 * Event loop only (built on the start's worker thread, before it is shared).
 */
final class TickerEngine implements ConnectionRegistry.Listener {
  static final long EMIT_MS = 1_000;
  static final long DAY_MS = 86_400_000L;

  /** The rolling-window streams: name, item event type, width. */
  enum Rolling {
    H1("!ticker_1h@arr", "1hTicker", 3_600_000L),
    H4("!ticker_4h@arr", "4hTicker", 4 * 3_600_000L),
    D1("!ticker_1d@arr", "1dTicker", DAY_MS);

    final String stream;
    final String eventType;
    final long width;

    Rolling(String stream, String eventType, long width) {
      this.stream = stream;
      this.eventType = eventType;
      this.width = width;
    }

    static Rolling of(String stream) {
      for (Rolling r : values()) {
        if (r.stream.equals(stream)) {
          return r;
        }
      }
      return null;
    }
  }

  /** Windows of one width for every symbol, and each one's version at the last emission. */
  private static final class Board {
    final RollingWindow[] windows;
    final long[] emitted;

    Board(List<TradeHistory> histories, long width, long now) {
      windows = new RollingWindow[histories.size()];
      emitted = new long[histories.size()];
      for (int i = 0; i < windows.length; i++) {
        windows[i] = new RollingWindow(histories.get(i), width);
        windows[i].advance(now);
        emitted[i] = windows[i].version();
      }
    }

    /** Moves every window to {@code now}; the indexes of those that moved since the last call. */
    List<Integer> changed(long now) {
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < windows.length; i++) {
        RollingWindow w = windows[i];
        w.advance(now);
        if (w.version() != emitted[i]) {
          emitted[i] = w.version();
          out.add(i);
        }
      }
      return out;
    }
  }

  private final SimClock clock;
  private final List<TradeHistory> histories;
  private final Map<String, Integer> index = new HashMap<>();
  private final Board day;
  private final Map<Rolling, Board> rolling = new EnumMap<>(Rolling.class);
  private ConnectionRegistry registry;
  private DepthEngine depth;
  private long lastEmitNanos;

  /** Builds the 24 h windows up to the clock's now: blocking work, done during the start. */
  TickerEngine(SimClock clock, Map<String, TradeHistory> histories) {
    this.clock = clock;
    this.histories = List.copyOf(histories.values());
    for (int i = 0; i < this.histories.size(); i++) {
      index.put(this.histories.get(i).symbol(), i);
    }
    this.day = new Board(this.histories, DAY_MS, clock.now());
  }

  void attach(ConnectionRegistry r, DepthEngine d) {
    this.registry = r;
    this.depth = d;
    this.lastEmitNanos = System.nanoTime();
  }

  @Override
  public void firstSubscriber(String stream) {
    Rolling r = Rolling.of(stream);
    if (r != null && r != Rolling.D1) {
      rolling.put(r, new Board(histories, r.width, clock.now()));
    }
  }

  @Override
  public void lastUnsubscribed(String stream) {
    Rolling r = Rolling.of(stream);
    if (r != null) {
      rolling.remove(r);
    }
  }

  /** Called on every stream tick; emits once {@value #EMIT_MS} ms of real time have passed since the last time. */
  void tick(long nanos) {
    if (nanos - lastEmitNanos < EMIT_MS * 1_000_000L) {
      return;
    }
    lastEmitNanos = nanos;
    long now = clock.now();
    List<Integer> changed = day.changed(now);
    if (!changed.isEmpty()) {
      emit(StreamName.MINI_TICKER_ARR, day, changed, null);
      emit(Rolling.D1.stream, day, changed, Rolling.D1.eventType);
    }
    for (Map.Entry<Rolling, Board> e : rolling.entrySet()) {
      List<Integer> moved = e.getValue().changed(now);
      if (!moved.isEmpty()) {
        emit(e.getKey().stream, e.getValue(), moved, e.getKey().eventType);
      }
    }
  }

  /** One frame of {@code stream} holding the items of {@code which}; rolling event type, or null for mini. */
  private void emit(String stream, Board board, List<Integer> which, String eventType) {
    Set<WsConnection> subs = registry.subscribers(stream);
    if (subs.isEmpty()) {
      return;
    }
    StringBuilder frame = new StringBuilder(which.size() * 200).append('[');
    for (int i : which) {
      TickerStats s = board.windows[i].stats();
      if (s != null) {
        if (frame.length() > 1) {
          frame.append(',');
        }
        frame.append((eventType == null ? s.miniTickerEvent() : s.rollingTickerEvent(eventType)).encode());
      }
    }
    if (frame.length() == 1) {
      return;  // only symbols that never traded moved (cannot happen: moving means a trade)
    }
    String payload = frame.append(']').toString();
    subs.forEach(c -> c.send(stream, payload));
  }

  boolean has(String symbol) {
    return index.containsKey(symbol);
  }

  /** {@code symbol}'s 24 h statistics at {@code now}; null when it never traded. */
  TickerStats stats(String symbol, long now) {
    RollingWindow w = day.windows[index.get(symbol)];
    w.advance(now);
    return w.stats();
  }

  /** Every symbol's 24 h statistics at {@code now}, in symbol order, leaving out those that never traded. */
  List<TickerStats> all(long now) {
    List<TickerStats> out = new ArrayList<>(histories.size());
    for (RollingWindow w : day.windows) {
      w.advance(now);
      TickerStats s = w.stats();
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  /** The best levels of {@code symbol}'s book when it has both sides, else null. */
  TickerStats.Top top(String symbol) {
    return depth == null ? null : depth.top(symbol);
  }
}
