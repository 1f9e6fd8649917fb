package io.candlebus;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.persistence.PgPools;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.candlebus.testing.HttpSession;
import io.candlebus.testing.Ports;
import io.candlebus.testing.StoredCandles;
import io.candlebus.testing.TestPostgres;
import io.candlebus.testing.TestUsers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three candlebus JVMs (the built jar) as one Hazelcast cluster on loopback, one PostgreSQL, one simulator running
 * at 20× (a minute every 3 s): one subscription per stream; after a {@code kill -9} of a node its symbols are
 * carried again within 10 s, and the stored candles of every symbol have no gap and no duplicate.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 300, timeUnit = TimeUnit.SECONDS)
class ClusterIT {
  private static final Path JAR = Path.of(System.getProperty("candlebus.jar", "target/candlebus.jar"));
  /** The nodes' output stays after the run (the data directories do not), for a failure to be read. */
  private static final Path LOGS = JAR.toAbsolutePath().getParent().resolve("cluster-it");
  private static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT", "BNBUSDT", "SOLUSDT", "XRPUSDT",
      "ADAUSDT");
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final long MINUTE = 60_000;
  private static final Pattern OWNED = Pattern.compile("candlebus_symbol_owned\\{symbol=\"(\\w+)\",?} 1\\.0");
  private final List<Process> processes = new ArrayList<>();
  private final Map<Integer, HttpSession> sessions = new ConcurrentHashMap<>();

  @AfterEach
  void stopAll() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void oneSubscriptionPerStreamAndAKilledNodesSymbolsAreTakenOverWithoutAGap(Vertx vertx, @TempDir Path dir)
      throws Exception {
    if (Files.isDirectory(LOGS)) {
      try (var old = Files.walk(LOGS)) {
        old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols(SYMBOLS).withSpeed(20)
        .withRate(3).withHistoryMinutes(30).withSeed(17));
    await(vertx.deployVerticle(sim));
    String pg = TestPostgres.newDatabaseUrl();
    TestUsers.create(vertx, pg, "ops");
    int clusterPort = Ports.free();
    String members = Ports.clusterMembers(clusterPort, 3);
    List<Integer> httpPorts = new ArrayList<>();
    List<Runnable> starts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int http = Ports.free();
      httpPorts.add(http);
      Path nodeDir = Files.createDirectories(dir.resolve("node" + i));
      Path logs = Files.createDirectories(LOGS.resolve("node" + i));
      starts.add(() -> start(nodeDir, logs, Map.of("CANDLEBUS_HTTP_PORT", String.valueOf(http), "CANDLEBUS_HTTP_HOST", "127.0.0.1",
          "CANDLEBUS_BINANCE_WS_URL", sim.wsBaseUrl(), "CANDLEBUS_BINANCE_REST_URL", sim.restBaseUrl(),
          "CANDLEBUS_SYMBOLS", String.join(",", SYMBOLS), "CANDLEBUS_INTERVALS", "1m",
          "CANDLEBUS_HISTORY_LIMIT", "10", "CANDLEBUS_PG_URL", pg, "CANDLEBUS_DATA_DIR", nodeDir.toString(),
          "CANDLEBUS_CLUSTER", "true"), Map.of("CANDLEBUS_CLUSTER_PORT", String.valueOf(clusterPort),
          "CANDLEBUS_CLUSTER_MEMBERS", members)));
      starts.get(i).run();
    }
    Map<Integer, List<String>>[] owners = new Map[1];
    Await.until(vertx, PATIENCE, "six symbols spread two per node, each stream subscribed once", () ->
        vertx.executeBlocking(() -> {
          owners[0] = owned(httpPorts);
          return owners[0].values().stream().allMatch(l -> l.size() == 2) && oncePerStream(sim);
        }));
    assertThat(new TreeSet<>(owners[0].values().stream().flatMap(List::stream).toList()))
        .containsExactlyElementsOf(new TreeSet<>(SYMBOLS));

    // the node keeping the ticker board dies: its symbols and the board must be taken over
    List<Integer> keepers = keepers(httpPorts);
    assertThat(keepers).as("nodes keeping the ticker board").hasSize(1);
    int keeper = httpPorts.indexOf(keepers.get(0));
    Process victim = processes.get(keeper);
    List<String> orphans = owners[0].get(httpPorts.get(keeper));
    long killedAt = sim.now();
    long killedNanos = System.nanoTime();
    victim.destroyForcibly(); // SIGKILL: no hand-over, no goodbye to the cluster
    assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<Integer> survivors = httpPorts.stream().filter(p -> !p.equals(httpPorts.get(keeper))).toList();
    Await.until(vertx, Duration.ofSeconds(30), "the survivors carry " + orphans + ", each stream once again", () ->
        vertx.executeBlocking(() -> {
          Map<Integer, List<String>> now = owned(survivors);
          return now.values().stream().mapToInt(List::size).sum() == SYMBOLS.size() && oncePerStream(sim);
        }));
    long takeoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNanos);
    System.out.printf("ClusterIT: %s carried again %d ms after the kill at exchange time %d%n", orphans,
        takeoverMs, killedAt);
    assertThat(takeoverMs).as("taken over within 10 s").isLessThanOrEqualTo(10_000);
    Await.until(vertx, PATIENCE, "a survivor keeps the board, complete again", () -> vertx.executeBlocking(() ->
        keepers(survivors).size() == 1 && sessions.get(survivors.get(0)).get("/api/tickers").headers()
            .firstValue("X-Markets-Covered").orElse("").equals("6")));

    Pool pool = PgPools.create(vertx, PgPools.fromUrl(pg));
    Await.until(vertx, PATIENCE, "five exchange minutes after the kill are stored for every symbol",
        () -> storedFrom(pool, killedAt + 5 * MINUTE));
    assertNoGapNoDuplicate(pool, sim, killedAt, killedAt + 4 * MINUTE);

    // the node comes back: it gets its fair share again, handed over by the live owners, still without a gap
    starts.get(keeper).run();
    long rejoinedAt = sim.now();
    Await.until(vertx, PATIENCE, "two symbols per node again, each stream subscribed once", () ->
        vertx.executeBlocking(() -> owned(httpPorts).values().stream().allMatch(l -> l.size() == 2)
            && oncePerStream(sim)));
    Await.until(vertx, PATIENCE, "five exchange minutes after the return are stored for every symbol",
        () -> storedFrom(pool, rejoinedAt + 5 * MINUTE));
    assertNoGapNoDuplicate(pool, sim, killedAt, rejoinedAt + 4 * MINUTE);
    await(pool.close());
  }

  private static Future<Boolean> storedFrom(Pool pool, long openTime) {
    return pool.preparedQuery("SELECT count(DISTINCT k.name) AS n FROM exchange.price_history p "
            + "JOIN exchange.token k ON k.id = p.token_id WHERE p.date_open >= to_timestamp($1 / 1000.0) AT TIME "
            + "ZONE 'UTC'").execute(Tuple.of(openTime)).map(rows -> rows.iterator().next().getLong("n") == 6);
  }

  /** Every symbol's 1m candles, from before {@code from} to after {@code to}, once each and equal to Binance's. */
  private static void assertNoGapNoDuplicate(Pool pool, BinanceSimulator sim, long from, long to) {
    for (String symbol : SYMBOLS) {
      Row range = await(pool.preparedQuery("SELECT extract(epoch FROM min(p.date_open)) * 1000 AS lo, "
          + "extract(epoch FROM max(p.date_open)) * 1000 AS hi FROM exchange.price_history p "
          + "JOIN exchange.token k ON k.id = p.token_id WHERE k.name = $1").execute(Tuple.of(symbol)))
          .iterator().next();
      long lo = range.getBigDecimal("lo").longValue();
      long hi = range.getBigDecimal("hi").longValue();
      assertThat(lo).as("%s: stored from before the kill", symbol).isLessThan(from - MINUTE);
      assertThat(hi).as("%s: to after it", symbol).isGreaterThan(to);
      int rows = StoredCandles.assertContiguousAndEqualToBinance(pool, sim, symbol, "1m", MINUTE, lo);
      assertThat(rows).as(symbol + ": every window from %d to %d once", lo, hi)
          .isEqualTo((int) ((hi - lo) / MINUTE + 1));
    }
  }

  private void start(Path dir, Path logs, Map<String, String> env, Map<String, String> more) {
    List<String> cmd = List.of("java", "-Xmx384m", "-jar", JAR.toAbsolutePath().toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("stdout.txt").toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(logs.resolve("stderr.txt").toFile()));
    pb.environment().putAll(env);
    pb.environment().putAll(more);
    try {
      processes.add(pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Per node (by HTTP port), the symbols its /metrics says it owns; a node not answering owns none. */
  /** The HTTP ports, among {@code ports}, of the nodes keeping the ticker board (one, in a healthy cluster). */
  private List<Integer> keepers(List<Integer> ports) {
    return ports.stream().filter(p -> {
      try {
        HttpSession ops = sessions.computeIfAbsent(p, x -> HttpSession.login("http://127.0.0.1:" + x, "ops",
            TestUsers.PASSWORD));
        return ops.get("/metrics").body().contains("candlebus_tickers_kept 1.0");
      } catch (AssertionError | RuntimeException notUp) {
        return false;
      }
    }).toList();
  }

  private Map<Integer, List<String>> owned(List<Integer> ports) {
    Map<Integer, List<String>> out = new HashMap<>();
    for (int port : ports) {
      List<String> symbols = new ArrayList<>();
      try {
        HttpSession ops = sessions.computeIfAbsent(port, p -> HttpSession.login("http://127.0.0.1:" + p, "ops",
            TestUsers.PASSWORD));
        HttpResponse<String> metrics = ops.get("/metrics");
        if (metrics.statusCode() != 200) {
          sessions.remove(port); // a node that restarted may not know the session yet: log in again
        }
        Matcher m = OWNED.matcher(metrics.body());
        while (m.find()) {
          symbols.add(m.group(1));
        }
      } catch (AssertionError | RuntimeException notUp) {
        // not serving yet
      }
      out.put(port, symbols);
    }
    return out;
  }

  private static boolean oncePerStream(BinanceSimulator sim) {
    Map<String, Integer> streams = sim.stats().streamsSubscribed();
    // one connection of the whole cluster carries the ticker board
    return streams.size() == SYMBOLS.size() * 2 + 1 && streams.getOrDefault("!miniTicker@arr", 0) == 1
        && streams.values().stream().allMatch(n -> n == 1);
  }

}
