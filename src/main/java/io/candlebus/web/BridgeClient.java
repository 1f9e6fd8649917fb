package io.candlebus.web;

import io.candlebus.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One browser on the bridge, with bounded outbound queues so a slow or stalled browser cannot hurt the others or
 * the heap, whatever kind of message it is registered on ({@link PendingMessages}; beyond what the transport holds,
 * bounded too, see {@link Sink}): trades beyond {@link #MAX_QUEUED} are dropped and counted; candles, indicator
 * values, books, the status and the board are conflated; alerts and error frames, which may be neither, wait up to
 * {@link #MAX_URGENT}, beyond which the browser is closed ({@link Refusal#BRIDGE_QUEUE}). Confined to the bridge's
 * context, which flushes it once per turn, so the messages of a burst leave in one frame.
 */
final class BridgeClient {
  static final int MAX_IN_FLIGHT = 128;
  static final int MAX_QUEUED = 1_024;
  /** Alerts and error frames waiting at most: a user's 200 alerts could all fire at once, twice. */
  static final int MAX_URGENT = 512;
  /** Messages per SockJS frame at most on the WebSocket transport. */
  static final int MAX_BATCH = 256;
  /** A close for a bound: SockJS's application range; the reason names the bound. */
  static final int CLOSE_REFUSED = 4000;
  static final int CLOSE_GO_AWAY = 3000;

  /** What kind of message, which decides what happens to it when the browser is slow. */
  enum Kind {
    TRADE, CANDLE, INDICATOR, DEPTH, STATUS, TICKER, ALERT;

    /** The kind of what is published on {@code address} (an address the bridge allows). */
    static Kind of(String address) {
      if (address.startsWith(Addresses.MARKET_TRADE_PREFIX)) {
        return TRADE;
      } else if (address.startsWith(Addresses.MARKET_CANDLE_PREFIX)) {
        return CANDLE;
      } else if (address.startsWith(Addresses.MARKET_INDICATOR_PREFIX)) {
        return INDICATOR;
      } else if (address.startsWith(Addresses.MARKET_DEPTH_PREFIX)) {
        return DEPTH;
      } else if (address.equals(Addresses.MARKET_STATUS)) {
        return STATUS;
      } else if (address.equals(Addresses.MARKET_TICKER)) {
        return TICKER;
      }
      return ALERT; // alerts.<user>, and whatever else: delivered or the socket closed, never lost silently
    }

    /** Whether a message may end a window ({@code closed}), which the next window's must not conflate away. */
    boolean windowed() {
      return this == CANDLE || this == INDICATOR;
    }
  }

  /** Counts shared by all clients (metrics). */
  interface Counters {
    void delivered(int n);

    void droppedTrade();

    /** A waiting message of {@code kind} replaced by a newer one. */
    void conflated(Kind kind);
  }

  /** Where messages go: a SockJS session (any transport) or SockJS's WebSocket transport served directly. */
  interface Sink {
    /** Whether more may be written now; when not, {@link #whenWritable} will call back. */
    boolean writable();

    void whenWritable(Runnable r);

    /** Writes {@code n} messages (the array is the caller's again on return); {@code done} runs (on any thread)
     * once they left or failed. */
    void write(Outbound[] messages, int n, Runnable done);

    /** Closes with a SockJS close code and reason, at once when the browser does not read (nor would see it). */
    void close(int code, String reason);
  }

  final Sink sink;
  final String username;
  final Set<String> registrations = new HashSet<>();
  long lastPing;
  boolean closed;
  boolean dirty;
  /** Inbound frames that were garbage (not JSON, no type or address...), over the socket's life. */
  int garbageFrames;
  /** Its place in the node's socket counts, given back when it closes. */
  BridgeSockets.Place place = BridgeSockets.Place.UNCOUNTED;

  private final Context context;
  private final Counters counters;
  private final PendingMessages pending;
  /** The bound it closed itself for, or null. */
  private Refusal refusal;
  /** Whether the inbound frame being handled earned its error frame already. */
  private boolean frameErred;
  /** One per event loop: a batch is handed to the sink and copied out before flush goes on. */
  private static final ThreadLocal<Outbound[]> BATCH = ThreadLocal.withInitial(() -> new Outbound[MAX_BATCH]);
  /** Error frames are a handful of constants: encoded once (a body made of a message's text would not be). */
  private static final Map<String, Outbound> ERRORS = new ConcurrentHashMap<>();
  private static final int MAX_KNOWN_ERRORS = 64;
  private boolean waiting;

  BridgeClient(Sink sink, String username, Context context, Counters counters, long now) {
    this.sink = sink;
    this.username = username;
    this.context = context;
    this.counters = counters;
    this.lastPing = now;
    this.pending = new PendingMessages(counters);
  }

  /** The most messages a browser with {@code addresses} registrations can have waiting here. */
  static int maxQueued(int addresses) {
    return PendingMessages.max(addresses);
  }

  /** Messages waiting here (not yet handed to the transport). */
  int queued() {
    return pending.size();
  }

  /** The bound it closed itself for ({@link Refusal#BRIDGE_QUEUE}), or null. */
  Refusal refusal() {
    return refusal;
  }

  /** Queues a message; the caller flushes dirty clients at the end of its turn. */
  void offer(Kind kind, String address, Outbound message) {
    if (closed) {
      return;
    }
    if (kind == Kind.TRADE) {
      pending.trade(address, message);
    } else if (kind == Kind.ALERT) {
      offerUrgent(message);
    } else {
      pending.latest(kind, address, message, 0, false);
    }
  }

  /**
   * Queues a message of which only the newest per address counts; for the windowed kinds, {@code time} is its
   * window's start and {@code isClosed} whether it ends that window: a newer version of the same window replaces
   * the waiting one, the close of a window stays until sent even when the next window's updates arrive.
   */
  void offerLatest(Kind kind, String address, Outbound message, long time, boolean isClosed) {
    if (!closed) {
      pending.latest(kind, address, message, time, isClosed);
    }
  }

  /** Queues a frame of the board: the frame itself while it is the only one waiting, else all merged by market. */
  void offerBoard(BoardFrames frames, BoardFrames.Frame frame) {
    if (!closed) {
      pending.board(frames, frame);
    }
  }

  private void offerUrgent(Outbound message) {
    if (!pending.urgent(message)) {
      refuse(Refusal.BRIDGE_QUEUE, Refusal.BRIDGE_QUEUE.label() + ": " + MAX_URGENT
          + " alerts or error frames not read");
    }
  }

  /** A new inbound frame is handled: it may earn one error frame. */
  void startFrame() {
    frameErred = false;
  }

  /**
   * Sends an error frame (vertx-eventbus.js calls the page's onerror), the first of the inbound frame only: a
   * frame of thousands of bad messages earns one.
   */
  void error(String body) {
    if (closed || frameErred) {
      return;
    }
    frameErred = true;
    Outbound known = ERRORS.get(body);
    if (known == null) {
      known = Outbound.of(new JsonObject().put("type", "err").put("body", body).encode());
      if (ERRORS.size() < MAX_KNOWN_ERRORS) {
        ERRORS.putIfAbsent(body, known);
      }
    }
    offerUrgent(known);
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
      while (n < MAX_BATCH && (next = pending.poll()) != null) {
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

  /** Closes the browser for a bound it went over; the bridge, seeing it closed, lets go of it. */
  void refuse(Refusal why, String reason) {
    if (!closed) {
      refusal = why;
      close(CLOSE_REFUSED, reason);
    }
  }

  void close(int code, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    pending.clear();
    sink.close(code, reason);
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
    public void close(int code, String reason) {
      socket.close(code, reason); // SockJS's session transports only say "Go away!" (vertx-web 5.0.10)
    }
  }

  /**
   * SockJS's WebSocket transport, served directly: the batch goes out as one {@code a[...]} frame of literals
   * encoded once for all browsers; Vert.x's write queue (bounded by the channel's high-water mark) pushes back.
   */
  static final class WebSocketSink implements Sink {
    /** A browser that has not answered a close this long is cut off. */
    static final long CLOSE_GRACE_MS = 5_000;
    private final ServerWebSocket ws;
    private final Vertx vertx;

    WebSocketSink(ServerWebSocket ws, Vertx vertx) {
      this.ws = ws;
      this.vertx = vertx;
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

    /**
     * SockJS's close frame, then the WebSocket's. A browser that does not read takes neither, and Vert.x closes
     * the connection only once its close frame left: it would hold the socket and all written to it forever. So
     * one whose write queue is full is cut off now, any other if it has not closed after {@link #CLOSE_GRACE_MS}.
     */
    @Override
    public void close(int code, String reason) {
      if (ws.isClosed()) {
        return;
      }
      // never from inside the caller's turn: the close handler it triggers re-enters the bridge
      if (ws.writeQueueFull()) {
        vertx.runOnContext(v -> cut());
        return;
      }
      ws.writeTextMessage("c" + new JsonArray().add(code).add(reason).encode());
      ws.close((short) code, reason);
      vertx.setTimer(CLOSE_GRACE_MS, t -> cut());
    }

    private void cut() {
      if (ws.isClosed()) {
        return;
      }
      if (ws instanceof WebSocketInternal internal) {
        internal.channelHandlerContext().close();
      } else {
        ws.close();
      }
    }
  }
}
