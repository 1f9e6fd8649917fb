package io.candlebus.load;

import io.candlebus.Demo;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.web.PasswordHasher;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code loadtest --external}: latency as users see it. The gateway runs as a process of its own ({@code java
 * -jar candlebus.jar}, its embedded PostgreSQL initialised beforehand by {@code user add}), and beside it the
 * baseline, a {@link PlainRelay} process of the same feed; this process holds the simulator (the exchange), the
 * feed and the clients, so send and receipt are read off one clock. With two or more CPUs the servers get the
 * first half of them and this process the rest ({@code taskset}). Runs alternate: candlebus, then the baseline,
 * the same rate to the same number of clients; each server is fed only during its own run (its own symbols).
 * Prints a row per run, the ratios, the server CPU used, and the cold start (process start to {@code /ready}
 * 200). With {@code --idle N} it holds N idle logged-in bridge connections instead ({@link IdleConnections}).
 */
final class ExternalLoad {
  private final LoadTest.Options o;
  private final PrintStream out;

  ExternalLoad(LoadTest.Options o, PrintStream out) {
    this.o = o;
    this.out = out;
  }

  /** What one run measured. */
  record Row(String path, int round, LoadMeasure m, double cpuShare, String extra) {}

  int execute() throws Exception {
    Path dir = Files.createTempDirectory("candlebus-loadtest");
    List<Integer> cpus = allowedCpus();
    boolean pin = o.pin() && cpus.size() >= 2 && Files.isExecutable(Path.of("/usr/bin/taskset"));
    String serverCpus = pin ? join(cpus.subList(0, cpus.size() / 2)) : null;
    String ourCpus = pin ? join(cpus.subList(cpus.size() / 2, cpus.size())) : null;
    if (pin) {
      // every thread of this JVM, and those it starts later, on our half
      new ProcessBuilder("taskset", "-a", "-cp", ourCpus, String.valueOf(ProcessHandle.current().pid()))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }
    out.printf("loadtest --external on %s, %d CPUs: servers on CPU %s, simulator and clients on CPU %s%n",
        cpuModel(), cpus.size(), pin ? serverCpus : "any", pin ? ourCpus : "any");
    List<String> ours = LoadTest.symbols(o.symbols(), "USDT");
    List<String> baselines = LoadTest.symbols(o.symbols(), "USDC"); // same length, fed only to the relay
    List<String> all = new ArrayList<>(ours);
    all.addAll(baselines);
    Vertx simVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(pin ? cpus.size() - cpus.size() / 2
        : 2));
    ChildProcess gateway = null;
    ChildProcess relay = null;
    // a loadtest stopped by a signal takes its servers with it
    Thread reaper = new Thread(() -> ChildProcess.destroyAll(), "loadtest-children");
    Runtime.getRuntime().addShutdownHook(reaper);
    try {
      BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols(all).withRate(0.001)
          .withHistoryMinutes(0));
      simVertx.deployVerticle(sim).await(60, TimeUnit.SECONDS);
      int port = LoadTest.freePort();
      Map<String, String> env = new HashMap<>(Map.of("CANDLEBUS_HTTP_PORT", String.valueOf(port),
          "CANDLEBUS_HTTP_HOST", "127.0.0.1", "CANDLEBUS_BINANCE_WS_URL", sim.wsBaseUrl(),
          "CANDLEBUS_BINANCE_REST_URL", sim.restBaseUrl(), "CANDLEBUS_SYMBOLS", String.join(",", ours),
          "CANDLEBUS_INTERVALS", "1m", "CANDLEBUS_HISTORY_LIMIT", "0", "CANDLEBUS_DATA_DIR",
          dir.resolve("data").toString()));
      env.putAll(LoadTest.ONE_USER_MANY_SOCKETS);
      String password = PasswordHasher.randomPassword();
      ChildProcess user = ChildProcess.start("user-add", serverCpus, "io.candlebus.Main",
          List.of("user", "add", "loadtest", "--password-stdin"), env, dir);
      try (OutputStream in = user.process().getOutputStream()) {
        in.write((password + "\n").getBytes(StandardCharsets.UTF_8));
      }
      if (user.await(180) != 0) {
        throw new IllegalStateException("user add failed: " + user.tail());
      }
      gateway = ChildProcess.start("gateway", serverCpus, "io.candlebus.Main", List.of(), env, dir);
      long coldStartMs = awaitReady(gateway, port);
      out.printf("cold start: process start -> /ready 200 in %d ms (no cluster, embedded PostgreSQL "
          + "initialised before)%n", coldStartMs);
      String cookie = LoadTest.login(port, "loadtest", password);
      if (o.idle() > 0) {
        new IdleConnections(out, clientVertx, gateway, port, cookie).run(o.idle(), o.seconds());
        return 0;
      }
      int relayPort = LoadTest.freePort();
      String streams = baselines.stream().map(LoadFeed::stream).collect(Collectors.joining("/"));
      relay = ChildProcess.start("relay", serverCpus, PlainRelay.class.getName(),
          List.of(sim.wsBaseUrl() + "/stream?streams=" + streams, String.valueOf(relayPort)), Map.of(), dir);
      awaitSubscribed(sim, all, relay);
      LoadFeed ourFeed = new LoadFeed(sim, ours);
      LoadFeed baselineFeed = new LoadFeed(sim, baselines);
      out.printf("%d clients per run, %d symbols, %d frames/s for %d s (+%d s warm-up), %d round(s)%n",
          o.clients(), o.symbols(), o.rate(), o.seconds(), o.warmupSeconds(), o.rounds());
      List<Row> rows = new ArrayList<>();
      for (int r = 1; r <= o.rounds(); r++) {
        rows.add(runCandlebus(r, simVertx, clientVertx, ourFeed, gateway, port, cookie));
        rows.add(runBaseline(r, simVertx, clientVertx, baselineFeed, relay, relayPort));
        ratios(rows.get(rows.size() - 2), rows.get(rows.size() - 1));
      }
      return 0;
    } finally {
      for (ChildProcess c : new ChildProcess[] {relay, gateway}) {
        if (c != null) {
          c.close();
        }
      }
      clientVertx.close().await(30, TimeUnit.SECONDS);
      simVertx.close().await(60, TimeUnit.SECONDS);
      Demo.deleteQuietly(dir);
      Runtime.getRuntime().removeShutdownHook(reaper);
    }
  }

  private Row runCandlebus(int round, Vertx simVertx, Vertx clientVertx, LoadFeed feed, ChildProcess gateway,
      int port, String cookie) throws Exception {
    LoadMeasure m = feed.newMeasure((long) o.rate() * (o.seconds() + o.warmupSeconds()));
    LoadClients clients = new LoadClients(clientVertx, o.clients());
    clients.bridgeAll(o.clients(), port, cookie, feed.symbols(), m, n -> {}).await(120, TimeUnit.SECONDS);
    double dropped0 = LoadTest.metric(port, cookie, "candlebus_bridge_dropped_trades_total");
    double cpu = measureCpu(gateway, () -> feed.run(simVertx, o.rate(), o.warmupSeconds(), o.seconds(), m,
        o.clients()));
    clients.close().await(60, TimeUnit.SECONDS);
    gateway.checkAlive();
    return print(new Row("candlebus", round, m, cpu, String.format("; dropped for slow clients %.0f",
        LoadTest.metric(port, cookie, "candlebus_bridge_dropped_trades_total") - dropped0)));
  }

  private Row runBaseline(int round, Vertx simVertx, Vertx clientVertx, LoadFeed feed, ChildProcess relay,
      int port) throws Exception {
    LoadMeasure m = feed.newMeasure((long) o.rate() * (o.seconds() + o.warmupSeconds()));
    LoadClients clients = new LoadClients(clientVertx, o.clients());
    clients.relayAll(o.clients(), port, m).await(120, TimeUnit.SECONDS);
    double cpu = measureCpu(relay, () -> feed.run(simVertx, o.rate(), o.warmupSeconds(), o.seconds(), m,
        o.clients()));
    clients.close().await(60, TimeUnit.SECONDS);
    relay.checkAlive();
    if (relay.tail().contains("relay: upstream closed")) {
      throw new IllegalStateException("the baseline lost its upstream, its figures mean nothing: " + relay.tail());
    }
    return print(new Row("baseline", round, m, cpu, ""));
  }

  interface Run {
    void run() throws Exception;
  }

  /** The server's CPU use over the measured part of {@code run}, as a share of one core. */
  private static double measureCpu(ChildProcess server, Run run) throws Exception {
    long before = server.cpuNanos();
    long start = System.nanoTime();
    run.run();
    return (server.cpuNanos() - before) / (double) (System.nanoTime() - start);
  }

  private Row print(Row row) {
    out.printf("%-9s round %d: delivered %s; latency %s; server CPU %.0f %% of a core%s%n", row.path(),
        row.round(), LoadTest.delivery(row.m(), o.clients()), LoadTest.latency(row.m()), 100 * row.cpuShare(),
        row.extra());
    return row;
  }

  private void ratios(Row ours, Row base) {
    out.printf("candlebus / baseline round %d: messages %.3fx, p50 %s, p99 %s, p99.9 %s, CPU %.2fx%n",
        ours.round(), ours.m().received() / (double) Math.max(1, base.m().received()),
        ratio(ours.m(), base.m(), 0.50), ratio(ours.m(), base.m(), 0.99), ratio(ours.m(), base.m(), 0.999),
        ours.cpuShare() / Math.max(1e-9, base.cpuShare()));
  }

  /** A latency ratio; none when either side is past the histogram's ceiling (it fell behind the feed). */
  private static String ratio(LoadMeasure a, LoadMeasure b, double p) {
    double x = a.percentile(p);
    double y = b.percentile(p);
    if (x >= LoadMeasure.CEILING_MS || y >= LoadMeasure.CEILING_MS) {
      return "n/a (" + (y >= LoadMeasure.CEILING_MS ? "baseline" : "candlebus") + " fell >= 10 s behind)";
    }
    return String.format("%.2fx", x / Math.max(0.01, y));
  }

  /** Polls {@code /ready} every 20 ms; the time from the process start to the first 200. */
  private static long awaitReady(ChildProcess gateway, int port) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      gateway.checkAlive();
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - gateway.startedNanos());
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(20); // a command, not a test: polling a child process with a deadline
    }
    throw new IllegalStateException("the gateway was not ready within 120 s: " + gateway.tail());
  }

  /** Both servers subscribed their streams at the simulator, so the feed reaches them. */
  private static void awaitSubscribed(BinanceSimulator sim, List<String> symbols, ChildProcess relay)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!sim.subscriptions().containsAll(symbols.stream().map(LoadFeed::stream).toList())) {
      relay.checkAlive();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the servers did not subscribe within 60 s: " + relay.tail());
      }
      Thread.sleep(50); // a command, not a test
    }
  }

  /** The CPUs this process may run on ({@code Cpus_allowed_list}), else 0..n-1. */
  static List<Integer> allowedCpus() {
    List<Integer> cpus = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Cpus_allowed_list:")) {
          for (String part : line.substring(line.indexOf(':') + 1).trim().split(",")) {
            String[] range = part.split("-");
            int from = Integer.parseInt(range[0].trim());
            int to = range.length > 1 ? Integer.parseInt(range[1].trim()) : from;
            for (int c = from; c <= to; c++) {
              cpus.add(c);
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      cpus.clear();
    }
    if (cpus.isEmpty()) {
      for (int c = 0; c < Runtime.getRuntime().availableProcessors(); c++) {
        cpus.add(c);
      }
    }
    return cpus;
  }

  private static String join(List<Integer> cpus) {
    return cpus.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }
}
