package io.candlebus.load;

import io.candlebus.Demo;
import io.candlebus.Lifecycle;
import io.candlebus.persistence.PgPools;
import io.candlebus.persistence.UserStore;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.web.PasswordHasher;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code loadtest [--clients N] [--rate FRAMES_PER_S] [--seconds S] [--symbols K] [--warmup S] [--nodes M]}: the
 * whole path from an upstream frame to N logged-in browsers on SockJS's WebSocket transport, in one process and
 * bounded in time. aggTrade frames are sent through a simulator at the given rate over K symbols; every client
 * registers every symbol's trades, so each frame should reach every client. Prints messages delivered per second
 * and the latency from the frame's send to its arrival at a client (p50/p99/p99.9/max). With {@code --nodes M > 1}
 * the gateway is a Hazelcast cluster of M Vert.x instances ({@link LoadCluster}): one ingests, M-1 edges serve
 * the clients, and the report adds, per edge, the market messages that crossed the cluster to it and what it
 * delivered. With {@code --external} the gateway and a baseline relay run as processes of their own
 * ({@link ExternalLoad}).
 */
public final class LoadTest {
  /** Flags that take no value. */
  private static final Set<String> SWITCHES = Set.of("--external", "--no-pin");
  /**
   * The load's clients are one login on one address, thousands of sockets: the caps that stop one user or address
   * from holding a node's sockets are lifted for the gateways a loadtest starts.
   */
  static final Map<String, String> ONE_USER_MANY_SOCKETS = Map.of("CANDLEBUS_HTTP_MAX_CONNECTIONS_PER_ADDRESS", "0",
      "CANDLEBUS_BRIDGE_MAX_SOCKETS_PER_SESSION", "0", "CANDLEBUS_BRIDGE_MAX_SOCKETS_PER_USER", "0");

  record Options(int clients, int rate, int seconds, int symbols, int warmupSeconds, int nodes, boolean external,
      int rounds, int idle, boolean pin) {}

  private final Options o;
  private final PrintStream out;

  LoadTest(Options o, PrintStream out) {
    this.o = o;
    this.out = out;
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, Integer> v = new HashMap<>(Map.of("--clients", 100, "--rate", 1000, "--seconds", 20,
        "--symbols", 2, "--warmup", 5, "--nodes", 1, "--rounds", 1, "--idle", 0));
    Map<String, Boolean> flags = new HashMap<>(Map.of("--external", false, "--no-pin", false));
    for (int i = 0; i < args.length; i++) {
      if (SWITCHES.contains(args[i])) {
        flags.put(args[i], true);
        continue;
      }
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
      i++;
    }
    Options o = new Options(v.get("--clients"), v.get("--rate"), v.get("--seconds"), v.get("--symbols"),
        v.get("--warmup"), v.get("--nodes"), flags.get("--external"), v.get("--rounds"), v.get("--idle"),
        !flags.get("--no-pin"));
    String bad = o.clients() < 1 ? "--clients" : o.rate() < 1 ? "--rate"
        : o.seconds() < 1 || o.seconds() > 3600 ? "--seconds" : o.symbols() < 1 || o.symbols() > 100 ? "--symbols"
        : o.warmupSeconds() < 0 ? "--warmup" : o.nodes() < 1 || o.nodes() > 8 ? "--nodes"
        : o.rounds() < 1 || o.rounds() > 20 ? "--rounds" : o.idle() < 0 || o.idle() > 100_000 ? "--idle" : null;
    if (bad != null) {
      err.println("candlebus: loadtest: " + bad + " out of range (clients, rate ≥ 1; seconds 1-3600; symbols "
          + "1-100; warmup ≥ 0; nodes 1-8; rounds 1-20; idle 0-100000)");
      return Lifecycle.EXIT_USAGE;
    }
    if (o.external() && o.nodes() > 1 || !o.external() && (o.idle() > 0 || o.rounds() > 1)) {
      err.println("candlebus: loadtest: --external runs one node (no --nodes); --idle and --rounds need --external");
      return Lifecycle.EXIT_USAGE;
    }
    try {
      return o.external() ? new ExternalLoad(o, out).execute() : new LoadTest(o, out).execute();
    } catch (Exception e) {
      err.println("candlebus: loadtest failed: " + e);
      return Lifecycle.EXIT_FAILED;
    }
  }

  /** {@code LOADA0USDT, LOADB0USDT, ...}; another quote asset gives another set of the same length. */
  static List<String> symbols(int n, String quote) {
    List<String> symbols = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      symbols.add("LOAD" + (char) ('A' + i % 26) + (i / 26) + quote);
    }
    return symbols;
  }

  int execute() throws Exception {
    Path dir = Files.createTempDirectory("candlebus-loadtest");
    List<String> symbols = symbols(o.symbols(), "USDT");
    Vertx simVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    LoadCluster nodes = null;
    try {
      BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols(symbols)
          .withRate(0.001).withHistoryMinutes(0));
      simVertx.deployVerticle(sim).await(60, TimeUnit.SECONDS);
      Map<String, String> env = new HashMap<>(Map.of("CANDLEBUS_HTTP_PORT", "0", "CANDLEBUS_HTTP_HOST",
          "127.0.0.1", "CANDLEBUS_BINANCE_WS_URL", sim.wsBaseUrl(), "CANDLEBUS_BINANCE_REST_URL",
          sim.restBaseUrl(), "CANDLEBUS_SYMBOLS", String.join(",", symbols), "CANDLEBUS_INTERVALS", "1m",
          "CANDLEBUS_HISTORY_LIMIT", "0", "CANDLEBUS_DATA_DIR", dir.toString()));
      env.putAll(ONE_USER_MANY_SOCKETS);
      nodes = LoadCluster.start(o.nodes(), env, dir, sim, symbols);
      String cookie = login(nodes.vertx(), nodes.database(), nodes.edges().get(0).gateway().httpPort());
      LoadFeed feed = new LoadFeed(sim, symbols);
      LoadMeasure m = feed.newMeasure((long) o.rate() * (o.seconds() + o.warmupSeconds()));
      connectAll(new LoadClients(clientVertx, o.clients()), o.clients(), nodes.edges(), cookie, symbols, m);
      nodes.countCrossings(symbols, m::isMeasured, id -> LoadFeed.seqOf(id, o.symbols()));
      out.printf("loadtest: %d clients connected to %d node(s), %d symbols, feeding %d frames/s for %d s "
          + "(+%d s warm-up)%n", o.clients(), nodes.edges().size(), o.symbols(), o.rate(), o.seconds(),
          o.warmupSeconds());
      feed.run(simVertx, o.rate(), o.warmupSeconds(), o.seconds(), m, o.clients());
      report(m, nodes);
      return 0;
    } finally {
      if (nodes != null) {
        nodes.close();
      }
      clientVertx.close().await(30, TimeUnit.SECONDS);
      simVertx.close().await(60, TimeUnit.SECONDS);
      Demo.deleteQuietly(dir);
    }
  }

  /** Creates the loadtest user in the nodes' PostgreSQL and logs in once; all clients share the session. */
  private static String login(Vertx vertx, PgConnectOptions database, int port) throws Exception {
    String password = PasswordHasher.randomPassword();
    Pool pool = PgPools.create(vertx, database);
    new UserStore(pool).put("loadtest", new PasswordHasher().hash(password.toCharArray())).await(60,
        TimeUnit.SECONDS);
    pool.close();
    return login(port, "loadtest", password);
  }

  /** A free loopback port for a server the command starts. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** One value of a gateway's {@code /metrics} (the first series of {@code name}), NaN when absent. */
  static double metric(int port, String cookie, String name) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + port + "/metrics")).header("Cookie", "candlebus.session=" + cookie)
            .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+]+)")
        .matcher(r.body());
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  /** Logs in over HTTP; the session cookie's value. */
  static String login(int port, String user, String password) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/login")).header("Content-Type", "application/json")
        .timeout(java.time.Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", user)
            .put("password", password).encode())).build(), HttpResponse.BodyHandlers.ofString());
    return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("candlebus.session="))
        .map(c -> c.substring("candlebus.session=".length(), c.indexOf(';'))).findFirst()
        .orElseThrow(() -> new IllegalStateException("login refused: HTTP " + r.statusCode()));
  }

  /** Spreads the clients evenly over the serving nodes; each node counts what its clients received. */
  private static void connectAll(LoadClients clients, int n, List<LoadCluster.Node> edges, String cookie,
      List<String> symbols, LoadMeasure m) throws Exception {
    List<Future<Void>> ready = new ArrayList<>();
    for (int e = 0; e < edges.size(); e++) {
      LoadCluster.Node node = edges.get(e);
      int share = n / edges.size() + (e < n % edges.size() ? 1 : 0);
      node.clients().addAndGet(share);
      ready.add(clients.bridgeAll(share, node.gateway().httpPort(), cookie, symbols, m,
          node.delivered()::addAndGet));
    }
    Future.all(ready).await(120, TimeUnit.SECONDS);
  }

  private void report(LoadMeasure m, LoadCluster nodes) {
    double seconds = m.seconds();
    out.println("delivered: " + delivery(m, o.clients()));
    out.println("latency frame sent -> client: " + latency(m));
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

  static String delivery(LoadMeasure m, int clients) {
    long expected = m.expected(clients);
    return String.format("%d of %d messages (%.2f %%) in %.1f s = %.0f messages/s to %d clients", m.received(),
        expected, 100.0 * m.received() / Math.max(1, expected), m.seconds(), m.received() / m.seconds(), clients);
  }

  static String latency(LoadMeasure m) {
    return String.format("p50 %s ms, p99 %s ms, p99.9 %s ms, max %s ms", ms(m, 0.50), ms(m, 0.99), ms(m, 0.999),
        ms(m, 1.0));
  }

  private static String ms(LoadMeasure m, double p) {
    double v = m.percentile(p);
    return v >= LoadMeasure.CEILING_MS ? String.format(">= %.0f", LoadMeasure.CEILING_MS) : String.format("%.2f", v);
  }
}
