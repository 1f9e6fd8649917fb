package io.candlebus.persistence;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Gateway;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.candlebus.testing.Http;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The depth recorder of a whole gateway against the simulator, three symbols, 1m slices, for as long as two whole
 * slices take (2–3 minutes): every complete file has one row per 100 ms tick of its minute, except the ticks
 * of a forced resync; every row equals the simulator's own book (its {@code @depth5@100ms}) at the row's update
 * id; a file is never seen before it is complete.
 */
@ExtendWith(VertxExtension.class)
class DepthRecordingTest {
  private static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT", "BNBUSDT");
  private static final long MINUTE = 60_000;

  /** symbol → update id → the simulator's top 5 at that id, as a CSV fragment "b1p,b1q,...,a5q". */
  private final Map<String, Map<Long, String>> simBooks = new ConcurrentHashMap<>();
  /** Held: Vert.x 5 closes a client nothing refers to any more. */
  private io.vertx.core.http.WebSocketClient simClient;

  @Test
  void threeSymbolsRecordCompleteSlicesEqualToTheSimulatorsBook(Vertx vertx, @TempDir Path dir)
      throws IOException {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults()
        .withSymbols(SYMBOLS.toArray(String[]::new)).withRate(20).withHistoryMinutes(5));
    await(vertx.deployVerticle(sim));
    SYMBOLS.forEach(s -> simBooks.put(s, new ConcurrentHashMap<>()));
    String streams = String.join("/", SYMBOLS.stream().map(s -> s.toLowerCase(Locale.ROOT) + "@depth5@100ms")
        .toList());
    simClient = vertx.createWebSocketClient();
    await(simClient.connect(sim.port(), "127.0.0.1", "/stream?streams=" + streams))
        .textMessageHandler(this::simBook);
    Path records = dir.resolve("books");
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, TestPostgres.newDatabaseUrl(), dir, Map.of(
        "CANDLEBUS_INTERVALS", "1m", "CANDLEBUS_HISTORY_LIMIT", "2",
        "CANDLEBUS_DEPTH_SYMBOLS", String.join(",", SYMBOLS), "CANDLEBUS_DEPTH_RECORD_DIR", records.toString()))));

    Map<String, Integer> rowsAtFirstSight = new HashMap<>();
    boolean resyncForced = false;
    long deadline = System.currentTimeMillis() + 4 * MINUTE;
    while (true) {
      List<Path> seen = completeFiles(records);
      for (Path f : seen) {
        rowsAtFirstSight.computeIfAbsent(f.getFileName().toString(), n -> lines(f).size() - 1);
      }
      if (seen.size() >= 2 * SYMBOLS.size()) {
        break;
      }
      assertThat(System.currentTimeMillis()).as("two complete slices of each symbol by now").isLessThan(deadline);
      if (!resyncForced && completeFiles(records).size() >= SYMBOLS.size()) {
        // inside the second whole minute of ETHUSDT: a hole, so its book is rebuilt and those ticks have no row;
        // its first snapshot refused (Retry-After 1 s) so the rebuild surely spans ticks, not a few milliseconds
        long second = System.currentTimeMillis() % MINUTE;
        if (second > 5_000 && second < 45_000) {
          sim.restFault(429, 1, 1);
          await(sim.skipDepthDiffs("ETHUSDT", 1));
          resyncForced = true;
        }
      }
      await(vertx.timer(50));
    }
    assertThat(resyncForced).isTrue();
    Await.until(vertx, Duration.ofSeconds(5), "the resync recorded as a gap", () -> Future.succeededFuture(
        count(g, "candlebus_depth_record_gaps_total", "ETHUSDT") == 1));
    double missingTicks = count(g, "candlebus_depth_record_missing_ticks_total", "ETHUSDT");
    await(g.close());

    List<String> names = list(records);
    assertThat(names).noneMatch(n -> n.endsWith(".tmp"));
    assertThat(names).as("the first slice was joined mid-way, the last cut by the stop")
        .anyMatch(n -> n.endsWith(".partial.csv"));
    int compared = 0;
    for (String symbol : SYMBOLS) {
      List<Path> complete = completeFiles(records).stream()
          .filter(p -> p.getFileName().toString().startsWith(symbol + "_5_")).sorted().toList();
      assertThat(complete).as(symbol).hasSizeGreaterThanOrEqualTo(2);
      int missingInSymbol = 0;
      for (Path f : complete) {
        List<String> rows = lines(f);
        assertThat(rows.get(0)).startsWith("time,bid1_price,bid1_qty,").endsWith(",ask5_qty,updateId,eventTime");
        rows = rows.subList(1, rows.size());
        assertThat(rowsAtFirstSight.get(f.getFileName().toString())).as("%s when it first appeared", f)
            .isEqualTo(rows.size());
        long sliceStart = sliceStart(f);
        List<Long> times = rows.stream().map(r -> Long.parseLong(r.substring(0, r.indexOf(',')))).toList();
        assertThat(times).as("%s: one row per tick, in order", f).isSorted().doesNotHaveDuplicates()
            .allMatch(t -> t >= sliceStart && t < sliceStart + MINUTE && t % 100 == 0);
        missingInSymbol += 600 - rows.size();
        long previousId = -1;
        for (String r : rows) {
          String[] cells = r.split(",", -1);
          assertThat(cells).hasSize(23);
          long id = Long.parseLong(cells[21]);
          assertThat(id).isGreaterThanOrEqualTo(previousId);
          previousId = id;
          String sim5 = simBooks.get(symbol).get(id);
          if (sim5 != null) {
            assertThat(String.join(",", List.of(cells).subList(1, 21))).as("%s at update %d", symbol, id)
                .isEqualTo(sim5);
            compared++;
          } else {
            // only a book fresh from a snapshot can stand at an id no diff ended at: right after a rebuild
            assertThat(symbol).as("%s: row at update %d the simulator never showed", f, id).isEqualTo("ETHUSDT");
          }
        }
      }
      if (symbol.equals("ETHUSDT")) {
        assertThat(missingInSymbol).as("ETHUSDT ticks without a row").isPositive()
            .isEqualTo((int) missingTicks).isLessThan(150);
      } else {
        assertThat(missingInSymbol).as(symbol + ": a row at every tick of its complete slices").isZero();
      }
    }
    System.out.println("depth recording: " + compared + " rows equal to the simulator's book at their update id; "
        + "ETHUSDT's resync left " + (int) missingTicks + " ticks without a row");
    assertThat(compared).isGreaterThan(3_000);
  }

  @Test
  void anUnwritableDirectoryIsReportedOnReadyAndTheGatewayStaysUp(Vertx vertx, @TempDir Path dir)
      throws IOException {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT"));
    await(vertx.deployVerticle(sim));
    Path notADir = Files.writeString(dir.resolve("a-file"), "x"); // refused to root too, unlike permissions
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, TestPostgres.newDatabaseUrl(), dir, Map.of(
        "CANDLEBUS_INTERVALS", "1m", "CANDLEBUS_HISTORY_LIMIT", "2", "CANDLEBUS_DEPTH_SYMBOLS", "BTCUSDT",
        "CANDLEBUS_DEPTH_RECORD_DIR", notADir.resolve("books").toString()))));
    String base = "http://127.0.0.1:" + g.httpPort();
    Await.until(vertx, Duration.ofSeconds(30), "rows dropped", () -> Future.succeededFuture(
        dropped(g) > 0));
    JsonObject ready = new JsonObject(Http.get(base + "/ready").body());
    assertThat(ready.getString("status")).isEqualTo("NOT_READY");
    JsonArray reasons = ready.getJsonArray("reasons");
    assertThat(reasons.encode()).contains("depth recorder: cannot write").contains("books");
    assertThat(ready.getJsonObject("depthRecorder").getLong("rowsDropped")).isPositive();
    assertThat(Http.get(base + "/health").statusCode()).isEqualTo(200);

    Files.delete(notADir); // the directory can be made now: the recorder recovers, /ready with it
    Await.until(vertx, Duration.ofSeconds(30), "ready again", () -> Future.succeededFuture(
        Http.get(base + "/ready").statusCode() == 200));
    await(g.close());
    assertThat(list(dir.resolve("a-file").resolve("books"))).isNotEmpty().allMatch(n -> n.endsWith(".partial.csv"));
  }

  private static double dropped(Gateway g) {
    Counter c = g.registry().find("candlebus_depth_record_rows_total").tag("outcome", "dropped").counter();
    return c == null ? 0 : c.count();
  }

  private static double count(Gateway g, String name, String symbol) {
    Counter c = g.registry().find(name).tag("symbol", symbol).counter();
    return c == null ? 0 : c.count();
  }

  private void simBook(String text) {
    JsonObject frame = new JsonObject(text);
    String symbol = frame.getString("stream").split("@")[0].toUpperCase(Locale.ROOT);
    JsonObject book = frame.getJsonObject("data");
    List<String> cells = new ArrayList<>();
    for (String side : List.of("bids", "asks")) {
      JsonArray levels = book.getJsonArray(side);
      for (int i = 0; i < 5; i++) {
        if (i < levels.size()) {
          cells.add(plain(levels.getJsonArray(i).getString(0)));
          cells.add(plain(levels.getJsonArray(i).getString(1)));
        } else {
          cells.add("");
          cells.add("");
        }
      }
    }
    simBooks.get(symbol).put(book.getLong("lastUpdateId"), String.join(",", cells));
  }

  private static String plain(String decimal) {
    BigDecimal d = new BigDecimal(decimal);
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
  }

  private static long sliceStart(Path f) {
    String n = f.getFileName().toString();
    String stamp = n.substring(n.lastIndexOf('_') + 1, n.indexOf(".csv"));
    return java.time.LocalDateTime.parse(stamp, java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
        .toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
  }

  private static List<Path> completeFiles(Path dir) {
    return list(dir).stream().filter(n -> n.endsWith(".csv") && !n.endsWith(".partial.csv")).map(dir::resolve)
        .toList();
  }

  private static List<String> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> lines(Path f) {
    try {
      return Files.readAllLines(f);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
