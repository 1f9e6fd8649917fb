package io.candlebus.simulator;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Test-side HTTP and WebSocket access to a running simulator, over real sockets on 127.0.0.1. */
final class SimClient {
  static final long TIMEOUT_S = 20;

  record Response(int status, MultiMap headers, String body) {
    int weight() {
      return Integer.parseInt(headers.get(RestApi.WEIGHT_HEADER));
    }
  }

  /** An open stream connection: its text frames, ping payloads and close in arrival order. */
  static final class Ws {
    final WebSocket socket;
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final List<Long> pingNanos = new CopyOnWriteArrayList<>();
    volatile boolean closed;
    volatile Short closeCode;
    volatile long closedNanos;

    Ws(WebSocket socket) {
      this.socket = socket;
      socket.textMessageHandler(texts::add);
      socket.frameHandler(f -> {
        if (f.type() == WebSocketFrameType.PING) {
          pingNanos.add(System.nanoTime());
        }
      });
      socket.closeHandler(v -> {
        closeCode = socket.closeStatusCode();
        closedNanos = System.nanoTime();
        closed = true;
      });
    }

    void send(String text) {
      await(socket.writeTextMessage(text));
    }

    /** The next text frame; fails the test when none comes in time. */
    String next() throws InterruptedException {
      String s = texts.poll(TIMEOUT_S, TimeUnit.SECONDS);
      if (s == null) {
        throw new AssertionError("no frame within " + TIMEOUT_S + " s");
      }
      return s;
    }

    /** The next frame matching {@code p}, skipping others. */
    JsonObject nextMatching(Predicate<JsonObject> p) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
      while (System.nanoTime() < deadline) {
        String s = texts.poll(100, TimeUnit.MILLISECONDS);
        if (s != null && p.test(new JsonObject(s))) {
          return new JsonObject(s);
        }
      }
      throw new AssertionError("no matching frame within " + TIMEOUT_S + " s");
    }

    void close() {
      if (!closed) {
        await(socket.close());
      }
    }
  }

  private final Vertx vertx;
  private final int port;
  private final HttpClient http;
  private final WebSocketClient ws;

  SimClient(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(TIMEOUT_S)).build();
    this.ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 24));
  }

  /** A GET with the JDK's blocking client: the Vert.x side under test is the server only. */
  Response get(String uri) {
    return send("GET", uri);
  }

  /** A POST with an empty body, as the /sim control routes take their parameters in the query. */
  Response post(String uri) {
    return send("POST", uri);
  }

  private Response send(String method, String uri) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri))
          .timeout(Duration.ofSeconds(TIMEOUT_S)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      r.headers().map().forEach(headers::add);
      return new Response(r.statusCode(), headers, r.body());
    } catch (IOException e) {
      throw new AssertionError(method + " " + uri + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  Ws connect(String uri) {
    // handlers are set on the event loop as the connect completes: set later from this thread, the first frames
    // could arrive with no handler and be lost
    return await(ws.connect(port, "127.0.0.1", uri).map(Ws::new));
  }

  static BinanceSimulator deploy(Vertx vertx, SimulatorOptions options) {
    BinanceSimulator sim = new BinanceSimulator(options);
    await(vertx.deployVerticle(sim));
    return sim;
  }

  /** The future's result, waiting at most the test timeout (tests run on the JUnit thread, never an event loop). */
  static <T> T await(Future<T> f) {
    try {
      return f.await(TIMEOUT_S, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out after " + TIMEOUT_S + " s", e);
    }
  }

  /** Polls {@code condition} until it holds; fails after the timeout. Not a sleep: it returns as soon as true. */
  static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      TimeUnit.MILLISECONDS.sleep(10);  // poll interval of a deadline-bounded poll, not a synchronisation
    }
  }
}
