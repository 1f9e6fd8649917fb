package io.candlebus.simulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The stream faults a test or the control API can set off. Every method runs on the simulator's event loop and
 * returns a future that completes once the fault took effect (frames written, connections gone, ranges set).
 */
final class FaultActions {
  static final short GOING_AWAY = 1001;
  static final String SHUTDOWN_STREAM = "!serverShutdown";

  private final Vertx vertx;
  private final SimClock clock;
  private final Map<String, TradeHistory> histories;
  private final ConnectionRegistry registry;
  private final StreamEngine engine;
  private final TradeFaults trades;

  FaultActions(Vertx vertx, SimClock clock, Map<String, TradeHistory> histories, ConnectionRegistry registry,
      StreamEngine engine, TradeFaults trades) {
    this.vertx = vertx;
    this.clock = clock;
    this.histories = histories;
    this.registry = registry;
    this.engine = engine;
    this.trades = trades;
  }

  /** Closes every connection with 1001; completes when all of them are gone, with how many there were. */
  Future<Integer> dropAll() {
    List<WsConnection> all = registry.snapshot();
    List<Future<Void>> closes = new ArrayList<>(all.size());
    all.forEach(c -> closes.add(c.close(GOING_AWAY, "Going away")));
    return Future.join(closes).map(all.size());
  }

  Future<Integer> silenceOpen() {
    List<WsConnection> all = registry.snapshot();
    all.forEach(WsConnection::silence);
    return Future.succeededFuture(all.size());
  }

  /** Hides the next {@code count} not yet streamed trades of {@code symbol}; {@code lose} hides them from REST too. */
  Future<LongRange> hideTrades(String symbol, int count, boolean lose) {
    String s = symbol == null ? null : symbol.toUpperCase(Locale.ROOT);
    if (s == null || !histories.containsKey(s)) {
      return Future.failedFuture(new IllegalArgumentException("not a simulated symbol: " + symbol));
    }
    if (count < 1) {
      return Future.failedFuture(new IllegalArgumentException("count must be >= 1, not " + count));
    }
    return Future.succeededFuture(trades.hide(s, engine.nextToStream(s), count, lose));
  }

  /**
   * Sends Binance's serverShutdown event to every connection that can still send, then closes every connection
   * (silenced ones too: the server is going away) {@code closeAfterMs} later. Completes when the events are
   * written, with how many were.
   */
  Future<Integer> serverShutdown(long closeAfterMs) {
    if (closeAfterMs < 0) {
      return Future.failedFuture(new IllegalArgumentException("closeAfterMs must be >= 0, not " + closeAfterMs));
    }
    String event = new JsonObject().put("e", "serverShutdown").put("E", clock.now()).encode();
    List<WsConnection> all = registry.snapshot();
    List<Future<Void>> writes = new ArrayList<>();
    for (WsConnection c : all) {
      Future<Void> w = c.send(SHUTDOWN_STREAM, event);
      if (w != null) {
        writes.add(w);
      }
    }
    Runnable closeAll = () -> all.forEach(c -> c.close(GOING_AWAY, "Server shutdown"));
    if (closeAfterMs == 0) {
      closeAll.run();  // queued after the event, so it still arrives first
    } else {
      vertx.setTimer(closeAfterMs, id -> closeAll.run());
    }
    return settled(writes).map(writes.size());
  }

  /** Writes {@link MalformedFrames#generate} to every connection that can still send; completes with how many. */
  Future<Integer> injectMalformed(int count, long seed) {
    if (count < 1) {
      return Future.failedFuture(new IllegalArgumentException("count must be >= 1, not " + count));
    }
    List<String> frames = MalformedFrames.generate(count, seed);
    List<Future<Void>> lastWrites = new ArrayList<>();
    for (WsConnection c : registry.snapshot()) {
      Future<Void> last = null;
      for (String f : frames) {
        last = c.sendText(f);
      }
      if (last != null) {
        lastWrites.add(last);  // writes on one socket complete in order
      }
    }
    return settled(lastWrites).map(lastWrites.size());
  }

  /** Completes when every write has finished, also when some failed (their connection closed meanwhile). */
  private static Future<Void> settled(List<Future<Void>> writes) {
    List<Future<Void>> all = new ArrayList<>(writes.size());
    writes.forEach(w -> all.add(w.otherwiseEmpty()));
    return Future.join(all).mapEmpty();
  }
}
