package io.candlebus.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Archive mode (official 1m zips behind /api/v3/klines) and replay mode (recorded frames to subscribers). */
@ExtendWith(VertxExtension.class)
class ArchiveAndReplayTest {
  private static final Path REAL = Path.of(System.getProperty("candlebus.shared", "../shared"))
      .resolve("data/binance-real");
  private static final long JAN_1 = 1_577_836_800_000L;  // 2020-01-01T00:00Z
  private static final long JAN_4 = JAN_1 + 3 * 86_400_000L;

  @Test
  void archiveRowsAreServedAsTheyAreAndHigherIntervalsDerived(Vertx vertx) throws Exception {
    BinanceSimulator sim = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols("BTCUSDT")
        .withStartTime(JAN_4).withHistoryMinutes(1)
        .withKlineArchiveDir(REAL.resolve("binance_vision_BTCUSDT_1m_2020-01-01_03")));
    SimClient client = new SimClient(vertx, sim.port());
    List<String[]> csv = readCsv(REAL.resolve("binance_vision_BTCUSDT_1m_2020-01-01_03/BTCUSDT-1m-2020-01-01.zip"));
    assertThat(csv).hasSize(1440);
    JsonArray rows = new JsonArray();
    for (long from = JAN_1; rows.size() < 1440; from += 1000 * 60_000L) {
      rows.addAll(new JsonArray(client.get("/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1000&startTime=" + from
          + "&endTime=" + (JAN_1 + 86_399_999L)).body()));
    }
    assertThat(rows).hasSize(1440);
    for (int i = 0; i < 1440; i++) {
      JsonArray r = rows.getJsonArray(i);
      String[] c = csv.get(i);
      for (int col = 0; col < 12; col++) {
        assertThat(String.valueOf(r.getValue(col))).as("row %d column %d", i, col).isEqualTo(c[col]);
      }
    }
    JsonArray day = new JsonArray(client.get("/api/v3/klines?symbol=BTCUSDT&interval=1d&startTime=" + JAN_1).body());
    assertThat(day).hasSize(3);
    JsonArray d1 = day.getJsonArray(0);
    assertThat(d1.getLong(0)).isEqualTo(JAN_1);
    assertThat(d1.getLong(6)).isEqualTo(JAN_1 + 86_399_999L);
    assertThat(new BigDecimal(d1.getString(1))).isEqualByComparingTo("7195.24");
    assertThat(new BigDecimal(d1.getString(2))).isEqualByComparingTo("7255");
    assertThat(new BigDecimal(d1.getString(3))).isEqualByComparingTo("7175.15");
    assertThat(new BigDecimal(d1.getString(4))).isEqualByComparingTo("7200.85");
    assertThat(new BigDecimal(d1.getString(5))).isEqualByComparingTo("16792.388165");
    assertThat(d1.getLong(8)).isEqualTo(csv.stream().mapToLong(c -> Long.parseLong(c[8])).sum());
    assertThat(new JsonArray(client.get("/api/v3/klines?symbol=BTCUSDT&interval=1h&limit=1000").body()))
        .hasSize(72);
    // with no window: the most recent archived bars
    JsonArray last = new JsonArray(client.get("/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1").body());
    assertThat(last.getJsonArray(0).getLong(0)).isEqualTo(JAN_4 - 60_000L);
  }

  @Test
  void recordedFramesArriveInOrderWithTheEnvelopeEachConnectionAsked(Vertx vertx) throws Exception {
    Path capture = REAL.resolve("cryptofeed_binance_2021-08-14/BINANCE.ws.1.0");
    BinanceSimulator sim = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols("BTCUSDT")
        .withHistoryMinutes(1).withReplayFiles(List.of(capture)).withReplaySpeed(0));
    SimClient client = new SimClient(vertx, sim.port());
    Set<String> wanted = Set.of("ftmusdt@kline_1m", "xmrbtc@kline_1m", "ftmusdt@aggTrade", "sxpbtc@bookTicker");
    List<JsonObject> expected = new ArrayList<>();
    for (String line : Files.readAllLines(capture, StandardCharsets.UTF_8)) {
      int colon = line.indexOf(": {");
      if (colon > 0 && !line.contains(" -> ") && !line.contains(" <-> ")) {
        JsonObject frame = new JsonObject(line.substring(colon + 2));
        if (wanted.contains(frame.getString("stream"))) {
          expected.add(frame);
        }
      }
    }
    assertThat(expected).hasSize(75);
    assertThat(expected.stream().filter(f -> f.getString("stream").endsWith("kline_1m"))).hasSizeGreaterThan(5);

    SimClient.Ws combined = client.connect("/stream?streams=" + String.join("/", wanted));
    for (JsonObject want : expected) {
      assertThat(new JsonObject(combined.next())).isEqualTo(want);
    }
    SimClient.Ws raw = client.connect("/ws/ftmusdt@kline_1m");
    for (JsonObject want : expected) {
      if (want.getString("stream").equals("ftmusdt@kline_1m")) {
        assertThat(new JsonObject(raw.next())).isEqualTo(want.getJsonObject("data"));
      }
    }
    combined.close();
    raw.close();
  }

  @Test
  void replayIsPacedByTheRecordedReceiveTimes(Vertx vertx) throws Exception {
    Path capture = REAL.resolve("cryptofeed_binance_2021-10-12/BINANCE.ws.1.0");
    List<ReplayPlayer.Frame> frames = ReplayPlayer.load(List.of(capture), 1).frames();
    ReplayPlayer.Frame first = frames.get(0);
    ReplayPlayer.Frame last = frames.get(frames.size() - 1);
    double speed = 20;
    long recordedMs = (last.recvMicros() - first.recvMicros()) / 1000;
    assertThat(recordedMs).isGreaterThan(20_000);
    BinanceSimulator sim = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols("BTCUSDT")
        .withHistoryMinutes(1).withReplayFiles(List.of(capture)).withReplaySpeed(speed));
    SimClient.Ws ws = new SimClient(vertx, sim.port()).connect("/stream?streams=" + first.stream() + "/"
        + last.stream());
    long expected = frames.stream().filter(f -> f.stream().equals(first.stream()) || f.stream().equals(last.stream()))
        .count();
    JsonObject firstSeen = new JsonObject(ws.next());
    long t0 = System.nanoTime();
    for (int i = 1; i < expected - 1; i++) {
      ws.next();
    }
    JsonObject lastSeen = new JsonObject(ws.next());
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000L;
    assertThat(firstSeen.getString("stream")).isEqualTo(first.stream());
    assertThat(lastSeen.getString("stream")).isEqualTo(last.stream());
    // never early: the recorded 30 s take at least 30 s / 20 of real time
    assertThat(elapsedMs).isGreaterThanOrEqualTo((long) (recordedMs / speed) - 50);
    ws.close();
  }

  private static List<String[]> readCsv(Path zip) throws Exception {
    List<String[]> rows = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      in.getNextEntry();
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank()) {
          rows.add(line.trim().split(","));
        }
      }
    }
    return rows;
  }
}
