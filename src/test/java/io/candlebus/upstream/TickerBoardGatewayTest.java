package io.candlebus.upstream;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Gateway;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.RestCall;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.candlebus.testing.HttpSession;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.candlebus.testing.TestUsers;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The all-market board of a gateway against the simulator: stream first, one REST snapshot merged by exchange
 * time (delayed or not), single-symbol fills within the weight budget when the snapshot is refused, 1 500
 * markets, and then no REST while the stream keeps the board fresh.
 */
@ExtendWith(VertxExtension.class)
class TickerBoardGatewayTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String QUOTES = "USDT,BTC,ETH";

  private Vertx vertx;
  private BinanceSimulator sim;
  private Gateway gateway;
  private HttpSession alice;

  static List<String> markets(int n) {
    String[] quotes = QUOTES.split(",");
    return IntStream.rangeClosed(1, n).mapToObj(i -> String.format("M%04d%s", i, quotes[i % quotes.length]))
        .toList();
  }

  private void startSim(List<String> symbols, double rate, int weightLimit) {
    sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols(symbols.toArray(String[]::new))
        .withRate(rate).withHistoryMinutes(20).withRequestWeightLimit(weightLimit));
    await(vertx.deployVerticle(sim));
  }

  private void startGateway(Path dir, Map<String, String> more) {
    String pgUrl = TestPostgres.newDatabaseUrl();
    Map<String, String> env = new HashMap<>(Map.of("CANDLEBUS_TICKERS", "true", "CANDLEBUS_INTERVALS", "1m",
        "CANDLEBUS_HISTORY_LIMIT", "1", "CANDLEBUS_SYMBOLS", sim.options().symbols().get(0)));
    env.putAll(more);
    gateway = await(Gateway.deploy(vertx, TestConfigs.against(sim, pgUrl, dir, env)));
    TestUsers.create(vertx, pgUrl, "alice");
    alice = HttpSession.login("http://127.0.0.1:" + gateway.httpPort(), "alice", TestUsers.PASSWORD);
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      await(gateway.close());
    }
  }

  private HttpResponse<String> board(String query) {
    return alice.get("/api/tickers" + query);
  }

  private int covered() {
    return Integer.parseInt(board("?limit=1").headers().firstValue("X-Markets-Covered").orElse("0"));
  }

  private List<RestCall> tickerCalls() {
    return sim.restCalls().stream().filter(c -> c.pathAndQuery().startsWith("/api/v3/ticker/24hr")).toList();
  }

  /** The sum over every tag of the counter. */
  private double count(String name) {
    return gateway.registry().find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  /** What a client of the simulator's own stream saw last per market: the newest item by E. */
  private Map<String, JsonObject> watchStream() {
    Map<String, JsonObject> latest = new ConcurrentHashMap<>();
    URI ws = URI.create(sim.wsBaseUrl());
    WebSocket socket = await(vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 24)
        .setMaxFrameSize(1 << 24)).connect(ws.getPort(), ws.getHost(), "/ws/!miniTicker@arr"));
    socket.textMessageHandler(text -> {
      if (text.startsWith("[")) {
        new JsonArray(text).forEach(o -> latest.merge(((JsonObject) o).getString("s"), (JsonObject) o,
            (a, b) -> b.getLong("E") > a.getLong("E") ? b : a));
      }
    });
    Await.until(vertx, PATIENCE, "the simulator's first miniTicker frame", () -> Future.succeededFuture(
        !latest.isEmpty()));
    return latest;
  }

  /**
   * The snapshot is older than the frames streamed while it was on its way (delay 2.5 s) for the markets that
   * changed meanwhile, and newer for those that did not; without the delay it arrives before them. Either way
   * every market ends with the newest value anyone was sent, and none is missing.
   */
  @ParameterizedTest(name = "snapshot delayed {0} ms")
  @ValueSource(longs = {0, 2_500})
  void everyMarketEndsWithTheNewestValueWhetherTheSnapshotArrivesBeforeOrAfterTheFrames(long delayMs,
      Vertx vertx, @TempDir Path dir) {
    this.vertx = vertx;
    List<String> symbols = markets(300);
    startSim(symbols, 0.3, 6_000);
    Map<String, JsonObject> streamed = watchStream();
    if (delayMs > 0) {
      sim.tickerSnapshotDelay(delayMs, 1);
    }
    startGateway(dir, Map.of());
    Await.until(vertx, PATIENCE, "all 300 markets on the board", () -> Future.succeededFuture(covered() == 300));
    // from the moment it is complete, no market shows a value older than a frame streamed a second before: a
    // snapshot written over newer frames would show here at once (the second leaves the gateway time to read)
    for (int sample = 0; sample < 5; sample++) {
      long settled = sim.now() - 1_000;
      Map<String, JsonObject> onBoard = onBoard();
      Map<String, JsonObject> seen = Map.copyOf(streamed);
      assertThat(onBoard).hasSize(300);
      for (Map.Entry<String, JsonObject> e : seen.entrySet()) {
        long streamedAt = e.getValue().getLong("E");
        if (streamedAt <= settled) {
          assertThat(onBoard.get(e.getKey()).getLong("time")).as("%s, streamed at %d", e.getKey(), streamedAt)
              .isGreaterThanOrEqualTo(streamedAt);
        }
      }
      double frames = count("candlebus_tickers_frames_total");
      Await.until(vertx, PATIENCE, "the next frame", () -> Future.succeededFuture(
          count("candlebus_tickers_frames_total") > frames));
    }
    Await.until(vertx, PATIENCE, "the board holding, per market, the newest value streamed", () -> {
      Map<String, JsonObject> onBoard = onBoard();
      Map<String, JsonObject> seen = Map.copyOf(streamed); // read after the board: the board may only be ahead
      boolean newest = onBoard.size() == 300 && seen.entrySet().stream().allMatch(e -> {
        JsonObject b = onBoard.get(e.getKey());
        long streamedAt = e.getValue().getLong("E");
        return b != null && (b.getLong("time") > streamedAt
            || b.getLong("time") == streamedAt && b.getString("last").equals(strip(e.getValue().getString("c"))));
      });
      return Future.succeededFuture(newest);
    });
    List<RestCall> calls = tickerCalls();
    assertThat(calls).extracting(RestCall::pathAndQuery).containsExactly("/api/v3/ticker/24hr");
    if (delayMs > 0) {
      // the snapshot came after newer frames for some markets: those values of it were refused
      assertThat(count("candlebus_tickers_snapshot_refused_values_total")).isPositive();
    }
  }

  private Map<String, JsonObject> onBoard() {
    Map<String, JsonObject> out = new HashMap<>();
    new JsonArray(board("").body()).forEach(o -> out.put(((JsonObject) o).getString("symbol"), (JsonObject) o));
    return out;
  }

  private static String strip(String decimal) {
    return new java.math.BigDecimal(decimal).stripTrailingZeros().toPlainString();
  }

  /**
   * The all-market call answered 429: every market still gets on the board, one {@code symbol=} call at a time,
   * and the simulator — which answers 429 itself beyond its limit — never saw more than the gateway's budget.
   */
  @Test
  void aRefusedSnapshotIsMadeUpForBySingleFillsWithinTheWeightBudget(Vertx vertx, @TempDir Path dir) {
    this.vertx = vertx;
    startSim(markets(200), 0.05, 1_200);
    sim.tickerSnapshotRefuse(429, 1, 1);
    startGateway(dir, Map.of());
    Await.until(vertx, PATIENCE, "all 200 markets on the board", () -> Future.succeededFuture(covered() == 200));
    List<RestCall> calls = tickerCalls();
    assertThat(calls.get(0)).satisfies(c -> {
      assertThat(c.pathAndQuery()).isEqualTo("/api/v3/ticker/24hr");
      assertThat(c.status()).isEqualTo(429);
    });
    List<RestCall> singles = calls.subList(1, calls.size());
    assertThat(singles).isNotEmpty().allSatisfy(c -> {
      assertThat(c.pathAndQuery()).startsWith("/api/v3/ticker/24hr?symbol=");
      assertThat(c.status()).isEqualTo(200);
    });
    assertThat(singles.stream().map(RestCall::pathAndQuery).distinct().count()).isEqualTo(singles.size());
    // the simulator's own count: no answer announced more weight used than the 90 % the gateway allows itself
    assertThat(sim.stats().maxWeightUsed()).isLessThanOrEqualTo(1_200 * 90 / 100);
    assertThat(sim.stats().restRefused()).isEqualTo(1); // only the injected refusal
    assertThat(count("candlebus_tickers_rest_total")).isEqualTo(calls.size());
  }

  /** 1 500 markets: one snapshot completes the board; afterwards only the stream keeps it fresh. */
  @Test
  void fifteenHundredMarketsAreCompleteAfterOneSnapshotAndThenNeedNoRest(Vertx vertx, @TempDir Path dir) {
    this.vertx = vertx;
    startSim(markets(1_500), 0.05, 6_000);
    long started = System.nanoTime();
    startGateway(dir, Map.of());
    Await.until(vertx, PATIENCE, "all 1 500 markets on the board", () -> Future.succeededFuture(
        covered() == 1_500));
    long ms = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("tickers: 1 500 markets complete %d ms after the gateway started, %d REST call(s)%n", ms,
        tickerCalls().size());
    int restCalls = tickerCalls().size();
    double frames = count("candlebus_tickers_frames_total");
    Await.until(vertx, PATIENCE, "five more stream frames", () -> Future.succeededFuture(
        count("candlebus_tickers_frames_total") >= frames + 5));
    assertThat(tickerCalls()).hasSize(restCalls);
    assertThat(restCalls).isEqualTo(1);
    assertThat(covered()).isEqualTo(1_500);
  }
}
