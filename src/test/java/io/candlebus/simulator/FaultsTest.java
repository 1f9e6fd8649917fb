package io.candlebus.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.candlebus.domain.Interval;
import io.candlebus.domain.Trade;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each stream fault on real sockets: what the client sees, what REST still says, what the stats count. */
@ExtendWith(VertxExtension.class)
class FaultsTest {
  private static final long START = 1_704_067_200_000L;
  private static final long PING_MS = 100;
  private BinanceSimulator sim;
  private SimClient client;

  @BeforeEach
  void start(Vertx vertx) {
    // 3 trades per simulated second at speed 60: about 180 trades and one closed 1m kline per real second
    sim = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols("BTCUSDT").withRate(3).withSeed(11)
        .withStartTime(START).withSpeed(60).withHistoryMinutes(2).withPingIntervalMs(PING_MS));
    client = new SimClient(vertx, sim.port());
  }

  @Test
  void dropAllClosesEveryConnectionWithGoingAway() throws Exception {
    SimClient.Ws a = client.connect("/ws/btcusdt@aggTrade");
    SimClient.Ws b = client.connect("/stream?streams=btcusdt@kline_1m");
    SimClient.awaitTrue("two connections", () -> sim.openConnections() == 2);
    assertThat(SimClient.await(sim.dropAll())).isEqualTo(2);
    assertThat(sim.openConnections()).as("gone when the future completes").isZero();
    SimClient.awaitTrue("both closed", () -> a.closed && b.closed);
    assertThat(a.closeCode).isEqualTo((short) 1001);
    assertThat(b.closeCode).isEqualTo((short) 1001);
    assertThat(SimClient.await(sim.dropAll())).isZero();
    assertThat(sim.stats().connectionAttempts()).isEqualTo(2);
  }

  @Test
  void aSilencedConnectionGetsNothingYetStaysOpen() throws Exception {
    SimClient.Ws quiet = client.connect("/ws/btcusdt@aggTrade");
    quiet.nextMatching(o -> "aggTrade".equals(o.getString("e")));
    SimClient.awaitTrue("a ping", () -> !quiet.pingNanos.isEmpty());
    assertThat(SimClient.await(sim.silenceOpenConnections())).isEqualTo(1);
    quiet.send("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":1}");

    // a connection opened afterwards is normal, and its pings are the clock of this test
    SimClient.Ws witness = client.connect("/ws/btcusdt@aggTrade");
    witness.nextMatching(o -> "aggTrade".equals(o.getString("e")));
    SimClient.awaitTrue("witness: 3 pings", () -> witness.pingNanos.size() >= 3);
    // what was already in flight has long arrived; from here on the silenced one must get nothing
    int pings = quiet.pingNanos.size();
    quiet.texts.clear();
    int from = witness.pingNanos.size();
    SimClient.awaitTrue("witness: 4 more pings", () -> witness.pingNanos.size() >= from + 4);
    long windowMs = (witness.pingNanos.get(from + 3) - witness.pingNanos.get(from - 1)) / 1_000_000L;
    assertThat(windowMs).as("more than 2 ping intervals").isGreaterThan(2 * PING_MS);
    assertThat(quiet.pingNanos).hasSize(pings);
    assertThat(quiet.texts).as("no events, no control reply").isEmpty();
    assertThat(quiet.closed).isFalse();
    assertThat(sim.openConnections()).isEqualTo(2);
    assertThat(sim.stats().silencedConnections()).isEqualTo(1);
    assertThat(sim.stats().controlMessages()).isEqualTo(1);
    assertThat(sim.stats().streamsSubscribed()).containsEntry("btcusdt@aggTrade", 2);
  }

  @Test
  void skippedTradesNeverReachAStreamButRestAndKlinesHaveThem() throws Exception {
    SimClient.Ws raw = client.connect("/ws/btcusdt@aggTrade");
    SimClient.Ws combined = client.connect("/stream?streams=btcusdt@aggTrade/btcusdt@kline_1m");
    // a trade seen before the skip proves the stream ran up to the gap
    long rawFirst = raw.nextMatching(o -> "aggTrade".equals(o.getString("e"))).getLong("a");
    long combinedFirst = combined.nextMatching(o -> "btcusdt@aggTrade".equals(o.getString("stream")))
        .getJsonObject("data").getLong("a");
    LongRange skipped = SimClient.await(sim.skipNextTrades("BTCUSDT", 7));
    assertThat(skipped.size()).isEqualTo(7);
    LongRange next = SimClient.await(sim.skipNextTrades("btcusdt", 2));
    assertThat(next).as("a second skip leaves out the trades after the first").isEqualTo(
        new LongRange(skipped.last() + 1, skipped.last() + 2));

    List<JsonObject> klines = new ArrayList<>();
    List<Long> rawIds = streamedIdsUpTo(raw, rawFirst, next.last() + 3, false, new ArrayList<>());
    List<Long> combinedIds = streamedIdsUpTo(combined, combinedFirst, next.last() + 3, true, klines);
    for (List<Long> ids : List.of(rawIds, combinedIds)) {
      assertThat(ids).noneMatch(id -> id >= skipped.first() && id <= next.last());
      assertConsecutiveAround(ids, skipped.first(), next.last());
    }

    JsonArray rest = new JsonArray(client.get("/api/v3/aggTrades?symbol=BTCUSDT&fromId=" + skipped.first()
        + "&limit=9").body());
    assertThat(ids(rest)).isEqualTo(range(skipped.first(), next.last()));
    assertKlineCountsEveryTrade(combined, klines, skipped.first());
  }

  @Test
  void lostTradesAreMissingFromRestAggTradesTooButNotFromKlines() throws Exception {
    SimClient.Ws ws = client.connect("/stream?streams=btcusdt@aggTrade/btcusdt@kline_1m");
    long first = ws.nextMatching(o -> "btcusdt@aggTrade".equals(o.getString("stream")))
        .getJsonObject("data").getLong("a");
    LongRange lost = SimClient.await(sim.loseNextTrades("BTCUSDT", 4));
    List<JsonObject> klines = new ArrayList<>();
    List<Long> streamed = streamedIdsUpTo(ws, first, lost.last() + 5, true, klines);
    assertThat(streamed).noneMatch(lost::contains);
    assertConsecutiveAround(streamed, lost.first(), lost.last());

    // fromId: the lost ones are left out and the limit is still filled
    JsonArray byId = new JsonArray(client.get("/api/v3/aggTrades?symbol=BTCUSDT&fromId=" + (lost.first() - 2)
        + "&limit=5").body());
    assertThat(ids(byId)).containsExactly(lost.first() - 2, lost.first() - 1, lost.last() + 1, lost.last() + 2,
        lost.last() + 3);
    TradeHistory h = sim.history("BTCUSDT");
    Trade before = h.fromId(lost.first() - 1, 1).get(0);
    Trade after = h.fromId(lost.last() + 1, 1).get(0);
    JsonArray byTime = new JsonArray(client.get("/api/v3/aggTrades?symbol=BTCUSDT&startTime=" + before.time()
        + "&endTime=" + after.time() + "&limit=1000").body());
    assertThat(ids(byTime)).contains(before.aggId(), after.aggId()).noneMatch(lost::contains);
    List<Long> kept = h.between(0, after.time()).stream().map(Trade::aggId).filter(id -> !lost.contains(id))
        .toList();
    JsonArray latest = new JsonArray(client.get("/api/v3/aggTrades?symbol=BTCUSDT&endTime=" + after.time()
        + "&limit=3").body());
    assertThat(ids(latest)).isEqualTo(kept.subList(kept.size() - 3, kept.size()));
    assertKlineCountsEveryTrade(ws, klines, lost.first());
  }

  @Test
  void serverShutdownEventOnRawAndCombinedThenCloseAfterTheDelay() throws Exception {
    SimClient.Ws quiet = client.connect("/ws/btcusdt@aggTrade");
    SimClient.awaitTrue("one connection", () -> sim.openConnections() == 1);
    assertThat(SimClient.await(sim.silenceOpenConnections())).isEqualTo(1);
    SimClient.Ws raw = client.connect("/ws/btcusdt@aggTrade");
    SimClient.Ws combined = client.connect("/stream?streams=btcusdt@aggTrade");
    SimClient.awaitTrue("three connections", () -> sim.openConnections() == 3);

    long before = sim.now();
    long called = System.nanoTime();
    assertThat(SimClient.await(sim.serverShutdown(400))).as("the silenced one is not told").isEqualTo(2);
    JsonObject onRaw = raw.nextMatching(o -> "serverShutdown".equals(o.getString("e")));
    assertThat(onRaw.fieldNames()).containsExactlyInAnyOrder("e", "E");
    assertThat(onRaw.getLong("E")).isBetween(before, sim.now());
    JsonObject onCombined = combined.nextMatching(o -> "!serverShutdown".equals(o.getString("stream")));
    assertThat(onCombined.fieldNames()).containsExactlyInAnyOrder("stream", "data");
    assertThat(onCombined.getJsonObject("data").fieldNames()).containsExactlyInAnyOrder("e", "E");
    assertThat(onCombined.getJsonObject("data").getString("e")).isEqualTo("serverShutdown");
    assertThat(onCombined.getJsonObject("data").getLong("E")).isBetween(before, sim.now());
    assertThat(quiet.texts).noneMatch(t -> t.contains("serverShutdown"));

    SimClient.awaitTrue("all closed", () -> raw.closed && combined.closed && quiet.closed);
    for (SimClient.Ws ws : List.of(raw, combined, quiet)) {
      assertThat((ws.closedNanos - called) / 1_000_000L).as("closed after closeAfterMs").isGreaterThanOrEqualTo(400);
      assertThat(ws.closeCode).isEqualTo((short) 1001);
    }
    SimClient.awaitTrue("none open", () -> sim.openConnections() == 0);
  }

  @Test
  void malformedFramesReachEveryConnectionAsGenerated() throws Exception {
    SimClient.Ws raw = client.connect("/ws");
    SimClient.Ws combined = client.connect("/stream");
    SimClient.awaitTrue("two connections", () -> sim.openConnections() == 2);
    int n = MalformedFrames.kinds() * 2;
    assertThat(SimClient.await(sim.injectMalformed(n, 5))).isEqualTo(2);
    List<String> expected = MalformedFrames.generate(n, 5);
    for (SimClient.Ws ws : List.of(raw, combined)) {
      List<String> got = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        got.add(ws.next());
      }
      assertThat(got).isEqualTo(expected);
    }
    assertThat(raw.closed || combined.closed).isFalse();
  }

  @Test
  void statsCountHandshakesClosesMessagesAndSubscriptions() throws Exception {
    SimClient.Ws a = client.connect("/ws/btcusdt@aggTrade");
    SimClient.Ws b = client.connect("/stream?streams=btcusdt@aggTrade/btcusdt@kline_1m");
    assertThatThrownBy(() -> client.connect("/nope")).as("refused, yet a handshake received")
        .hasMessageContaining("404");
    SimClient.awaitTrue("two connections", () -> sim.openConnections() == 2);
    SimStats s = sim.stats();
    assertThat(s.connectionAttempts()).isEqualTo(3);
    assertThat(s.streamsSubscribed()).isEqualTo(Map.of("btcusdt@aggTrade", 2, "btcusdt@kline_1m", 1));
    for (int i = 0; i < 6; i++) {
      a.send("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":" + i + "}");
    }
    SimClient.awaitTrue("rate-limit close", () -> a.closed && sim.openConnections() == 1);
    s = sim.stats();
    assertThat(s.rateLimitCloses()).isEqualTo(1);
    assertThat(s.controlMessages()).isEqualTo(6);
    assertThat(s.pongTimeoutCloses()).isZero();
    assertThat(s.streamsSubscribed()).isEqualTo(Map.of("btcusdt@aggTrade", 1, "btcusdt@kline_1m", 1));
    assertThat(s.weightLimit()).isEqualTo(SimulatorOptions.defaults().requestWeightLimit());
    assertThat(s.toJson().getJsonObject("streamsSubscribed").getInteger("btcusdt@kline_1m")).isEqualTo(1);
    b.close();
  }

  /**
   * Agg ids of the aggTrade frames, from {@code first} (already read) until one with id >= {@code until}; other
   * frames go to {@code others}.
   */
  private static List<Long> streamedIdsUpTo(SimClient.Ws ws, long first, long until, boolean combined,
      List<JsonObject> others) throws InterruptedException {
    List<Long> ids = new ArrayList<>(List.of(first));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SimClient.TIMEOUT_S);
    while (ids.get(ids.size() - 1) < until) {
      assertThat(System.nanoTime()).as("stream reached id " + until).isLessThan(deadline);
      String text = ws.texts.poll(100, TimeUnit.MILLISECONDS);
      if (text == null) {
        continue;
      }
      JsonObject o = new JsonObject(text);
      JsonObject event = combined ? o.getJsonObject("data") : o;
      if ("aggTrade".equals(event.getString("e"))) {
        ids.add(event.getLong("a"));
      } else {
        others.add(o);
      }
    }
    return ids;
  }

  /** Every id is one more than the one before, except for one jump over [gapFirst, gapLast]. */
  private static void assertConsecutiveAround(List<Long> ids, long gapFirst, long gapLast) {
    assertThat(ids.get(0)).isLessThan(gapFirst);
    for (int i = 1; i < ids.size(); i++) {
      long expected = ids.get(i - 1) == gapFirst - 1 ? gapLast + 1 : ids.get(i - 1) + 1;
      assertThat(ids.get(i)).as("id after " + ids.get(i - 1)).isEqualTo(expected);
    }
  }

  /** The closed 1m kline holding trade {@code aggId} counts every trade of its window, hidden ones included. */
  private void assertKlineCountsEveryTrade(SimClient.Ws combined, List<JsonObject> seen, long aggId)
      throws InterruptedException {
    Trade t = sim.history("BTCUSDT").fromId(aggId, 1).get(0);
    long open = Interval.M1.openTime(t.time());
    Predicate<JsonObject> closedWindow = o -> o.getString("stream").endsWith("kline_1m")
        && o.getJsonObject("data").getJsonObject("k").getLong("t") == open
        && o.getJsonObject("data").getJsonObject("k").getBoolean("x");
    JsonObject frame = seen.stream().filter(closedWindow).findFirst().orElse(null);
    if (frame == null) {
      frame = combined.nextMatching(closedWindow);
    }
    JsonObject k = frame.getJsonObject("data").getJsonObject("k");
    long trades = sim.history("BTCUSDT").between(open, open + 59_999).stream()
        .mapToLong(x -> x.lastTradeId() - x.firstTradeId() + 1).sum();
    assertThat(k.getLong("n")).isEqualTo(trades);
    assertThat(k.getLong("f")).isLessThanOrEqualTo(t.firstTradeId());
    assertThat(k.getLong("L")).isGreaterThanOrEqualTo(t.lastTradeId());
    JsonArray row = new JsonArray(client.get("/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=" + open
        + "&limit=1").body()).getJsonArray(0);
    assertThat(row.getLong(8)).isEqualTo(trades);
    assertThat(row.getString(5)).isEqualTo(k.getString("v"));
  }

  private static List<Long> ids(JsonArray trades) {
    List<Long> out = new ArrayList<>();
    trades.forEach(o -> out.add(((JsonObject) o).getLong("a")));
    return out;
  }

  private static List<Long> range(long first, long last) {
    List<Long> out = new ArrayList<>();
    for (long i = first; i <= last; i++) {
      out.add(i);
    }
    return out;
  }
}
