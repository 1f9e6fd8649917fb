package io.candlebus.web;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One browser on the bridge, with a bounded outbound queue so a slow or stalled browser cannot hurt the others
 * or the heap: at most {@link #MAX_IN_FLIGHT} messages handed to the socket and not yet written out, at most
 * {@link #MAX_QUEUED} more waiting; candles are conflated to the newest per address; trades beyond the bound are
 * dropped and counted, and the browser is told how many it missed when it catches up. Confined to the bridge's
 * context.
 */
final class BridgeClient {
  static final int MAX_IN_FLIGHT = 128;
  static final int MAX_QUEUED = 256;

  /** What kind of message, which decides what happens to it when the browser is slow. */
  enum Kind { TRADE, CANDLE, OTHER }

  /** Counts shared by all clients (metrics). */
  interface Counters {
    void delivered(int n);

    void droppedTrade();

    void conflatedCandle();
  }

  final SockJSSocket socket;
  final String username;
  final Set<String> registrations = new HashSet<>();
  long lastPing;
  boolean closed;

  private final Context context;
  private final Counters counters;
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private final LinkedHashMap<String, String> latestCandles = new LinkedHashMap<>();
  private final Map<String, Long> missed = new HashMap<>();
  private int inFlight;
  private boolean candleTurn;

  BridgeClient(SockJSSocket socket, String username, Context context, Counters counters, long now) {
    this.socket = socket;
    this.username = username;
    this.context = context;
    this.counters = counters;
    this.lastPing = now;
  }

  /** Messages waiting here (not yet handed to the socket). */
  int queued() {
    return queue.size() + latestCandles.size();
  }

  int inFlight() {
    return inFlight;
  }

  void offer(Kind kind, String address, String frame) {
    if (closed) {
      return;
    }
    if (kind == Kind.CANDLE) {
      if (latestCandles.put(address, frame) != null) {
        counters.conflatedCandle();
      }
    } else if (queue.size() >= MAX_QUEUED && kind == Kind.TRADE) {
      missed.merge(address, 1L, Long::sum);
      counters.droppedTrade();
    } else {
      Long n = kind == Kind.TRADE ? missed.remove(address) : null;
      if (n != null) {
        queue.add(missedNotice(address, n));
      }
      queue.add(frame);
    }
    flush();
  }

  /** Sends an error frame (vertx-eventbus.js calls the page's onerror). */
  void error(String body) {
    offer(Kind.OTHER, "", new JsonObject().put("type", "err").put("body", body).encode());
  }

  private void flush() {
    while (!closed && inFlight < MAX_IN_FLIGHT) {
      String next = next();
      if (next == null) {
        return;
      }
      inFlight++;
      // written from the bridge's context: the socket batches what is written in one turn into one SockJS frame
      socket.write(Buffer.buffer(next)).onComplete(ar -> context.runOnContext(v -> {
        inFlight--;
        if (ar.succeeded()) {
          counters.delivered(1);
        }
        flush();
      }));
    }
  }

  private String next() {
    boolean candles = !latestCandles.isEmpty();
    boolean others = !queue.isEmpty();
    if (candles && (!others || candleTurn)) {
      candleTurn = false;
      Iterator<Map.Entry<String, String>> it = latestCandles.entrySet().iterator();
      String frame = it.next().getValue();
      it.remove();
      return frame;
    }
    candleTurn = true;
    return others ? queue.poll() : null;
  }

  void close() {
    closed = true;
    queue.clear();
    latestCandles.clear();
    missed.clear();
  }

  private static String missedNotice(String address, long n) {
    String symbol = address.substring(address.lastIndexOf('.') + 1);
    return new JsonObject().put("type", "rec").put("address", address)
        .put("body", new JsonObject().put("symbol", symbol).put("missed", n)).encode();
  }
}
