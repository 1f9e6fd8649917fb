package io.candlebus;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.testing.HttpSession;
import io.candlebus.testing.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built jar, as a newcomer runs it (failsafe runs this after {@code package}). */
class CommandLineIT {
  private static final Path JAR = Path.of(System.getProperty("candlebus.jar", "target/candlebus.jar"));
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stopAll() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private Process start(Path dir, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR.toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  @Test
  void theReadmeRunCommandIsTheDemo() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    assertThat(readme).contains("java -jar target/candlebus.jar demo");
  }

  @Test
  void demoServesGrowingCandlesWithin15Seconds(@TempDir Path dir) throws Exception {
    int port = Ports.free();
    long started = System.nanoTime();
    Process demo = start(dir, Map.of("CANDLEBUS_HTTP_PORT", String.valueOf(port), "CANDLEBUS_HTTP_HOST",
        "127.0.0.1"), "demo");
    String base = "http://127.0.0.1:" + port;
    String url = "/api/candles?symbol=BTCUSDT&interval=1m";
    long deadline = started + TimeUnit.SECONDS.toNanos(15);
    JsonObject first = null;
    boolean grew = false;
    HttpSession web = null;
    while (System.nanoTime() < deadline && !grew) {
      assertThat(demo.isAlive()).as("demo is running; stderr: %s", Files.readString(dir.resolve("stderr.txt")))
          .isTrue();
      if (web == null) {
        web = loginAsFirstAdmin(base, dir.resolve("stdout.txt"));
      }
      JsonObject last = web == null ? null : lastCandle(web, url);
      if (first == null) {
        first = last;
      } else if (last != null && (last.getLong("openTime") > first.getLong("openTime")
          || last.getLong("trades") > first.getLong("trades"))) {
        grew = true;
      }
      if (!grew) {
        demo.waitFor(200, TimeUnit.MILLISECONDS); // pace the polling; the loop condition is the deadline
      }
    }
    assertThat(grew).as("candles grew within 15 s; first seen %s; log: %s", first,
        Files.readString(dir.resolve("stdout.txt"))).isTrue();
    long historyDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int candles = 0;
    while (System.nanoTime() < historyDeadline && (candles = web.getArray(url + "&limit=1000").size()) <= 60) {
      demo.waitFor(200, TimeUnit.MILLISECONDS);
    }
    assertThat(candles).as("the backfill brought six hours of history").isGreaterThan(60);
  }

  /** The first start prints admin's random password once on standard output. */
  private static HttpSession loginAsFirstAdmin(String base, Path stdout) throws IOException {
    Matcher m = Pattern.compile("created user \"admin\" with password (\\S+)").matcher(Files.readString(stdout));
    return m.find() ? HttpSession.login(base, "admin", m.group(1)) : null;
  }

  private static JsonObject lastCandle(HttpSession web, String url) {
    try {
      HttpResponse<String> r = web.get(url);
      if (r.statusCode() != 200) {
        return null;
      }
      JsonArray a = new JsonArray(r.body());
      return a.isEmpty() ? null : a.getJsonObject(a.size() - 1);
    } catch (AssertionError notUpYet) {
      return null;
    }
  }

  @Test
  void aBadConfigValueStopsTheStartWithOneLineNamingTheKey(@TempDir Path dir) throws Exception {
    Process p = start(dir, Map.of("CANDLEBUS_HISTORY_LIMIT", "many"));
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    List<String> err = Files.readAllLines(dir.resolve("stderr.txt"));
    assertThat(err).hasSize(1);
    assertThat(err.get(0)).contains("CANDLEBUS_HISTORY_LIMIT").contains("\"many\"");

    Path conf = dir.resolve("bad.json");
    Files.writeString(conf, "{\"intervals\": \"1m,2m\"}");
    Process q = start(dir, Map.of(), "--conf", conf.toString());
    assertThat(q.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(q.exitValue()).isEqualTo(2);
    assertThat(Files.readAllLines(dir.resolve("stderr.txt"))).singleElement().satisfies(
        line -> assertThat(line).contains("intervals in " + conf).contains("\"2m\""));
  }

  @Test
  void loadtestPrintsThroughputAndLatencyAndStopsByItself(@TempDir Path dir) throws Exception {
    Process p = start(dir, Map.of(), "loadtest", "--clients", "3", "--rate", "50", "--seconds", "2", "--warmup",
        "1");
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("bounded in time").isTrue();
    String out = Files.readString(dir.resolve("stdout.txt"));
    assertThat(p.exitValue()).as(out).isZero();
    Matcher delivered = Pattern.compile("delivered: (\\d+) of (\\d+) messages .* = (\\d+) messages/s to 3 clients")
        .matcher(out);
    assertThat(delivered.find()).as(out).isTrue();
    assertThat(Long.parseLong(delivered.group(1))).isPositive().isEqualTo(Long.parseLong(delivered.group(2)));
    assertThat(out).containsPattern("latency frame sent -> client: p50 [0-9.]+ ms, p99 [0-9.]+ ms, "
        + "p99.9 [0-9.]+ ms");
  }

  @Test
  void externalLoadtestPrintsCandlebusAndBaselineRowsAndStopsByItself(@TempDir Path dir) throws Exception {
    Process p = start(dir, Map.of(), "loadtest", "--external", "--clients", "3", "--rate", "50", "--seconds", "2",
        "--warmup", "1");
    assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("bounded in time").isTrue();
    String out = Files.readString(dir.resolve("stdout.txt"));
    assertThat(p.exitValue()).as(out + Files.readString(dir.resolve("stderr.txt"))).isZero();
    assertThat(out).containsPattern("cold start: process start -> /ready 200 in \\d+ ms");
    for (String path : List.of("candlebus", "baseline ")) {
      Matcher row = Pattern.compile(path + " round 1: delivered (\\d+) of (\\d+) messages .* to 3 clients; "
          + "latency p50 [0-9.]+ ms, p99 [0-9.]+ ms, p99.9 [0-9.]+ ms, max [0-9.]+ ms; server CPU \\d+ %").matcher(out);
      assertThat(row.find()).as(path + " row in\n" + out).isTrue();
      assertThat(Long.parseLong(row.group(1))).as(path).isPositive().isEqualTo(Long.parseLong(row.group(2)));
    }
    assertThat(out).containsPattern("candlebus / baseline round 1: messages 1.000x, p50 [0-9.]+x, p99 [0-9.]+x");
    assertNoChildLeft();
  }

  @Test
  void externalLoadtestHoldsIdleConnectionsAndReportsTheirHeap(@TempDir Path dir) throws Exception {
    Process p = start(dir, Map.of(), "loadtest", "--external", "--idle", "200", "--seconds", "1");
    assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("bounded in time").isTrue();
    String out = Files.readString(dir.resolve("stdout.txt"));
    assertThat(p.exitValue()).as(out + Files.readString(dir.resolve("stderr.txt"))).isZero();
    assertThat(out).containsPattern("idle: 200 connections accepted in [0-9.]+ s \\(\\d+/s")
        .containsPattern("idle: 200 of 200 connections still open after 1 s; gateway live heap \\d+ KB -> "
            + "\\d+ KB: -?[0-9.]+ KB per connection");
    assertNoChildLeft();
  }

  /** The servers a loadtest started ended with it. */
  private static void assertNoChildLeft() {
    assertThat(ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("")
        .contains("io.candlebus.load.PlainRelay"))).as("relay processes left").isEmpty();
  }

  @Test
  void soakRunsFaultsAndReportsNothingLostOrDoubled(@TempDir Path dir) throws Exception {
    Process p = start(dir, Map.of(), "soak", "--minutes", "0.4", "--seed", "5", "--symbols", "2");
    assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("bounded in time").isTrue();
    String out = Files.readString(dir.resolve("stdout.txt"));
    assertThat(p.exitValue()).as(out).isZero();
    Matcher published = Pattern.compile("trades published (\\d+), lost 0, duplicates 0").matcher(out);
    assertThat(published.find()).as(out).isTrue();
    assertThat(Long.parseLong(published.group(1))).isGreaterThan(1_000);
    assertThat(out).containsPattern("faults injected: \\{\\w+").contains("1m candles different from Binance's: 0")
        .contains("soak: PASS");

    Process bad = start(Files.createDirectories(dir.resolve("bad")), Map.of(), "soak", "--minutes", "0");
    assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(bad.exitValue()).isEqualTo(2);
  }

  @Test
  void unknownCommandsAreRefused(@TempDir Path dir) throws Exception {
    Process p = start(dir, Map.of(), "launch");
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("stderr.txt"))).contains("unknown command \"launch\"");
  }

}
