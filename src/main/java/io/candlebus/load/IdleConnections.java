package io.candlebus.load;

import io.candlebus.Addresses;
import io.candlebus.config.LimitSettings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code loadtest --external --idle N}: N logged-in SockJS WebSocket connections held on one gateway process,
 * each registered on {@code market.status} and pinging every 5 s like a page that shows nothing moving. Reports
 * how fast they were accepted (connections per second, handshake p50/p99) and the gateway's heap per connection:
 * its live objects (a class histogram, after a full GC) with them, minus before, over N. Bounded by the
 * open-file limit of a process, which it reports when it is lower than asked.
 */
final class IdleConnections {
  /** Descriptors a process needs besides its sockets (jars, event loops, PostgreSQL, logs). */
  static final int RESERVED_FILES = 400;
  /** Connections the command opens to the gateway besides the idle ones: its login, its /metrics polls. */
  static final int COMMAND_CONNECTIONS = 200;
  static final int CONCURRENT_HANDSHAKES = 256;

  private final PrintStream out;
  private final Vertx vertx;
  private final ChildProcess gateway;
  private final int port;
  private final String cookie;

  IdleConnections(PrintStream out, Vertx vertx, ChildProcess gateway, int port, String cookie) {
    this.out = out;
    this.vertx = vertx;
    this.gateway = gateway;
    this.port = port;
    this.cookie = cookie;
  }

  void run(int wanted, int holdSeconds) throws Exception {
    long limit = openFileLimit();
    int n = wanted;
    // the gateway, a child with the same limit, admits connections up to its limit less its own files
    long most = limit - Math.max(RESERVED_FILES, LimitSettings.RESERVED_FILES + COMMAND_CONNECTIONS);
    if (limit > 0 && wanted > most) {
      n = (int) most;
      out.printf("idle: the open-file limit here is %d per process (hard; raising it needs CAP_SYS_RESOURCE), and "
          + "a gateway admits at most that less %d connections (http.max.connections 0): holding %d, not %d%n",
          limit, LimitSettings.RESERVED_FILES, n, wanted);
    }
    long pid = gateway.process().pid();
    long heapBefore = liveHeapKb(pid);
    LoadClients clients = new LoadClients(vertx, n);
    AtomicLongArray handshakeNanos = new AtomicLongArray(n);
    long start = System.nanoTime();
    connect(clients, n, handshakeNanos).await(600, TimeUnit.SECONDS);
    long acceptNanos = System.nanoTime() - start;
    awaitSockets(n);
    long[] sorted = new long[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = handshakeNanos.get(i);
    }
    java.util.Arrays.sort(sorted);
    out.printf("idle: %d connections accepted in %.1f s (%.0f/s, %d handshakes at a time); handshake p50 %.2f ms, "
        + "p99 %.2f ms, max %.2f ms%n", n, acceptNanos / 1e9, n / (acceptNanos / 1e9), CONCURRENT_HANDSHAKES,
        sorted[n / 2] / 1e6, sorted[(int) Math.min(n - 1, Math.ceil(0.99 * n) - 1)] / 1e6, sorted[n - 1] / 1e6);
    // past the bridge's 30 s ping timeout: the connections are kept, not just opened
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(holdSeconds);
    while (System.nanoTime() < until) {
      gateway.checkAlive();
      Thread.sleep(500); // a command, not a test: holding the connections open for a while
    }
    int held = sockets();
    long heapWith = liveHeapKb(pid);
    out.printf("idle: %d of %d connections still open after %d s; gateway live heap %d KB -> %d KB: "
        + "%.2f KB per connection; RSS %d MB%n", held, n, holdSeconds, heapBefore, heapWith,
        (heapWith - heapBefore) / (double) n, rssKb(pid) / 1024);
    clients.close().await(120, TimeUnit.SECONDS);
  }

  /** Opens {@code n} connections, {@link #CONCURRENT_HANDSHAKES} at a time, timing each handshake. */
  private Future<Void> connect(LoadClients clients, int n, AtomicLongArray handshakeNanos) {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Promise<Void> all = Promise.promise();
    List<String> status = List.of(Addresses.MARKET_STATUS);
    Runnable[] chain = new Runnable[1];
    chain[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= n) {
        return;
      }
      long t0 = System.nanoTime();
      clients.bridge(LoadClients.bridgeOptions(port, cookie, "idle" + i), status, frame -> {})
          .onSuccess(ws -> {
            handshakeNanos.set(i, System.nanoTime() - t0);
            if (done.incrementAndGet() == n) {
              all.tryComplete();
            }
            chain[0].run();
          })
          .onFailure(all::tryFail);
    };
    for (int k = 0; k < Math.min(n, CONCURRENT_HANDSHAKES); k++) {
      chain[0].run();
    }
    return all.future();
  }

  /** Waits until the gateway counts {@code n} bridge sockets (its gauge), at most 60 s. */
  private void awaitSockets(int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int seen;
    while ((seen = sockets()) < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the gateway holds " + seen + " bridge sockets, not " + n);
      }
      Thread.sleep(100); // a command, not a test: polling with a deadline
    }
  }

  private int sockets() throws Exception {
    return (int) LoadTest.metric(port, cookie, "candlebus_bridge_sockets");
  }

  /** The bytes of the live objects of a JVM (its class histogram, which runs a full GC first), in KB. */
  static long liveHeapKb(long pid) throws IOException, InterruptedException {
    String histogram = jcmd(pid, "GC.class_histogram");
    Matcher m = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$").matcher(histogram);
    if (!m.find()) {
      throw new IllegalStateException("no total in jcmd's class histogram: "
          + histogram.substring(Math.max(0, histogram.length() - 300)));
    }
    return Long.parseLong(m.group(1)) / 1024;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        String.valueOf(pid), command).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes());
    p.waitFor(60, TimeUnit.SECONDS);
    return text;
  }

  private static long rssKb(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
        .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1);
  }

  /** This process's hard limit of open files (the JVM raises its soft limit to it), -1 if unknown. */
  static long openFileLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String[] f = line.trim().split("\\s+");
          return f[4].equals("unlimited") ? -1 : Long.parseLong(f[4]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
