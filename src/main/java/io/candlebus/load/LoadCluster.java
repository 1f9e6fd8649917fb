package io.candlebus.load;

import io.candlebus.Addresses;
import io.candlebus.Gateway;

import io.candlebus.config.CandlebusConfig;
import io.candlebus.config.ConfigLoader;
import io.candlebus.persistence.EmbeddedDatabase;
import io.candlebus.simulator.BinanceSimulator;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import java.util.function.LongUnaryOperator;

/**
 * The gateway side of {@code loadtest}: one node as usual, or {@code --nodes M} clustered Vert.x instances in
 * this process (Hazelcast on loopback, one embedded PostgreSQL): node 1 ingests (role {@code ingest}), nodes
 * 2..M serve the clients (role {@code edge}), so every trade crosses the cluster to each edge.
 */
final class LoadCluster {
  /** A serving node: its clients, what they received, and the trade messages that reached it over the bus. */
  record Node(String name, Vertx vertx, Gateway gateway, PrometheusMeterRegistry registry, AtomicLong clients,
      AtomicLong delivered, AtomicLong crossed) {
    Node(String name, Vertx vertx, Gateway gateway, PrometheusMeterRegistry registry) {
      this(name, vertx, gateway, registry, new AtomicLong(), new AtomicLong(), new AtomicLong());
    }
  }

  private final List<Node> all = new ArrayList<>();
  private final List<Node> edges = new ArrayList<>();
  private EmbeddedDatabase database;
  private boolean clustered;

  private LoadCluster() {}

  static LoadCluster start(int nodes, Map<String, String> env, Path dir, BinanceSimulator sim, List<String> symbols)
      throws Exception {
    LoadCluster c = new LoadCluster();
    try {
      if (nodes == 1) {
        c.database = EmbeddedDatabase.startBlocking(dir.resolve("pg"));
        Node n = c.node("1", env, "all", dir, Map.of());
        c.edges.add(n);
        return c;
      }
      c.clustered = true;
      c.database = EmbeddedDatabase.startBlocking(dir.resolve("pg"));
      int port = LoadTest.freePort();
      List<String> members = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        members.add("127.0.0.1:" + (port + i));
      }
      Map<String, String> cluster = Map.of("CANDLEBUS_CLUSTER", "true", "CANDLEBUS_CLUSTER_PORT",
          String.valueOf(port), "CANDLEBUS_CLUSTER_MEMBERS", String.join(",", members));
      Node ingest = c.node("1", env, "ingest", dir, cluster);
      for (int i = 2; i <= nodes; i++) {
        c.edges.add(c.node(String.valueOf(i), env, "edge", dir, cluster));
      }
      waitUntilCarried(ingest, sim, symbols);
      return c;
    } catch (Exception e) {
      c.close();
      throw e;
    }
  }

  private Node node(String name, Map<String, String> env, String role, Path dir, Map<String, String> cluster)
      throws Exception {
    Map<String, String> e = new HashMap<>(env);
    e.putAll(cluster);
    e.put("CANDLEBUS_ROLE", role);
    e.put("CANDLEBUS_DATA_DIR", dir.resolve("node" + name).toString());
    PgConnectOptions pg = database.connectOptions();
    e.put("CANDLEBUS_PG_URL", "postgresql://" + pg.getUser() + ":" + pg.getPassword() + "@" + pg.getHost() + ":"
        + pg.getPort() + "/" + pg.getDatabase());
    CandlebusConfig config = ConfigLoader.fromJson(ConfigLoader.builtInDefaults(), "loadtest", e);
    PrometheusMeterRegistry registry = Gateway.newRegistry();
    Vertx vertx = Gateway.newVertx(registry, config).await(120, TimeUnit.SECONDS);
    Gateway gateway = Gateway.deploy(vertx, false, config, registry).await(120, TimeUnit.SECONDS);
    Node n = new Node(name, vertx, gateway, registry);
    all.add(n);
    return n;
  }

  /** The ingest node took every symbol and the simulator sees its subscriptions: the feed may start. */
  private static void waitUntilCarried(Node ingest, BinanceSimulator sim, List<String> symbols)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      Gauge owned = ingest.registry().find("candlebus_cluster_owned_symbols").gauge();
      if (owned != null && owned.value() == symbols.size()
          && sim.stats().streamsSubscribed().size() >= symbols.size()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the ingest node did not take the symbols within 60 s");
      }
      Thread.sleep(100); // a command, not a test: waiting for the cluster to settle before the feed
    }
  }

  /** On each edge, counts the trade messages of {@code symbols} that reached it whose sequence is measured. */
  void countCrossings(List<String> symbols, LongPredicate measured, LongUnaryOperator seqOf) {
    for (Node n : edges) {
      for (String s : symbols) {
        n.vertx().eventBus().<JsonObject>consumer(Addresses.trade(s), m -> {
          if (measured.test(seqOf.applyAsLong(m.body().getLong("tradeId")))) {
            n.crossed().incrementAndGet();
          }
        });
      }
    }
  }

  List<Node> edges() {
    return edges;
  }

  boolean clustered() {
    return clustered;
  }

  /** A Vert.x for the command's own database calls. */
  Vertx vertx() {
    return all.get(0).vertx();
  }

  PgConnectOptions database() {
    return database.connectOptions();
  }

  void close() throws Exception {
    for (int i = all.size() - 1; i >= 0; i--) {
      Node n = all.get(i);
      n.gateway().close().eventually(() -> n.vertx().close()).await(60, TimeUnit.SECONDS);
    }
    if (database != null) {
      database.stopBlocking();
    }
  }
}
