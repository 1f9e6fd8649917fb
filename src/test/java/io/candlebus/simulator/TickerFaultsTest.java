package io.candlebus.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ticker faults for the gateway's tests: the all-symbols snapshot refused (only it, {@code count} times) or
 * answered late with its request-time closeTime, a symbol's exchangeInfo status changed; their /sim routes.
 */
@ExtendWith(VertxExtension.class)
class TickerFaultsTest {
  private static final long START = 1_704_067_200_000L;
  private static final String ALL = "/api/v3/ticker/24hr";

  private BinanceSimulator frozen(Vertx vertx) {
    return SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols("BTCUSDT", "ETHUSDT").withRate(1)
        .withStartTime(START).withSpeed(1e-6).withHistoryMinutes(5));
  }

  @Test
  void refusedAreOnlyTheNextAllSymbolsCallsAndTheyCostNothing(Vertx vertx) {
    BinanceSimulator sim = frozen(vertx);
    SimClient client = new SimClient(vertx, sim.port());
    int w = client.get("/api/v3/ping").weight();
    sim.tickerSnapshotRefuse(429, 7, 2);

    SimClient.Response refused = client.get(ALL + "?type=MINI");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.headers().get("Retry-After")).isEqualTo("7");
    assertThat(refused.weight()).as("a refusal costs nothing").isEqualTo(w);
    assertThat(new JsonObject(refused.body()).getInteger("code")).isEqualTo(-1003);
    assertThat(new JsonObject(refused.body()).getString("msg")).startsWith("Too much request weight used");

    SimClient.Response one = client.get(ALL + "?symbol=BTCUSDT");
    assertThat(one.status()).as("no ban follows: other calls are answered").isEqualTo(200);
    assertThat(one.weight()).isEqualTo(w + 2);
    assertThat(client.get(ALL + "?symbols=%5B%22ETHUSDT%22%5D").status()).isEqualTo(200);
    assertThat(client.get("/api/v3/time").status()).isEqualTo(200);
    assertThat(client.get(ALL).status()).isEqualTo(429);
    SimClient.Response served = client.get(ALL);
    assertThat(served.status()).as("count 2 was used up").isEqualTo(200);
    assertThat(new JsonArray(served.body())).hasSize(2);
    assertThat(served.weight()).isEqualTo(w + 2 + 2 + 1 + 80);

    assertThat(sim.restCalls().stream().filter(RestCall::isAllSymbolsTicker).map(RestCall::status).toList())
        .containsExactly(429, 429, 200);
    assertThat(sim.restCalls().stream().filter(RestCall::isTicker24hr).count()).isEqualTo(5);
    assertThat(sim.tickerSnapshotCalls()).isEqualTo(3);
    assertThat(sim.tickerSymbolCalls()).isEqualTo(2);
    SimStats s = sim.stats();
    assertThat(s.restRefused()).isEqualTo(2);
    assertThat(s.restViolations()).isZero();
    assertThat(s.maxWeightUsed()).isEqualTo(served.weight());

    sim.tickerSnapshotRefuse(418, 60, 1);
    SimClient.Response banned = client.get(ALL);
    assertThat(banned.status()).isEqualTo(418);
    assertThat(banned.headers().get("Retry-After")).isEqualTo("60");
    assertThat(new JsonObject(banned.body()).getString("msg")).startsWith("Way too much request weight used; IP "
        + "banned until ");
    assertThat(client.get(ALL).status()).isEqualTo(200);

    sim.tickerSnapshotRefuse(429, 1, 5);
    sim.tickerSnapshotRefuse(429, 1, 0);  // count 0 clears what is left
    assertThat(client.get(ALL).status()).isEqualTo(200);
    assertThatThrownBy(() -> sim.tickerSnapshotRefuse(503, 1, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("429 or 418");
    assertThatThrownBy(() -> sim.tickerSnapshotRefuse(429, -1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sim.tickerSnapshotDelay(-5, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDelayedSnapshotCarriesItsRequestTimeAndArrivesAfterTheDelay(Vertx vertx) throws Exception {
    BinanceSimulator sim = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols("BTCUSDT", "ETHUSDT")
        .withRate(20).withStartTime(START).withHistoryMinutes(5));  // real time: frames every second
    SimClient client = new SimClient(vertx, sim.port());
    SimClient.Ws ws = client.connect("/ws/!miniTicker@arr");
    long delayMs = 1_500;
    sim.tickerSnapshotDelay(delayMs, 1);

    long before = sim.now();
    long sent = System.nanoTime();
    CompletableFuture<SimClient.Response> late = CompletableFuture.supplyAsync(() -> client.get(ALL));
    // stream frames sent while the answer waits are newer than it
    long newestE = -1;
    while (!late.isDone()) {
      String frame = ws.texts.poll(100, TimeUnit.MILLISECONDS);
      if (frame != null) {
        newestE = new JsonArray(frame).getJsonObject(0).getLong("E");
      }
    }
    SimClient.Response r = late.get();
    long tookMs = (System.nanoTime() - sent) / 1_000_000;
    long answeredBy = sim.now();
    assertThat(r.status()).isEqualTo(200);
    assertThat(tookMs).as("held for the delay").isGreaterThanOrEqualTo(delayMs);
    long closeTime = new JsonArray(r.body()).getJsonObject(0).getLong("closeTime");
    assertThat(closeTime).as("computed when the call arrived, sent 1.5 s later (speed 1)")
        .isBetween(before, answeredBy - delayMs);
    assertThat(newestE).as("a frame sent meanwhile is newer than the snapshot").isGreaterThan(closeTime);
    assertThat(sim.restCalls().stream().filter(RestCall::isAllSymbolsTicker).map(RestCall::status).toList())
        .containsExactly(200);

    long sent2 = System.nanoTime();
    assertThat(client.get(ALL).status()).isEqualTo(200);
    assertThat((System.nanoTime() - sent2) / 1_000_000).as("count 1 was used up").isLessThan(delayMs);
  }

  @Test
  void aSymbolsStatusChangesInExchangeInfo(Vertx vertx) {
    BinanceSimulator sim = frozen(vertx);
    SimClient client = new SimClient(vertx, sim.port());
    assertThat(statuses(client.get("/api/v3/exchangeInfo").body())).containsExactly("TRADING", "TRADING");
    sim.setSymbolStatus("BTCUSDT", "BREAK");
    assertThat(statuses(client.get("/api/v3/exchangeInfo").body())).containsExactly("BREAK", "TRADING");
    assertThat(statuses(client.get("/api/v3/exchangeInfo?symbol=BTCUSDT").body())).containsExactly("BREAK");
    assertThat(sim.symbolStatus("BTCUSDT")).isEqualTo("BREAK");
    assertThat(client.get(ALL + "?symbol=BTCUSDT").status()).as("its ticker goes on").isEqualTo(200);
    sim.setSymbolStatus("BTCUSDT", "TRADING");
    assertThat(statuses(client.get("/api/v3/exchangeInfo").body())).containsExactly("TRADING", "TRADING");
    assertThatThrownBy(() -> sim.setSymbolStatus("NOPEUSDT", "BREAK")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sim.setSymbolStatus("BTCUSDT", "on break")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void controlRoutesSetTheTickerFaultsAndStatuses(Vertx vertx) {
    BinanceSimulator sim = frozen(vertx);
    SimClient client = new SimClient(vertx, sim.port());
    assertThat(ok(client.post("/sim/ticker-refuse?status=418&retryAfter=3&count=1")))
        .isEqualTo(new JsonObject().put("status", 418).put("retryAfter", 3).put("count", 1));
    assertThat(client.get(ALL + "?symbol=ETHUSDT").status()).isEqualTo(200);
    assertThat(client.get(ALL).status()).isEqualTo(418);
    assertThat(client.get(ALL).status()).isEqualTo(200);

    assertThat(ok(client.post("/sim/ticker-delay?delayMs=0&count=1")))
        .isEqualTo(new JsonObject().put("delayMs", 0).put("count", 1));
    assertThat(client.get(ALL).status()).isEqualTo(200);

    assertThat(ok(client.post("/sim/symbol-status?symbol=ethusdt&status=halt")))
        .isEqualTo(new JsonObject().put("symbol", "ETHUSDT").put("status", "HALT"));
    assertThat(statuses(client.get("/api/v3/exchangeInfo").body())).containsExactly("TRADING", "HALT");

    for (List<String> bad : List.of(
        List.of("/sim/ticker-refuse?status=500&retryAfter=1&count=1", "status"),
        List.of("/sim/ticker-refuse?status=429&retryAfter=x&count=1", "retryAfter"),
        List.of("/sim/ticker-refuse?status=429&retryAfter=1", "count"),
        List.of("/sim/ticker-delay?count=1", "delayMs"),
        List.of("/sim/ticker-delay?delayMs=-1&count=1", "delayMs"),
        List.of("/sim/ticker-delay?delayMs=10", "count"),
        List.of("/sim/symbol-status?status=BREAK", "symbol"),
        List.of("/sim/symbol-status?symbol=NOPEUSDT&status=BREAK", "symbol"),
        List.of("/sim/symbol-status?symbol=BTCUSDT", "status"),
        List.of("/sim/symbol-status?symbol=BTCUSDT&status=on%20break", "status"))) {
      SimClient.Response r = client.post(bad.get(0));
      assertThat(r.status()).as(bad.get(0)).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getString("parameter")).as(bad.get(0)).isEqualTo(bad.get(1));
    }
    assertThat(client.get("/sim/ticker-refuse").status()).isEqualTo(405);
    assertThat(client.get("/sim/symbol-status").status()).isEqualTo(405);
    assertThat(sim.restCalls()).as("control routes are no REST calls").noneMatch(c -> c.pathAndQuery()
        .startsWith("/sim"));
  }

  private static List<String> statuses(String exchangeInfo) {
    return new JsonObject(exchangeInfo).getJsonArray("symbols").stream()
        .map(o -> ((JsonObject) o).getString("status")).toList();
  }

  private static JsonObject ok(SimClient.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().get("Content-Type")).startsWith("application/json");
    return new JsonObject(r.body());
  }
}
