package io.candlebus;

import io.candlebus.persistence.PgPools;
import io.candlebus.persistence.UserStore;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.web.PasswordHasher;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code loadtest [--clients N] [--rate FRAMES_PER_S] [--seconds S] [--symbols K] [--nodes M]}: the whole path
 * from an upstream frame to N logged-in browsers on SockJS's WebSocket transport, in one process and bounded in
 * time. aggTrade frames are sent through a simulator at the given rate over K symbols; every client registers
 * every symbol's trades, so each frame should reach every client. Prints messages delivered per second and the
 * latency from the frame's send to its arrival at a client (p50/p99/p99.9/max). With {@code --nodes M > 1} the
 * gateway is a Hazelcast cluster of M Vert.x instances ({@link LoadCluster}): one ingests, M-1 edges serve the
 * clients, and the report adds, per edge, the market messages that crossed the cluster to it and what it
 * delivered.
 */
final class LoadTest {
  private static final long AGG_BASE = 1_000_000_000L;
  private static final int TICK_MS = 5;

  record Options(int clients, int rate, int seconds, int symbols, int warmupSeconds, int nodes) {}

  private final Options o;
  private final PrintStream out;

  LoadTest(Options o, PrintStream out) {
    this.o = o;
    this.out = out;
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, Integer> v = new HashMap<>(Map.of("--clients", 100, "--rate", 1000, "--seconds", 20,
        "--symbols", 2, "--warmup", 5, "--nodes", 1));
    for (int i = 0; i < args.length; i += 2) {
      if (!v.containsKey(args[i]) || i + 1 >= args.length) {
        err.println("candlebus: loadtest: unknown or incomplete argument \"" + args[i] + "\"");
        return Lifecycle.EXIT_USAGE;
      }
      try {
        v.put(args[i], Integer.parseInt(args[i + 1]));
      } catch (NumberFormatException e) {
        err.println("candlebus: loadtest: " + args[i] + " needs a whole number, got \"" + args[i + 1] + "\"");
        return Lifecycle.EXIT_USAGE;
      }
    }
    Options o = new Options(v.get("--clients"), v.get("--rate"), v.get("--seconds"), v.get("--symbols"),
        v.get("--warmup"), v.get("--nodes"));
    if (o.clients() < 1 || o.rate() < 1 || o.seconds() < 1 || o.seconds() > 3600 || o.symbols() < 1
        || o.symbols() > 100 || o.warmupSeconds() < 0 || o.nodes() < 1 || o.nodes() > 8) {
      err.println("candlebus: loadtest: clients, rate, seconds (≤ 3600), symbols (≤ 100) and nodes (≤ 8) must be "
          + "positive");
      return Lifecycle.EXIT_USAGE;
    }
    try {
      return new LoadTest(o, out).execute();
    } catch (Exception e) {
      err.println("candlebus: loadtest failed: " + e);
      return Lifecycle.EXIT_FAILED;
    }
  }

  int execute() throws Exception {
    Path dir = Files.createTempDirectory("candlebus-loadtest");
    List<String> symbols = new ArrayList<>();
    for (int i = 0; i < o.symbols(); i++) {
      symbols.add("LOAD" + (char) ('A' + i % 26) + (i / 26) + "USDT");
    }
    Vertx simVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Vertx clients = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    LoadCluster nodes = null;
    try {
      BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols(symbols)
          .withRate(0.001).withHistoryMinutes(0));
      simVertx.deployVerticle(sim).await(60, TimeUnit.SECONDS);
      Map<String, String> env = new HashMap<>(Map.of("CANDLEBUS_HTTP_PORT", "0", "CANDLEBUS_HTTP_HOST",
          "127.0.0.1", "CANDLEBUS_BINANCE_WS_URL", sim.wsBaseUrl(), "CANDLEBUS_BINANCE_REST_URL",
          sim.restBaseUrl(), "CANDLEBUS_SYMBOLS", String.join(",", symbols), "CANDLEBUS_INTERVALS", "1m",
          "CANDLEBUS_HISTORY_LIMIT", "0", "CANDLEBUS_DATA_DIR", dir.toString()));
      nodes = LoadCluster.start(o.nodes(), env, dir, sim, symbols);
      String cookie = login(nodes.vertx(), nodes.database(), nodes.edges().get(0).gateway().httpPort());
      Measure m = new Measure(o.rate() * (o.seconds() + o.warmupSeconds() + 10), o.symbols());
      connectAll(clients, nodes.edges(), cookie, symbols, m);
      nodes.countCrossings(symbols, seq -> seq >= m.firstMeasured, id -> seqOf(id, o.symbols()));
      out.printf("loadtest: %d clients connected to %d node(s), %d symbols, feeding %d frames/s for %d s "
          + "(+%d s warm-up)%n", o.clients(), nodes.edges().size(), o.symbols(), o.rate(), o.seconds(),
          o.warmupSeconds());
      feed(simVertx, sim, symbols, m);
      report(m, nodes);
      return 0;
    } finally {
      if (nodes != null) {
        nodes.close();
      }
      clients.close().await(30, TimeUnit.SECONDS);
      simVertx.close().await(60, TimeUnit.SECONDS);
      Demo.deleteQuietly(dir);
    }
  }

  /** Creates the loadtest user in the nodes' PostgreSQL and logs in once; all clients share the session. */
  private String login(Vertx vertx, PgConnectOptions database, int port) throws Exception {
    String password = PasswordHasher.randomPassword();
    Pool pool = PgPools.create(vertx, database);
    new UserStore(pool).put("loadtest", new PasswordHasher().hash(password.toCharArray())).await(60,
        TimeUnit.SECONDS);
    pool.close();
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/login")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", "loadtest")
            .put("password", password).encode())).build(), HttpResponse.BodyHandlers.ofString());
    return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("candlebus.session="))
        .map(c -> c.substring("candlebus.session=".length(), c.indexOf(';'))).findFirst().orElseThrow();
  }

  /** Spreads the clients evenly over the serving nodes; each node counts what its clients received. */
  private void connectAll(Vertx vertx, List<LoadCluster.Node> edges, String cookie, List<String> symbols,
      Measure m) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(
        o.clients()).setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 24));
    List<Future<Void>> ready = new ArrayList<>();
    for (int i = 0; i < o.clients(); i++) {
      LoadCluster.Node node = edges.get(i % edges.size());
      int port = node.gateway().httpPort();
      WebSocketConnectOptions c = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
          .setURI("/eventbus/000/lt" + i + "/websocket").addHeader("Cookie", "candlebus.session=" + cookie)
          .addHeader("Origin", "http://localhost:" + port);
      node.clients().incrementAndGet();
      ready.add(client.connect(c).compose(ws -> {
        ws.textMessageHandler(frame -> node.delivered().addAndGet(m.onFrame(frame)));
        JsonArray registrations = new JsonArray();
        symbols.forEach(s -> registrations.add(new JsonObject().put("type", "register")
            .put("address", Addresses.trade(s)).encode()));
        return ws.writeTextMessage(registrations.encode());
      }));
    }
    Future.all(ready).await(120, TimeUnit.SECONDS);
  }

  /**
   * Each symbol's aggregate ids run on without a hole from its own base (the upstream would fetch any hole over
   * REST), and the frame's sequence number can be read back from the id alone.
   */
  static long aggId(long seq, int symbols) {
    return AGG_BASE * (1 + seq % symbols) + seq / symbols;
  }

  static long seqOf(long aggId, int symbols) {
    return (aggId % AGG_BASE) * symbols + (aggId / AGG_BASE - 1);
  }

  /** Sends {@code rate} frames per second on a timer; each frame's aggregate id indexes its send time. */
  private void feed(Vertx vertx, BinanceSimulator sim, List<String> symbols, Measure m) throws Exception {
    long total = (long) o.rate() * (o.seconds() + o.warmupSeconds());
    long start = System.nanoTime();
    AtomicLong sent = new AtomicLong();
    long warmupEnd = start + TimeUnit.SECONDS.toNanos(o.warmupSeconds());
    Future<Void> done = Future.future(p -> vertx.setPeriodic(TICK_MS, id -> {
      long due = Math.min(total, (System.nanoTime() - start) * o.rate() / 1_000_000_000L);
      while (sent.get() < due) {
        long seq = sent.getAndIncrement();
        long now = System.currentTimeMillis();
        if (m.measuring == 0 && System.nanoTime() >= warmupEnd) {
          m.startMeasuring(seq);
        }
        m.sentAt.set((int) seq, System.nanoTime());
        int k = (int) (seq % symbols.size());
        String symbol = symbols.get(k);
        long aggId = aggId(seq, symbols.size());
        sim.injectRaw("{\"stream\":\"" + symbol.toLowerCase() + "@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":"
            + now + ",\"s\":\"" + symbol + "\",\"a\":" + aggId + ",\"p\":\"100.00000000\",\"q\":"
            + "\"1.00000000\",\"f\":" + aggId + ",\"l\":" + aggId + ",\"T\":" + now
            + ",\"m\":false,\"M\":true}}");
      }
      if (sent.get() >= total) {
        vertx.cancelTimer(id);
        m.stopMeasuring(System.nanoTime());
        p.complete();
      }
    }));
    done.await(o.seconds() + o.warmupSeconds() + 60, TimeUnit.SECONDS);
    // let what is in flight arrive, at most 5 s
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long expected = (total - m.firstMeasured) * o.clients();
    while (m.received.get() < expected && System.nanoTime() < deadline) {
      Thread.sleep(50); // a command, not a test: waiting for stragglers before the report
    }
  }

  private void report(Measure m, LoadCluster nodes) {
    double seconds = (m.measureEnd - m.measureStart) / 1e9;
    long frames = (long) o.rate() * (o.seconds() + o.warmupSeconds()) - m.firstMeasured;
    long expected = frames * o.clients();
    out.printf("delivered: %d of %d messages (%.2f %%) in %.1f s = %.0f messages/s to %d clients%n",
        m.received.get(), expected, 100.0 * m.received.get() / Math.max(1, expected), seconds,
        m.received.get() / seconds, o.clients());
    out.printf("latency frame sent -> client: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
        m.percentile(0.50), m.percentile(0.99), m.percentile(0.999), m.percentile(1.0));
    double dropped = 0;
    for (LoadCluster.Node n : nodes.edges()) {
      Counter c = n.registry().find("candlebus_bridge_dropped_trades_total").counter();
      dropped += c == null ? 0 : c.count();
    }
    out.printf("dropped for slow clients: %.0f trades%n", dropped);
    if (nodes.clustered()) {
      for (LoadCluster.Node n : nodes.edges()) {
        // counted from the first measured frame on; crossings: trade messages this node received from the bus
        out.printf("node %s (edge, %d clients): %d trade messages crossed the cluster to it (%.0f/s), "
            + "%.0f messages/s delivered to its clients%n", n.name(), n.clients().get(), n.crossed().get(),
            n.crossed().get() / seconds, n.delivered().get() / seconds);
      }
    }
  }

  /** Arrival counting and a latency histogram in 10 µs buckets up to 10 s, from every client's event loop. */
  private static final class Measure {
    final AtomicLongArray sentAt;
    final AtomicLongArray buckets = new AtomicLongArray(1_000_000);
    final AtomicLong received = new AtomicLong();
    volatile long measuring;
    volatile long firstMeasured = Long.MAX_VALUE;
    volatile long measureStart;
    volatile long measureEnd;

    final int symbols;

    Measure(int capacity, int symbols) {
      sentAt = new AtomicLongArray(capacity);
      this.symbols = symbols;
    }

    void startMeasuring(long seq) {
      firstMeasured = seq;
      measureStart = System.nanoTime();
      measuring = 1;
    }

    void stopMeasuring(long at) {
      measureEnd = at;
    }

    /** A SockJS frame {@code a[...]}: the trade messages it holds, found without parsing all of it. */
    int onFrame(String frame) {
      long now = System.nanoTime();
      int counted = 0;
      int at = 0;
      while ((at = frame.indexOf("tradeId\\\":", at)) >= 0) {
        at += 10;
        long id = 0;
        char c;
        while (at < frame.length() && (c = frame.charAt(at)) >= '0' && c <= '9') {
          id = id * 10 + (c - '0');
          at++;
        }
        long seq = seqOf(id, symbols);
        if (seq >= firstMeasured && seq < sentAt.length()) {
          counted++;
          received.incrementAndGet();
          long micros = (now - sentAt.get((int) seq)) / 10_000;
          buckets.incrementAndGet((int) Math.max(0, Math.min(buckets.length() - 1, micros)));
        }
      }
      return counted;
    }

    double percentile(double p) {
      long total = received.get();
      long rank = (long) Math.ceil(p * total);
      long seen = 0;
      for (int i = 0; i < buckets.length(); i++) {
        seen += buckets.get(i);
        if (seen >= rank && seen > 0) {
          return (i + 1) / 100.0;
        }
      }
      return 0;
    }
  }
}
