package io.candlebus.web;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One browser on the bridge, with a bounded outbound queue so a slow or stalled browser cannot hurt the others
 * or the heap: at most {@link #MAX_QUEUED} messages wait here, beyond what the transport holds (bounded too, see
 * {@link Sink}); candles are conflated to the newest per address; trades beyond the bound are dropped and
 * counted, and the browser is told how many it missed when it catches up. Confined to the bridge's context,
 * which flushes it once per turn, so the messages of a burst leave in one frame.
 */
final class BridgeClient {
  static final int MAX_IN_FLIGHT = 128;
  static final int MAX_QUEUED = 1_024;
  /** Messages per SockJS frame at most on the WebSocket transport. */
  static final int MAX_BATCH = 256;

  /** What kind of message, which decides what happens to it when the browser is slow. */
  enum Kind { TRADE, CANDLE, OTHER }

  /** Counts shared by all clients (metrics). */
  interface Counters {
    void delivered(int n);

    void droppedTrade();

    void conflatedCandle();
  }

  /** Where messages go: a SockJS session (any transport) or SockJS's WebSocket transport served directly. */
  interface Sink {
    /** Whether more may be written now; when not, {@link #whenWritable} will call back. */
    boolean writable();

    void whenWritable(Runnable r);

    /** Writes {@code n} messages (the array is the caller's again on return); {@code done} runs (on any thread)
     * once they left or failed. */
    void write(Outbound[] messages, int n, Runnable done);

    void close();
  }

  final Sink sink;
  final String username;
  final Set<String> registrations = new HashSet<>();
  long lastPing;
  boolean closed;
  boolean dirty;

  private final Context context;
  private final Counters counters;
  // Made when first needed and shared where they can be: most sockets are idle, and a node holds tens of
  // thousands of them (an empty ArrayDeque and three maps are ~400 bytes, a batch array 1 KB per socket).
  private ArrayDeque<Outbound> queue = EMPTY_QUEUE;
  /** Per candle address the newest message; and the close of the window before it, never conflated away. */
  private LinkedHashMap<String, PendingCandle> latestCandles;
  private Map<String, Outbound> closedBefore;
  private Map<String, Long> missed;
  /** One per event loop: a batch is handed to the sink and copied out before flush goes on. */
  private static final ThreadLocal<Outbound[]> BATCH = ThreadLocal.withInitial(() -> new Outbound[MAX_BATCH]);
  /** Read-only stand-in until the first message. */
  private static final ArrayDeque<Outbound> EMPTY_QUEUE = new ArrayDeque<>(0);
  private boolean waiting;
  private boolean candleTurn;

  BridgeClient(Sink sink, String username, Context context, Counters counters, long now) {
    this.sink = sink;
    this.username = username;
    this.context = context;
    this.counters = counters;
    this.lastPing = now;
  }

  private record PendingCandle(Outbound message, long openTime, boolean closed) {}

  /** Messages waiting here (not yet handed to the transport). */
  int queued() {
    return queue.size() + (latestCandles == null ? 0 : latestCandles.size())
        + (closedBefore == null ? 0 : closedBefore.size());
  }

  /**
   * Queues a candle: a newer version of the same window replaces the waiting one; the close of a window stays
   * until sent even when the next window's updates arrive (at most one older close per address).
   */
  void offerCandle(String address, Outbound message, long openTime, boolean isClosed) {
    if (closed) {
      return;
    }
    if (latestCandles == null) {
      latestCandles = new LinkedHashMap<>();
      closedBefore = new HashMap<>();
    }
    PendingCandle previous = latestCandles.get(address);
    if (previous != null) {
      if (previous.closed() && previous.openTime() < openTime) {
        closedBefore.put(address, previous.message());
      } else {
        counters.conflatedCandle();
      }
    }
    latestCandles.put(address, new PendingCandle(message, openTime, isClosed));
  }

  /** Queues a trade or another message; the caller flushes dirty clients at the end of its turn. */
  void offer(Kind kind, String address, Outbound message) {
    if (closed) {
      return;
    }
    if (kind == Kind.CANDLE) {
      throw new IllegalArgumentException("candles go through offerCandle");
    } else if (queue.size() >= MAX_QUEUED && kind == Kind.TRADE) {
      if (missed == null) {
        missed = new HashMap<>();
      }
      missed.merge(address, 1L, Long::sum);
      counters.droppedTrade();
    } else {
      if (queue == EMPTY_QUEUE) {
        queue = new ArrayDeque<>();
      }
      Long n = kind == Kind.TRADE && missed != null ? missed.remove(address) : null;
      if (n != null) {
        queue.add(missedNotice(address, n));
      }
      queue.add(message);
    }
  }

  /** Sends an error frame (vertx-eventbus.js calls the page's onerror). */
  void error(String body) {
    offer(Kind.OTHER, "", Outbound.of(new JsonObject().put("type", "err").put("body", body).encode()));
  }

  /** Hands what is queued to the transport while it takes more. */
  void flush() {
    dirty = false;
    while (!closed && !waiting) {
      if (!sink.writable()) {
        waiting = true;
        sink.whenWritable(() -> context.runOnContext(v -> {
          waiting = false;
          flush();
        }));
        return;
      }
      Outbound[] batch = BATCH.get();
      int n = 0;
      Outbound next;
      while (n < MAX_BATCH && (next = next()) != null) {
        batch[n++] = next;
      }
      if (n == 0) {
        return;
      }
      int sent = n;
      sink.write(batch, n, () -> counters.delivered(sent));
      Arrays.fill(batch, 0, n, null);
    }
  }

  private Outbound next() {
    boolean candles = latestCandles != null && !latestCandles.isEmpty();
    boolean others = !queue.isEmpty();
    if (candles && (!others || candleTurn)) {
      candleTurn = false;
      Iterator<Map.Entry<String, PendingCandle>> it = latestCandles.entrySet().iterator();
      Map.Entry<String, PendingCandle> e = it.next();
      Outbound older = closedBefore.remove(e.getKey());
      if (older != null) {
        return older;
      }
      it.remove();
      return e.getValue().message();
    }
    candleTurn = true;
    return others ? queue.poll() : null;
  }

  void close() {
    closed = true;
    queue = EMPTY_QUEUE;
    latestCandles = null;
    closedBefore = null;
    missed = null;
    sink.close();
  }

  private static Outbound missedNotice(String address, long n) {
    String symbol = address.substring(address.lastIndexOf('.') + 1);
    return Outbound.of(new JsonObject().put("type", "rec").put("address", address)
        .put("body", new JsonObject().put("symbol", symbol).put("missed", n)).encode());
  }

  /** A SockJS session: one message per write, at most {@link #MAX_IN_FLIGHT} not yet written out. */
  static final class SessionSink implements Sink {
    private final SockJSSocket socket;
    private final Context context;
    private int inFlight;
    private Runnable onWritable;

    SessionSink(SockJSSocket socket, Context context) {
      this.socket = socket;
      this.context = context;
    }

    @Override
    public boolean writable() {
      return inFlight < MAX_IN_FLIGHT;
    }

    @Override
    public void whenWritable(Runnable r) {
      onWritable = r;
    }

    @Override
    public void write(Outbound[] messages, int n, Runnable done) {
      int[] left = {n};
      for (int i = 0; i < n; i++) {
        inFlight++;
        // the session answers when the message left in a frame (or could not)
        socket.write(Buffer.buffer(messages[i].json())).onComplete(ar -> context.runOnContext(v -> {
          inFlight--;
          if (--left[0] == 0) {
            done.run();
          }
          Runnable r = onWritable;
          if (r != null && writable()) {
            onWritable = null;
            r.run();
          }
        }));
      }
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  /**
   * SockJS's WebSocket transport, served directly: the batch goes out as one {@code a[...]} frame of literals
   * encoded once for all browsers; Vert.x's write queue (bounded by the channel's high-water mark) pushes back.
   */
  static final class WebSocketSink implements Sink {
    private final ServerWebSocket ws;

    WebSocketSink(ServerWebSocket ws) {
      this.ws = ws;
    }

    @Override
    public boolean writable() {
      // a socket the browser just closed is not writable; its close handler, still to run, drops the client
      return !ws.isClosed() && !ws.writeQueueFull();
    }

    @Override
    public void whenWritable(Runnable r) {
      if (ws.isClosed()) {
        return;
      }
      ws.drainHandler(v -> {
        ws.drainHandler(null);
        r.run();
      });
    }

    @Override
    public void write(Outbound[] messages, int n, Runnable done) {
      int length = 3;
      for (int i = 0; i < n; i++) {
        length += messages[i].literal().length() + 1;
      }
      StringBuilder frame = new StringBuilder(length).append("a[");
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          frame.append(',');
        }
        frame.append(messages[i].literal());
      }
      ws.writeTextMessage(frame.append(']').toString()).onComplete(ar -> done.run());
    }

    void heartbeat() {
      ws.writeTextMessage("h");
    }

    @Override
    public void close() {
      if (!ws.isClosed()) {
        ws.writeTextMessage("c[3000,\"Go away!\"]").onComplete(ar -> ws.close());
      }
    }
  }
}

