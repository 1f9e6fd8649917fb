package io.candlebus.web;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.config.LimitSettings;
import io.candlebus.testing.Await;
import io.candlebus.testing.GatewayFixture;
import io.candlebus.testing.HttpSession;
import io.candlebus.testing.SockJsClient;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One client that never logged in cannot take a node down: silent, slow-header and slow-body connections are
 * closed at their deadlines and counted, one address holds at most its cap however many it opens, and the node as
 * a whole at most its own. Timings have generous slack (two cores shared with other runs), counts are exact.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConnectionLimitsTest {
  /** Linux routes all of 127/8 to loopback: a flood from here is "another address" than the checks' 127.0.0.1. */
  private static final String FLOODER = "127.0.0.2";
  private static final String CHECKER = "127.0.0.1";
  /** How late a close may come on a loaded box: this is no bound on the gateway, it only ends a failing test. */
  private static final long SLACK_MS = 10_000;

  @Test
  void aConnectionThatSendsNothingIsClosedAtTheHeaderTimeoutAndCounted(Vertx vertx) throws Exception {
    try (GatewayFixture f = GatewayFixture.aGateway(vertx).with("CANDLEBUS_HTTP_IDLE_TIMEOUT_MS", "1500")
        .with("CANDLEBUS_HTTP_HEADER_TIMEOUT_MS", "1000").start();
        Socket silent = connect(CHECKER, f.port())) {
      long opened = System.nanoTime();
      until(vertx, "the silent connection is counted open", () -> open(f) == 1);
      long closedMs = msUntilClosed(silent, opened, null);
      System.out.printf("silent: closed after %d ms%n", closedMs);
      assertThat(closedMs).isBetween(900L, 1000 + SLACK_MS);
      until(vertx, "it is counted closed", () -> open(f) == 0);
      assertThat(refused(f, Refusal.HTTP_HEADER_TIMEOUT)).isEqualTo(1);
    }
  }

  @Test
  void theIdleTimeoutClosesAConnectionSilentAfterItsResponse(Vertx vertx) throws Exception {
    try (GatewayFixture f = GatewayFixture.aGateway(vertx).with("CANDLEBUS_HTTP_IDLE_TIMEOUT_MS", "1500")
        .with("CANDLEBUS_HTTP_HEADER_TIMEOUT_MS", "60000").start();
        Socket s = connect(CHECKER, f.port())) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      assertThat(exchange(s, in, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo(200);
      long closedMs = msUntilClosed(s, System.nanoTime(), null);
      System.out.printf("idle after a response: closed after %d ms%n", closedMs);
      assertThat(closedMs).isBetween(1400L, 1500 + SLACK_MS);
      until(vertx, "it is counted closed", () -> open(f) == 0);
      assertThat(refused(f, Refusal.HTTP_HEADER_TIMEOUT)).isZero(); // idle is no refusal: nothing was asked
    }
  }

  @Test
  void slowHeadersAreClosedAtTheHeaderTimeoutWhileAKeepAliveClientIsNot(Vertx vertx) throws Exception {
    try (GatewayFixture f = GatewayFixture.aGateway(vertx).with("CANDLEBUS_HTTP_HEADER_TIMEOUT_MS", "1000").start();
        Socket slow = connect(CHECKER, f.port());
        Socket keepAlive = connect(CHECKER, f.port())) {
      AtomicBoolean slowClosed = new AtomicBoolean();
      CompletableFuture<Integer> backToBack = CompletableFuture.supplyAsync(() ->
          requestsUntil(keepAlive, slowClosed, Duration.ofMillis(2_500)));
      long opened = System.nanoTime();
      OutputStream out = slow.getOutputStream();
      out.write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      // a header line each time 300 ms pass with nothing from the server, never the blank line that ends them
      long closedMs = msUntilClosed(slow, opened, () -> write(out, "X-Slow: loris\r\n"));
      slowClosed.set(true);
      int requests = backToBack.get(60, TimeUnit.SECONDS);
      System.out.printf("slow headers: closed after %d ms; %d requests back to back meanwhile%n", closedMs,
          requests);
      assertThat(closedMs).isBetween(900L, 1000 + SLACK_MS);
      assertThat(requests).as("answered on the one keep-alive connection").isGreaterThan(1);
      assertThat(refused(f, Refusal.HTTP_HEADER_TIMEOUT)).isEqualTo(1);
    }
  }

  @Test
  void aSlowBodyIsAnswered408AtTheBodyTimeoutAndCounted(Vertx vertx) throws Exception {
    try (GatewayFixture f = GatewayFixture.aGateway(vertx).with("CANDLEBUS_HTTP_BODY_TIMEOUT_MS", "1000").start();
        Socket s = connect(CHECKER, f.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("POST /api/login HTTP/1.1\r\nHost: x\r\nOrigin: " + f.origin() + "\r\nContent-Type: "
          + "application/json\r\nContent-Length: 16000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
      long headers = System.nanoTime();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      // a byte each time 200 ms pass with nothing from the server
      long closedMs = msUntilClosed(s, headers, () -> write(out, " "), answer);
      assertThat(closedMs).isBetween(900L, 1000 + SLACK_MS);
      String text = answer.toString(StandardCharsets.US_ASCII);
      System.out.printf("slow body: closed after %d ms, answered %s%n", closedMs,
          text.isEmpty() ? "nothing" : text.lines().findFirst().orElse(""));
      // the 408 is sent before the close; a reset may still lose it, which the brief allows
      if (!text.isEmpty()) {
        assertThat(text).startsWith("HTTP/1.1 408").containsIgnoringCase("connection: close").contains("\"error\"");
      }
      assertThat(refused(f, Refusal.HTTP_BODY_TIMEOUT)).isEqualTo(1);
      until(vertx, "it is counted closed", () -> open(f) == 0);
    }
  }

  @Test
  void twentyThousandConnectionsFromOneAddressLeaveHealthAnswering(Vertx vertx) throws Exception {
    int cap = LimitSettings.DEFAULT_HTTP_MAX_CONNECTIONS_PER_ADDRESS;
    int attempts = 20_000;
    // the held connections stay for the whole test: no deadline frees them
    try (GatewayFixture f = GatewayFixture.aGateway(vertx).with("CANDLEBUS_HTTP_IDLE_TIMEOUT_MS", "120000")
        .with("CANDLEBUS_HTTP_HEADER_TIMEOUT_MS", "120000").start()) {
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < cap; i++) {
          held.add(connect(FLOODER, f.port()));
        }
        until(vertx, "the address's cap is held", () -> open(f) == cap);
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Integer> health = CompletableFuture.supplyAsync(() -> {
          int answered = 0;
          while (!done.get()) {
            assertThat(healthFromNewConnection(f.port())).as("GET /health during the flood").isEqualTo(200);
            answered++;
            // one checker connection at a time, so that the bound below is exact
            until(vertx, "the checker's connection is counted closed", () -> open(f) == cap);
          }
          return answered;
        });
        long start = System.nanoTime();
        Flood flood = flood(FLOODER, f.port(), attempts, 2_000, Duration.ofSeconds(60), () -> open(f));
        done.set(true);
        int answered = health.get(60, TimeUnit.SECONDS);
        System.out.printf("flood: %d attempts in %d ms, %d /health answered meanwhile, at most %d open%n",
            attempts, (System.nanoTime() - start) / 1_000_000, answered, flood.maxOpen);
        assertThat(flood.failed).as("connects that failed").isZero();
        assertThat(flood.closedByServer).as("closed by the server").isEqualTo(attempts);
        assertThat(refused(f, Refusal.HTTP_CONNECTIONS_PER_ADDRESS)).isEqualTo(attempts);
        assertThat(answered).isPositive();
        // the held ones and the checker's one: no connection of the flood was ever held
        assertThat(flood.maxOpen).isLessThanOrEqualTo(cap + 1);
        assertThat(held).allSatisfy(s -> assertThat(stillOpen(s)).isTrue());
        assertThat(refused(f, Refusal.HTTP_CONNECTIONS)).isZero();
      } finally {
        closeAll(held);
      }
      until(vertx, "the held connections are counted closed", () -> open(f) == 0);
    }
  }

  @Test
  void theNodeHoldsAtMostItsCapAndServesAgainOnceTheFloodIsGone(Vertx vertx) throws Exception {
    int cap = 300;
    int attempts = 2_000;
    try (GatewayFixture f = GatewayFixture.aGateway(vertx).with("CANDLEBUS_HTTP_MAX_CONNECTIONS", String.valueOf(cap))
        .with("CANDLEBUS_HTTP_MAX_CONNECTIONS_PER_ADDRESS", "0").with("CANDLEBUS_HTTP_IDLE_TIMEOUT_MS", "120000")
        .with("CANDLEBUS_HTTP_HEADER_TIMEOUT_MS", "120000").start()) {
      until(vertx, "nothing open", () -> open(f) == 0);
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < cap; i++) {
          held.add(connect(FLOODER, f.port()));
        }
        until(vertx, "the node's cap is held", () -> open(f) == cap);
        long start = System.nanoTime();
        Flood flood = flood(FLOODER, f.port(), attempts, 1_000, Duration.ofSeconds(60), () -> open(f));
        System.out.printf("flood: %d attempts in %d ms, at most %d open%n", attempts,
            (System.nanoTime() - start) / 1_000_000, flood.maxOpen);
        assertThat(flood.failed).isZero();
        assertThat(flood.closedByServer).isEqualTo(attempts);
        assertThat(flood.maxOpen).isLessThanOrEqualTo(cap);
        assertThat(refused(f, Refusal.HTTP_CONNECTIONS)).isEqualTo(attempts);
        assertThat(healthFromNewConnection(f.port())).as("/health while full: refused too").isEqualTo(-1);
        assertThat(refused(f, Refusal.HTTP_CONNECTIONS)).isEqualTo(attempts + 1);
        assertThat(refused(f, Refusal.HTTP_CONNECTIONS_PER_ADDRESS)).isZero();
      } finally {
        closeAll(held);
      }
      until(vertx, "the flood's connections are counted closed", () -> open(f) == 0);
      assertThat(healthFromNewConnection(f.port())).isEqualTo(200);
    }
  }

  @Test
  void aBridgeWebSocketOutlivesTheRequestDeadlinesAndIsUncountedWhenItCloses(Vertx vertx) throws Exception {
    try (GatewayFixture f = GatewayFixture.aGateway(vertx).with("CANDLEBUS_HTTP_HEADER_TIMEOUT_MS", "1000")
        .with("CANDLEBUS_HTTP_BODY_TIMEOUT_MS", "1000").withUsers("alice").start()) {
      HttpSession alice = f.login("alice");
      SockJsClient browser = f.socket(alice);
      until(vertx, "the socket is open", browser::opened);
      // the WebSocket and the login's kept-alive connection (the idle timeout's, a minute by default)
      int open = open(f);
      assertThat(open).isBetween(1, 2);
      await(vertx.timer(2_500)); // past both deadlines, a part of the scenario
      assertThat(browser.closed()).isFalse();
      assertThat(open(f)).isEqualTo(open);
      await(browser.close());
      until(vertx, "the closed WebSocket is counted closed", () -> open(f) == open - 1);
    }
  }

  private static int open(GatewayFixture f) {
    Gauge g = f.registry().find(ConnectionCounts.GAUGE).gauge();
    return g == null ? 0 : (int) g.value();
  }

  private static long refused(GatewayFixture f, Refusal r) {
    return (long) f.count(Refusal.METER, "limit", r.label());
  }

  private static void until(Vertx vertx, String what, BooleanSupplier check) {
    Await.until(vertx, Duration.ofSeconds(30), what, () -> Future.succeededFuture(check.getAsBoolean()));
  }

  private static Socket connect(String from, int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(from, 0));
    s.connect(new InetSocketAddress(CHECKER, port), 10_000);
    return s;
  }

  private static long msUntilClosed(Socket s, long sinceNanos, Runnable onQuiet) throws IOException {
    return msUntilClosed(s, sinceNanos, onQuiet, new ByteArrayOutputStream());
  }

  /**
   * Reads until the server closes {@code s}, running {@code onQuiet} each time 200 ms pass with nothing read;
   * returns the ms from {@code sinceNanos} to the close. Fails after {@link #SLACK_MS} more than any deadline here.
   */
  private static long msUntilClosed(Socket s, long sinceNanos, Runnable onQuiet, ByteArrayOutputStream read)
      throws IOException {
    s.setSoTimeout(onQuiet == null ? (int) (2 * SLACK_MS) : 200);
    long give = sinceNanos + TimeUnit.MILLISECONDS.toNanos(2 * SLACK_MS);
    byte[] buf = new byte[1024];
    while (System.nanoTime() < give) {
      try {
        int n = s.getInputStream().read(buf);
        if (n < 0) {
          break;
        }
        read.write(buf, 0, n);
      } catch (SocketTimeoutException quiet) {
        if (onQuiet != null) {
          onQuiet.run();
        }
      } catch (SocketException reset) {
        break;
      }
    }
    return (System.nanoTime() - sinceNanos) / 1_000_000;
  }

  private static void write(OutputStream out, String text) {
    try {
      out.write(text.getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException closed) {
      // the server closed it: the next read says so
    }
  }

  /** {@code GET /health} back to back on one connection until {@code stop} and then {@code atLeast} have passed. */
  private static int requestsUntil(Socket s, AtomicBoolean stop, Duration atLeast) {
    long end = System.nanoTime() + atLeast.toNanos();
    int n = 0;
    try {
      InputStream in = new BufferedInputStream(s.getInputStream());
      while (!stop.get() || System.nanoTime() < end) {
        int status = exchange(s, in, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        if (status != 200) {
          throw new AssertionError("request " + (n + 1) + " on the keep-alive connection: " + status);
        }
        n++;
      }
    } catch (IOException e) {
      throw new AssertionError("the keep-alive connection failed after " + n + " requests: " + e, e);
    }
    return n;
  }

  /** A request on {@code s} and its response read whole; its status, -1 if the server closed instead. */
  private static int exchange(Socket s, InputStream in, String request) throws IOException {
    s.setSoTimeout((int) SLACK_MS);
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    String status = line(in);
    if (status == null) {
      return -1;
    }
    int length = 0;
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(h.substring(15).trim());
      }
    }
    in.readNBytes(length);
    return Integer.parseInt(status.split(" ")[1]);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        return b.isEmpty() ? null : b.toString();
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  /** {@code GET /health} on a new connection from {@link #CHECKER}: its status, -1 if closed unanswered. */
  private static int healthFromNewConnection(int port) {
    try (Socket s = connect(CHECKER, port)) {
      return exchange(s, new BufferedInputStream(s.getInputStream()),
          "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    } catch (SocketException reset) {
      return -1;
    } catch (IOException e) {
      throw new AssertionError("GET /health: " + e, e);
    }
  }

  private static boolean stillOpen(Socket s) {
    try {
      s.setSoTimeout(1);
      return s.getInputStream().read() >= 0;
    } catch (SocketTimeoutException nothingToRead) {
      return true;
    } catch (IOException closed) {
      return false;
    }
  }

  private static void closeAll(List<Socket> sockets) {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private record Flood(int closedByServer, int failed, int maxOpen) {}

  /**
   * {@code attempts} connections from {@code from}, at most {@code outstanding} open here at once (this JVM has
   * 20 000 files for the test and the gateway together): each is closed here once the server has closed it.
   * {@code serverOpen} is sampled as it goes.
   */
  private static Flood flood(String from, int port, int attempts, int outstanding, Duration within,
      IntSupplier serverOpen) throws IOException {
    InetSocketAddress target = new InetSocketAddress(CHECKER, port);
    long deadline = System.nanoTime() + within.toNanos();
    int started = 0;
    int closedByServer = 0;
    int failed = 0;
    int maxOpen = 0;
    ByteBuffer buf = ByteBuffer.allocate(256);
    try (Selector selector = Selector.open()) {
      while (closedByServer + failed < attempts) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("flood: " + closedByServer + " of " + attempts + " closed by the server, "
              + failed + " failed, within " + within);
        }
        while (selector.keys().size() < outstanding && started < attempts) {
          SocketChannel ch = SocketChannel.open();
          ch.configureBlocking(false);
          ch.bind(new InetSocketAddress(from, 0));
          ch.register(selector, ch.connect(target) ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT);
          started++;
        }
        selector.select(100);
        maxOpen = Math.max(maxOpen, serverOpen.getAsInt());
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
          SelectionKey k = it.next();
          it.remove();
          SocketChannel ch = (SocketChannel) k.channel();
          if (k.isConnectable()) {
            try {
              ch.finishConnect();
              k.interestOps(SelectionKey.OP_READ);
            } catch (IOException e) {
              failed++;
              ch.close();
            }
            continue;
          }
          try {
            buf.clear();
            if (ch.read(buf) >= 0) {
              continue; // the server wrote something before closing: read on
            }
          } catch (IOException reset) {
            // closed by the server all the same
          }
          closedByServer++;
          ch.close();
        }
      }
      for (SelectionKey k : selector.keys()) {
        k.channel().close();
      }
    }
    return new Flood(closedByServer, failed, maxOpen);
  }
}
