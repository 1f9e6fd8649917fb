package io.candlebus.capture;

import io.candlebus.tail.GatewayFeed;
import io.candlebus.tail.Reconnector;
import io.candlebus.tail.TailFailure;
import io.candlebus.upstream.Backoff;
import io.candlebus.upstream.StreamNames;
import io.candlebus.upstream.UpstreamConnection;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.WebSocketClient;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds the capture's Binance connections (combined streams, at most 1024 a connection; Vert.x answers the pings)
 * — or, with {@code --url}, its {@link GatewayFeed} from a running candlebus — and hands what they receive to a {@link CaptureWriter} in batches, every {@value #BATCH_MS} ms also when idle
 * (so files are flushed and slices completed on time), on a worker: nothing here blocks the event loop. A
 * connection that breaks, or is silent for {@value #SILENT_MS} ms (Binance pings every 20 s), is opened again with
 * backoff, said on stderr; a {@code serverShutdown} reopens it at once.
 */
final class CaptureVerticle extends VerticleBase {
  static final long BATCH_MS = 200;
  static final long SILENT_MS = 60_000;

  /** One connection's streams, and the connection carrying them now. */
  private final class Slot implements UpstreamConnection.Listener {
    final int number;
    final List<String> streams;
    final Backoff backoff = Backoff.standard();
    UpstreamConnection connection;
    boolean connectedOnce;
    boolean failing;

    Slot(int number, List<String> streams) {
      this.number = number;
      this.streams = streams;
    }

    void open() {
      connection = new UpstreamConnection(vertx, client, options.wsUrl(), streams, this);
      connection.open();
    }

    String name() {
      return slots.size() == 1 ? "the connection" : "connection " + number + " of " + slots.size();
    }

    @Override
    public void frame(UpstreamConnection c, String text) {
      received(this, text, System.currentTimeMillis());
    }

    @Override
    public void opened(UpstreamConnection c) {
      if (connectedOnce || failing) {
        err.println("candlebus capture: " + name() + " is open again");
      }
      connectedOnce = true;
      failing = false;
    }

    @Override
    public void ended(UpstreamConnection c, String reason) {
      if (stopping) {
        return;
      }
      long delay = reason.startsWith(SHUTDOWN) ? 0 : backoff.next();
      failing = true;
      reconnects.incrementAndGet();
      err.println("candlebus capture: " + name() + " to " + options.wsUrl() + ": " + reason + "; reconnecting in "
          + delay + " ms");
      vertx.setTimer(Math.max(1, delay), t -> {
        if (!stopping) {
          open();
        }
      });
    }
  }

  private static final String SHUTDOWN = "serverShutdown";
  private final CaptureOptions options;
  private final String password;
  private final PrintStream err;
  private final Promise<TailFailure> refused = Promise.promise();
  private Reconnector gateway;
  private final Map<String, CsvRow.Target> targets = new LinkedHashMap<>();
  private final List<Slot> slots = new ArrayList<>();
  /** Messages received per {@code SYMBOL stream}, in the order of the command line (keys fixed at construction). */
  private final Map<String, AtomicLong> messages = new LinkedHashMap<>();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private WebSocketClient client;
  /** Null before the start and once the last batch is handed over; {@link #closed} from then on. */
  private CaptureWriter writer;
  private CaptureWriter closed;
  private List<CaptureWriter.Captured> batch = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();
  private boolean stopping;
  private boolean toldMalformed;

  /** {@code password} for {@code options.url()}'s user; null when capturing from Binance. */
  CaptureVerticle(CaptureOptions options, String password, PrintStream err) {
    this.options = options;
    this.password = password;
    this.err = err;
    List<String> group = new ArrayList<>();
    for (String symbol : options.symbols()) {
      for (CaptureStream s : options.streams()) {
        targets.put(s.binanceName(symbol), new CsvRow.Target(symbol, s));
        messages.put(symbol + " " + s.name(), new AtomicLong());
      }
    }
    // a symbol's streams share a connection; UpstreamConnection subscribes what its URL cannot hold
    for (String symbol : options.url() != null ? List.<String>of() : options.symbols()) {
      List<String> names = options.streams().stream().map(s -> s.binanceName(symbol)).toList();
      if (group.size() + names.size() > StreamNames.MAX_STREAMS_PER_CONNECTION) {
        slots.add(new Slot(slots.size() + 1, group));
        group = new ArrayList<>();
      }
      group.addAll(names);
    }
    if (!group.isEmpty()) {
      slots.add(new Slot(slots.size() + 1, group));
    }
  }

  @Override
  public Future<?> start() {
    client = UpstreamConnection.newClient(vertx, options.wsUrl());
    return vertx.executeBlocking(() -> new CaptureWriter(options.out(), options.rotateMillis(), err)).map(w -> {
      writer = w;
      slots.forEach(Slot::open);
      if (options.url() != null) {
        fromGateway();
      }
      timers.add(vertx.setPeriodic(BATCH_MS, t -> handOver()));
      timers.add(vertx.setPeriodic(SILENT_MS / 4, t -> watchSilence()));
      return w;
    });
  }

  /** {@code --url}: the bridge of a running candlebus, logged in like a browser, reconnecting like tail. */
  private void fromGateway() {
    GatewayRows rows = new GatewayRows(options);
    gateway = new GatewayFeed(vertx, options.url(), options.user(), password, rows.addresses(), (address, m) -> {
      if (writer != null) {
        long now = System.currentTimeMillis();
        for (CsvRow.Row row : rows.rows(address, m)) {
          batch.add(new CaptureWriter.Captured(now, row.target(), row.cells()));
          messages.get(row.target().symbol() + " " + row.target().stream().name()).incrementAndGet();
        }
      }
    }, err, "candlebus capture").reconnector();
    gateway.fatal().onSuccess(refused::tryComplete);
    gateway.start();
  }

  /** Completes when the gateway refused the login or an address: the capture should stop. */
  Future<TailFailure> refused() {
    return refused.future();
  }

  private void received(Slot slot, String text, long now) {
    if (writer == null) {
      return; // the last batch has been handed over
    }
    CsvRow.Parsed p = CsvRow.parse(text, targets);
    if (p instanceof CsvRow.Row row) {
      slot.backoff.reset();
      batch.add(new CaptureWriter.Captured(now, row.target(), row.cells()));
      messages.get(row.target().symbol() + " " + row.target().stream().name()).incrementAndGet();
    } else if (p instanceof CsvRow.Shutdown) {
      slot.connection.close(SHUTDOWN + " announced");
    } else if (p instanceof CsvRow.Malformed m) {
      malformed.incrementAndGet();
      if (!toldMalformed) {
        toldMalformed = true;
        err.println("candlebus capture: skipped a malformed frame (" + m.reason() + "); the next ones are counted");
      }
    }
  }

  /** The rows so far to the writer, in order (ordered blocking tasks run one after the other). */
  private Future<Void> handOver() {
    CaptureWriter w = writer;
    if (w == null) {
      return Future.succeededFuture();
    }
    List<CaptureWriter.Captured> rows = batch;
    batch = new ArrayList<>();
    long now = System.currentTimeMillis();
    return vertx.executeBlocking(() -> {
      w.write(rows, now);
      return null;
    }, true);
  }

  private void watchSilence() {
    long now = System.currentTimeMillis();
    for (Slot s : slots) {
      if (s.connection != null && s.connection.silentFor(now) > SILENT_MS) {
        s.connection.close("silent for " + SILENT_MS / 1000 + " s");
      }
    }
  }

  /** Closes the connections, then writes what is left and completes every open file. */
  @Override
  public Future<?> stop() {
    stopping = true;
    timers.forEach(vertx::cancelTimer);
    List<Future<Void>> closing = new ArrayList<>();
    slots.forEach(s -> closing.add(s.connection == null ? Future.succeededFuture() : s.connection.close("stop")));
    if (gateway != null) {
      closing.add(gateway.stop());
    }
    return Future.join(closing).eventually(this::handOver).eventually(() -> {
      CaptureWriter w = writer;
      writer = null;
      closed = w;
      return w == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
        w.close();
        return null;
      }, true);
    }).eventually(client::close);
  }

  /** One line: messages per stream, malformed frames, reconnects, files; call after the stop. */
  String summary(String how) {
    StringBuilder b = new StringBuilder("candlebus capture: ").append(how).append(": ");
    long total = messages.values().stream().mapToLong(AtomicLong::get).sum();
    b.append(total).append(" messages (");
    String sep = "";
    for (Map.Entry<String, AtomicLong> e : messages.entrySet()) {
      b.append(sep).append(e.getKey()).append(' ').append(e.getValue().get());
      sep = ", ";
    }
    b.append("), ").append(malformed.get()).append(" malformed skipped, ").append(reconnects.get())
        .append(" reconnects, ").append(closed == null ? 0 : closed.files()).append(" files in ")
        .append(options.out());
    if (closed != null && closed.dropped() > 0) {
      b.append(", ").append(closed.dropped()).append(" rows NOT written (see above)");
    }
    return b.toString();
  }
}
