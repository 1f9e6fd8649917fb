package io.candlebus.capture;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * capture in its own JVM ({@code java -cp <test classpath> io.candlebus.Main capture ...}) killed with SIGKILL
 * after ~10 s: its .tmp files hold every message the test's own client got more than a second before the kill,
 * each once; the next capture into the directory keeps them as .partial.csv.
 */
class CaptureKillTest {
  @TempDir
  Path dir;
  Vertx vertx = Vertx.vertx();
  Process child;

  @AfterEach
  void stop() throws InterruptedException {
    if (child != null && child.isAlive()) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    await(vertx.close());
  }

  @Test
  @Timeout(120)
  void aKilledCaptureLosesAtMostItsLastSecond() throws Exception {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withRate(5));
    await(vertx.deployVerticle(sim));
    StreamObserver observer = StreamObserver.open(vertx, sim.wsBaseUrl(), CaptureRunTest.binanceNames());
    Path out = dir.resolve("out");
    Path log = dir.resolve("child.log");
    child = startChild(sim, out, log);

    Await.until(vertx, Duration.ofSeconds(30), "the child writes rows", () -> firstRow(out) > 0 ? ok() : no());
    long first = firstRow(out);
    Await.until(vertx, Duration.ofSeconds(20), "10 s of capture", () -> Future.succeededFuture(
        System.currentTimeMillis() - first >= 10_000 && child.isAlive()));
    long killedAt = System.currentTimeMillis();
    child.destroyForcibly(); // SIGKILL: no shutdown hook, no signal handler, nothing completed
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    observer.close();

    List<String> names = CapturedFiles.names(out);
    System.out.println(names + "\n" + Files.readString(log));
    assertThat(names).as("open files stay .tmp").anyMatch(n -> n.endsWith(".csv.tmp"));
    List<StreamObserver.Frame> frames = observer.frames();
    for (String symbol : CaptureRunTest.SYMBOLS) {
      for (String stream : CaptureRunTest.STREAMS) {
        int matched = CapturedFiles.assertMatches(symbol, stream, CapturedFiles.rows(out, symbol, stream),
            CaptureRunTest.of(frames, symbol, stream), first + 1_000, killedAt - 1_000);
        System.out.printf("%s %s: %d messages of the observer matched%n", symbol, stream, matched);
        assertThat(matched).as("%s %s", symbol, stream).isGreaterThan(stream.startsWith("kline") ? 2 : 30);
      }
    }

    // the next capture keeps what the killed one left, under partial names, and writes new files beside them
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = CaptureCommand.run(new String[] {"--symbols", "BTCUSDT", "--streams", "trade", "--minutes", "0.05",
        "--out", out.toString(), "--ws-url", sim.wsBaseUrl()}, Map.of(), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isZero();
    List<String> after = CapturedFiles.names(out);
    assertThat(after).noneMatch(n -> n.endsWith(".tmp"));
    for (String n : names) {
      if (n.endsWith(".csv.tmp")) {
        String partial = n.substring(0, n.length() - ".csv.tmp".length()) + ".partial.csv";
        assertThat(after).contains(partial);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("kept as " + Path.of(partial).getFileName());
      }
    }
  }

  @Test
  @Timeout(60)
  void sigtermCompletesTheFilesAndExitsZero() throws Exception {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withRate(5));
    await(vertx.deployVerticle(sim));
    Path out = dir.resolve("out");
    Path log = dir.resolve("child.log");
    child = startChild(sim, out, log);
    // every stream has a file once each has had a message (ETHUSDT's first trade may come seconds after BTCUSDT's)
    Await.until(vertx, Duration.ofSeconds(30), "a row of every stream", () -> streamsWithRows(out)
        == CaptureRunTest.SYMBOLS.size() * CaptureRunTest.STREAMS.size() ? ok() : no());
    child.destroy(); // SIGTERM
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String printed = Files.readString(log);
    assertThat(child.exitValue()).as(printed).isZero();
    assertThat(printed).containsPattern("candlebus capture: stopped by SIGTERM: \\d+ messages \\(BTCUSDT trade \\d+, ");
    assertThat(CapturedFiles.names(out)).hasSizeGreaterThanOrEqualTo(8).allMatch(n -> n.endsWith("Z.csv"));
    assertThat(firstRow(out)).isPositive();
  }

  /** {@code capture} of the test's streams from {@code sim} into {@code out}, in a JVM of its own. */
  private static Process startChild(BinanceSimulator sim, Path out, Path log) throws IOException {
    return new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), "io.candlebus.Main", "capture", "--symbols",
        String.join(",", CaptureRunTest.SYMBOLS), "--streams", String.join(",", CaptureRunTest.STREAMS), "--out",
        out.toString(), "--ws-url", sim.wsBaseUrl()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** The receive time of the first row of all of the child's files, 0 while there is none. */
  private static long firstRow(Path out) {
    try {
      long first = Long.MAX_VALUE;
      for (String symbol : CaptureRunTest.SYMBOLS) {
        for (String stream : CaptureRunTest.STREAMS) {
          for (CapturedFiles.Row r : CapturedFiles.rows(out, symbol, stream)) {
            first = Math.min(first, r.receiveTime());
          }
        }
      }
      return first == Long.MAX_VALUE ? 0 : first;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int streamsWithRows(Path out) {
    int n = 0;
    try {
      for (String symbol : CaptureRunTest.SYMBOLS) {
        for (String stream : CaptureRunTest.STREAMS) {
          n += CapturedFiles.rows(out, symbol, stream).isEmpty() ? 0 : 1;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }

  private static Future<Boolean> ok() {
    return Future.succeededFuture(true);
  }

  private static Future<Boolean> no() {
    return Future.succeededFuture(false);
  }
}
