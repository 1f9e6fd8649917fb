package io.candlebus.capture;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.MalformedFrames;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * capture on the simulator through bad frames ({@code /sim/malformed}) and a dropped connection, with pings every
 * 300 ms and a 1.5 s pong deadline: it skips and counts the bad frames, reconnects (saying so) and keeps writing,
 * and its pongs keep the connection open.
 */
class CaptureResilienceTest {
  private static final List<String> STREAMS = List.of("trade", "aggTrade", "kline_1m", "depth5");
  @TempDir
  Path dir;
  Vertx vertx;
  BinanceSimulator sim;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT").withRate(5)
        .withPingIntervalMs(300).withPongTimeoutMs(1_500));
    await(vertx.deployVerticle(sim));
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  @Timeout(120)
  void skipsMalformedFramesReconnectsAndAnswersPings() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long started = System.currentTimeMillis();
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> CaptureCommand.run(new String[] {
        "--symbols", "BTCUSDT", "--streams", String.join(",", STREAMS), "--out", dir.toString(),
        "--minutes", "0.4", "--ws-url", sim.wsBaseUrl()}, Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));

    Await.until(vertx, Duration.ofSeconds(15), "capture writes trades", () -> rowsAfter(started));
    int injected = 2 * MalformedFrames.kinds();
    long injectedAt = System.currentTimeMillis();
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sim.restBaseUrl()
        + "/sim/malformed?count=" + injected + "&seed=7")).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Await.until(vertx, Duration.ofSeconds(10), "trades after the bad frames", () -> rowsAfter(injectedAt + 1000));

    assertThat(await(sim.dropAll())).isEqualTo(1);
    long droppedAt = System.currentTimeMillis();
    Await.until(vertx, Duration.ofSeconds(10), "trades after the reconnect", () -> rowsAfter(droppedAt + 1000));

    assertThat(run.get(60, TimeUnit.SECONDS)).as("exit code; stderr %s", err).isZero();
    String summary = out.toString(StandardCharsets.UTF_8).trim();
    String stderr = err.toString(StandardCharsets.UTF_8);
    System.out.println(summary + "\n" + stderr);

    // every frame without an envelope is bad for a combined stream, but replies to requests are ignored
    long surelyBad = MalformedFrames.generate(injected, 7).stream()
        .filter(f -> !f.startsWith("{\"stream\"") && !f.startsWith("{\"result\"")).count();
    Matcher m = Pattern.compile(", (\\d+) malformed skipped, (\\d+) reconnects, ").matcher(summary);
    assertThat(m.find()).as(summary).isTrue();
    assertThat(Long.parseLong(m.group(1))).isBetween(surelyBad, (long) injected);
    assertThat(m.group(2)).isEqualTo("1");
    assertThat(stderr).contains("skipped a malformed frame", "reconnecting in", "is open again");

    assertThat(sim.stats().connectionAttempts()).as("one connection, one reconnect").isEqualTo(2);
    assertThat(sim.stats().pongTimeoutCloses()).isZero();
    assertThat(sim.pongsReceived()).as("pongs for ~80 pings").isGreaterThan(20);

    // no row came from a bad frame (they have 2024 times), but for well-formed klines of our stream whose values
    // make no sense (closing before they open, high below low): capture checks form, not plausibility
    List<String> wellFormedKlines = MalformedFrames.generate(injected, 7).stream()
        .filter(f -> f.startsWith("{\"stream\":\"btcusdt@kline_1m\"")).toList();
    for (String stream : STREAMS) {
      List<CapturedFiles.Row> rows = CapturedFiles.rows(dir, "BTCUSDT", stream);
      assertThat(rows).as(stream).isNotEmpty();
      for (CapturedFiles.Row row : rows) {
        if (stream.equals("depth5")) {
          continue;
        }
        assertThat(row.cells().get(1)).as("s of %s", row).isEqualTo("BTCUSDT");
        String e = row.cells().get(0);
        if (Long.parseLong(e) < started - 60_000) {
          assertThat(stream).as("a row from a bad frame: %s", row).isEqualTo("kline_1m");
          assertThat(wellFormedKlines).as("a kline row from a bad frame: %s", row)
              .anyMatch(f -> f.contains("\"E\":" + e + ",") && f.contains("\"o\":\"" + row.cells().get(7)));
        }
      }
    }
    assertThat(CapturedFiles.names(dir)).allMatch(n -> n.endsWith(".csv") && !n.endsWith(".partial.csv"));
  }

  private Future<Boolean> rowsAfter(long time) {
    try {
      return Future.succeededFuture(CapturedFiles.rows(dir, "BTCUSDT", "aggTrade").stream()
          .anyMatch(r -> r.receiveTime() > time));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
