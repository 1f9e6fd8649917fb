package io.candlebus.capture;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real minutes of capture on the simulator (5 trades/s), 1-minute files, against an independent client of the
 * same streams: every message it got (but in the first and last second) is in the files once, as sent; each
 * row is in the file of its receive time's slice; no .tmp is left.
 */
class CaptureRunTest {
  static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT");
  static final List<String> STREAMS = List.of("trade", "aggTrade", "kline_1m", "depth5");
  @TempDir
  Path dir;
  Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  /** The Binance names of the test's streams, as the observer subscribes them. */
  static List<String> binanceNames() {
    List<String> out = new ArrayList<>();
    for (String s : SYMBOLS) {
      for (String t : STREAMS) {
        out.add(s.toLowerCase() + "@" + (t.startsWith("depth") ? t + "@100ms" : t));
      }
    }
    return out;
  }

  /** The observer's frames of one symbol's stream. */
  static List<StreamObserver.Frame> of(List<StreamObserver.Frame> frames, String symbol, String stream) {
    String name = symbol.toLowerCase() + "@" + (stream.startsWith("depth") ? stream + "@100ms" : stream);
    return frames.stream().filter(f -> f.stream().equals(name)).toList();
  }

  @Test
  @Timeout(240)
  void twoMinutesInOneMinuteFiles() throws Exception {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withRate(5));
    await(vertx.deployVerticle(sim));
    StreamObserver observer = StreamObserver.open(vertx, sim.wsBaseUrl(), binanceNames());
    Await.until(vertx, Duration.ofSeconds(10), "the observer gets frames",
        () -> Future.succeededFuture(observer.count() > 0));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long started = System.currentTimeMillis();
    int code = CaptureCommand.run(new String[] {"--symbols", String.join(",", SYMBOLS), "--streams",
        String.join(",", STREAMS), "--minutes", "2", "--rotate", "1m", "--out", dir.toString(), "--ws-url",
        sim.wsBaseUrl()}, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    long ended = System.currentTimeMillis();
    observer.close();
    String summary = out.toString(StandardCharsets.UTF_8).trim();
    System.out.println(summary + "\n" + err.toString(StandardCharsets.UTF_8));
    assertThat(code).as("exit code; stderr %s", err).isZero();
    assertThat(summary).startsWith("candlebus capture: after 2.0 min: ").contains(" 0 malformed skipped, 0 reconnects");

    assertThat(CapturedFiles.names(dir)).as("complete files only, named by their slice").isNotEmpty()
        .allMatch(n -> n.matches("[A-Z]+/[A-Za-z0-9_]+/\\d{8}T\\d{4}00Z\\.csv"), "<SYMBOL>/<stream>/<slice>.csv");
    List<StreamObserver.Frame> frames = observer.frames();
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (String symbol : SYMBOLS) {
      for (String stream : STREAMS) {
        List<CapturedFiles.Row> rows = CapturedFiles.rows(dir, symbol, stream);
        assertThat(rows).as("%s %s", symbol, stream).isNotEmpty();
        assertThat(summary).as("the summary's count of %s %s", symbol, stream)
            .containsPattern("(\\(|, )" + symbol + " " + stream + " " + rows.size() + "[,)]");
        Set<Path> files = new HashSet<>();
        long previous = Long.MIN_VALUE;
        for (CapturedFiles.Row r : rows) {
          files.add(r.file());
          assertThat(r.receiveTime()).as("receive time of a row of %s", r.file())
              .isBetween(r.sliceStart(), r.sliceStart() + 59_999).isGreaterThanOrEqualTo(previous);
          previous = r.receiveTime();
        }
        // 2 min in 1 min slices: 3 files, or 2 when the first row came just after a minute began
        assertThat(files.size()).as("%s %s: files, boundaries crossed", symbol, stream).isBetween(2, 3);
        first = Math.min(first, rows.get(0).receiveTime());
        last = Math.max(last, rows.get(rows.size() - 1).receiveTime());
      }
    }
    assertThat(first - started).as("first row after the start").isBetween(0L, 5_000L);
    assertThat(ended - last).as("last row before the end").isBetween(0L, 5_000L);
    for (String symbol : SYMBOLS) {
      for (String stream : STREAMS) {
        int matched = CapturedFiles.assertMatches(symbol, stream, CapturedFiles.rows(dir, symbol, stream),
            of(frames, symbol, stream), first + 1_000, last - 1_000);
        System.out.printf("%s %s: %d messages of the observer matched%n", symbol, stream, matched);
        assertThat(matched).as("%s %s", symbol, stream).isGreaterThan(stream.startsWith("kline") ? 30 : 400);
      }
    }
  }
}
