package io.candlebus.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.domain.Interval;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stream and REST come from one history: every aggTrade frame and every closed kline frame must be exactly
 * what REST answers for the same ids and windows. Speed 60 makes a 1m window last a real second.
 */
@ExtendWith(VertxExtension.class)
class StreamRestAgreementTest {
  private static final long START = 1_704_067_250_000L;  // 2024-01-01T00:00:50Z, 10 s before a minute closes

  @Test
  void framesEqualRestAnswers(Vertx vertx) throws Exception {
    BinanceSimulator sim = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols("BTCUSDT").withRate(2)
        .withSeed(11).withStartTime(START).withSpeed(60).withHistoryMinutes(5));
    SimClient client = new SimClient(vertx, sim.port());
    SimClient.Ws ws = client.connect("/stream?streams=btcusdt@aggTrade/btcusdt@kline_1s/btcusdt@kline_1m");

    List<JsonObject> trades = new ArrayList<>();
    List<JsonObject> closed1s = new ArrayList<>();
    List<JsonObject> closed1m = new ArrayList<>();
    List<JsonObject> updates1m = new ArrayList<>();
    while (closed1m.size() < 2) {
      JsonObject frame = new JsonObject(ws.next());
      JsonObject data = frame.getJsonObject("data");
      assertThat(frame.getString("stream")).isIn("btcusdt@aggTrade", "btcusdt@kline_1s", "btcusdt@kline_1m");
      if (data.getString("e").equals("aggTrade")) {
        assertThat(frame.getString("stream")).isEqualTo("btcusdt@aggTrade");
        assertThat(data.getLong("E")).isGreaterThanOrEqualTo(data.getLong("T"));
        trades.add(data);
      } else {
        JsonObject k = data.getJsonObject("k");
        assertThat(frame.getString("stream")).isEqualTo("btcusdt@kline_" + k.getString("i"));
        if (k.getBoolean("x")) {
          assertThat(data.getLong("E")).isGreaterThanOrEqualTo(k.getLong("T") + KlineTrack.CLOSE_DELAY_MS);
          (k.getString("i").equals("1s") ? closed1s : closed1m).add(k);
        } else if (k.getString("i").equals("1m")) {
          updates1m.add(k);
        }
      }
    }
    ws.close();

    assertAggTradesMatchRest(client, trades);
    for (JsonObject k : closed1m) {
      JsonArray rows = new JsonArray(client.get("/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime="
          + k.getLong("t") + "&endTime=" + k.getLong("t")).body());
      assertThat(rows).hasSize(1);
      assertSameKline(k, rows.getJsonArray(0));
    }
    // the second closed minute lies wholly inside the streamed trades: recompute it independently
    assertEqualsOwnSum(closed1m.get(1), trades);
    assertThat(updates1m).isNotEmpty().allSatisfy(u -> assertThat(u.getLong("n")).isPositive());
    assertClosedSecondsMatchRest(client, closed1s);
  }

  @Test
  void restIncludesTheOpenBar(Vertx vertx) throws Exception {
    BinanceSimulator sim = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols("ETHUSDT")
        .withStartTime(START).withSpeed(1).withHistoryMinutes(3));
    SimClient client = new SimClient(vertx, sim.port());
    long before = sim.now();
    JsonArray rows = new JsonArray(client.get("/api/v3/klines?symbol=ETHUSDT&interval=1m").body());
    long after = sim.now();
    long lastOpen = rows.getJsonArray(rows.size() - 1).getLong(0);
    assertThat(lastOpen).isBetween(Interval.M1.openTime(before), Interval.M1.openTime(after));
    assertThat(rows.size()).isBetween(3, 5);
    long firstTrade = sim.history("ETHUSDT").firstTradeTime();
    assertThat(rows.getJsonArray(0).getLong(0)).isEqualTo(Interval.M1.openTime(firstTrade));
  }

  private static void assertAggTradesMatchRest(SimClient client, List<JsonObject> trades) {
    assertThat(trades).hasSizeGreaterThan(50);
    for (int i = 1; i < trades.size(); i++) {
      assertThat(trades.get(i).getLong("a")).isEqualTo(trades.get(i - 1).getLong("a") + 1);
      assertThat(trades.get(i).getLong("f")).isEqualTo(trades.get(i - 1).getLong("l") + 1);
    }
    JsonArray rest = new JsonArray(client.get("/api/v3/aggTrades?symbol=BTCUSDT&limit=1000&fromId="
        + trades.get(0).getLong("a")).body());
    assertThat(rest.size()).isGreaterThanOrEqualTo(trades.size());
    for (int i = 0; i < trades.size(); i++) {
      JsonObject s = trades.get(i);
      JsonObject r = rest.getJsonObject(i);
      for (String f : List.of("a", "p", "q", "f", "l", "T", "m", "M")) {
        assertThat(r.getValue(f)).as("aggTrade %s field %s", s.getLong("a"), f).isEqualTo(s.getValue(f));
      }
    }
  }

  private static void assertClosedSecondsMatchRest(SimClient client, List<JsonObject> closed1s) {
    assertThat(closed1s).hasSizeGreaterThan(30);
    for (int i = 1; i < closed1s.size(); i++) {
      assertThat(closed1s.get(i).getLong("t")).isEqualTo(closed1s.get(i - 1).getLong("t") + 1000);
    }
    JsonArray rows = new JsonArray(client.get("/api/v3/klines?symbol=BTCUSDT&interval=1s&limit=1000&startTime="
        + (closed1s.get(0).getLong("t") - 1000)).body());
    Map<Long, JsonArray> byOpen = new HashMap<>();
    rows.forEach(r -> byOpen.put(((JsonArray) r).getLong(0), (JsonArray) r));
    int flat = 0;
    for (JsonObject k : closed1s) {
      assertSameKline(k, byOpen.get(k.getLong("t")));
      if (k.getLong("n") == 0) {
        flat++;
        String previousClose = byOpen.get(k.getLong("t") - 1000).getString(4);
        assertThat(List.of(k.getString("o"), k.getString("h"), k.getString("l"), k.getString("c")))
            .containsOnly(previousClose);
        assertThat(List.of(k.getString("v"), k.getString("q"), k.getString("V"), k.getString("Q")))
            .containsOnly("0.00000000");
        assertThat(k.getLong("f")).isEqualTo(-1L);
        assertThat(k.getLong("L")).isEqualTo(-1L);
      } else {
        assertThat(k.getLong("n")).isEqualTo(k.getLong("L") - k.getLong("f") + 1);
      }
    }
    // at 2 trades/s about one second in seven has no trade
    assertThat(flat).isPositive();
  }

  private static void assertSameKline(JsonObject k, JsonArray row) {
    assertThat(row).as("REST row for %s", k.getLong("t")).isNotNull();
    assertThat(row.getLong(0)).isEqualTo(k.getLong("t"));
    assertThat(row.getString(1)).isEqualTo(k.getString("o"));
    assertThat(row.getString(2)).isEqualTo(k.getString("h"));
    assertThat(row.getString(3)).isEqualTo(k.getString("l"));
    assertThat(row.getString(4)).isEqualTo(k.getString("c"));
    assertThat(row.getString(5)).isEqualTo(k.getString("v"));
    assertThat(row.getLong(6)).isEqualTo(k.getLong("T"));
    assertThat(row.getString(7)).isEqualTo(k.getString("q"));
    assertThat(row.getLong(8)).isEqualTo(k.getLong("n"));
    assertThat(row.getString(9)).isEqualTo(k.getString("V"));
    assertThat(row.getString(10)).isEqualTo(k.getString("Q"));
    assertThat(row.getString(11)).isEqualTo("0");
  }

  /** The kline recomputed from the streamed aggTrades of its window, with nothing but BigDecimal sums. */
  private static void assertEqualsOwnSum(JsonObject k, List<JsonObject> trades) {
    List<JsonObject> in = trades.stream()
        .filter(t -> t.getLong("T") >= k.getLong("t") && t.getLong("T") <= k.getLong("T")).toList();
    assertThat(in).isNotEmpty();
    assertThat(trades.get(0).getLong("T")).isLessThan(k.getLong("t"));
    BigDecimal v = BigDecimal.ZERO;
    BigDecimal q = BigDecimal.ZERO;
    BigDecimal bv = BigDecimal.ZERO;
    BigDecimal bq = BigDecimal.ZERO;
    BigDecimal hi = null;
    BigDecimal lo = null;
    long n = 0;
    for (JsonObject t : in) {
      BigDecimal p = new BigDecimal(t.getString("p"));
      BigDecimal qty = new BigDecimal(t.getString("q"));
      hi = hi == null || p.compareTo(hi) > 0 ? p : hi;
      lo = lo == null || p.compareTo(lo) < 0 ? p : lo;
      v = v.add(qty);
      q = q.add(p.multiply(qty));
      if (!t.getBoolean("m")) {
        bv = bv.add(qty);
        bq = bq.add(p.multiply(qty));
      }
      n += t.getLong("l") - t.getLong("f") + 1;
    }
    assertThat(new BigDecimal(k.getString("o"))).isEqualByComparingTo(in.get(0).getString("p"));
    assertThat(new BigDecimal(k.getString("c"))).isEqualByComparingTo(in.get(in.size() - 1).getString("p"));
    assertThat(new BigDecimal(k.getString("h"))).isEqualByComparingTo(hi);
    assertThat(new BigDecimal(k.getString("l"))).isEqualByComparingTo(lo);
    assertThat(new BigDecimal(k.getString("v"))).isEqualByComparingTo(v);
    assertThat(new BigDecimal(k.getString("q"))).isEqualByComparingTo(q);
    assertThat(new BigDecimal(k.getString("V"))).isEqualByComparingTo(bv);
    assertThat(new BigDecimal(k.getString("Q"))).isEqualByComparingTo(bq);
    assertThat(k.getLong("n")).isEqualTo(n);
    assertThat(k.getLong("f")).isEqualTo(in.get(0).getLong("f"));
    assertThat(k.getLong("L")).isEqualTo(in.get(in.size() - 1).getLong("l"));
  }
}
