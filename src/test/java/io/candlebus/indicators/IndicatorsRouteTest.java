package io.candlebus.indicators;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Gateway;
import io.candlebus.domain.Candle;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.HttpSession;
import io.candlebus.testing.SharedData;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.candlebus.testing.TestUsers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/indicators} on a gateway whose history is the real BTCUSDT archive of 2020-01-01..03 (backfilled
 * from the simulator): the points line up with {@code /api/candles}, and their values — warm-up read from older
 * stored candles — equal the textbook computation over the whole archive. Bad parameters get 400 naming them.
 */
@ExtendWith(VertxExtension.class)
class IndicatorsRouteTest {
  private static final long JAN_3 = Instant.parse("2020-01-03T00:00:00Z").toEpochMilli();
  private static final long JAN_4 = Instant.parse("2020-01-04T00:00:00Z").toEpochMilli();

  @Test
  void pointsAlignWithTheCandlesAndEqualTheWholeHistorysValues(Vertx vertx, @TempDir Path dir) throws Exception {
    IndicatorEngineTest.load();
    List<BigDecimal> closes = IndicatorEngineTest.candles.stream().map(Candle::close).toList();
    int jan3 = (int) IndicatorEngineTest.candles.stream().filter(c -> c.openTime() < JAN_3).count();
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT")
        .withKlineArchiveDir(SharedData.real("binance_vision_BTCUSDT_1m_2020-01-01_03")).withStartTime(JAN_4)
        .withHistoryMinutes(0).withRate(0.2));
    await(vertx.deployVerticle(sim));
    String db = TestPostgres.newDatabaseUrl();
    Gateway gateway = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir,
        Map.of("CANDLEBUS_INTERVALS", "1m", "CANDLEBUS_HISTORY_LIMIT", "4320"))));
    await(gateway.backfillDone());
    TestUsers.create(vertx, db, "alice");
    HttpSession alice = HttpSession.login("http://127.0.0.1:" + gateway.httpPort(), "alice", TestUsers.PASSWORD);

    String window = "symbol=BTCUSDT&interval=1m&startTime=" + JAN_3 + "&limit=500";
    JsonArray candles = alice.getArray("/api/candles?" + window);
    assertThat(candles).hasSize(500);
    JsonArray rsi = alice.getArray("/api/indicators?" + window + "&name=rsi&period=14");
    JsonArray ema = alice.getArray("/api/indicators?" + window + "&name=ema&period=200");
    JsonArray bb = alice.getArray("/api/indicators?" + window + "&name=bb&period=20&k=2");
    JsonArray macd = alice.getArray("/api/indicators?" + window + "&name=macd");
    List<BigDecimal> rsiWant = IndicatorEngineTest.rsi(closes, 14);
    List<BigDecimal> emaWant = IndicatorEngineTest.ema(closes, 200);
    List<BigDecimal> mid = IndicatorEngineTest.sma(closes, 20);
    List<BigDecimal> fast = IndicatorEngineTest.ema(closes, 12);
    List<BigDecimal> slow = IndicatorEngineTest.ema(closes, 26);
    for (int i = 0; i < 500; i++) {
      long open = candles.getJsonObject(i).getLong("openTime");
      for (JsonArray a : List.of(rsi, ema, bb, macd)) {
        assertThat(a.getJsonObject(i).getLong("time")).isEqualTo(open);
      }
      assertThat(value(rsi, i, "value")).as("rsi at %d", i).isEqualTo(r(rsiWant.get(jan3 + i)));
      assertThat(value(ema, i, "value")).as("ema 200 at %d", i).isEqualTo(r(emaWant.get(jan3 + i)));
      assertThat(value(bb, i, "middle")).as("bb at %d", i).isEqualTo(r(mid.get(jan3 + i)));
      assertThat(value(macd, i, "macd")).as("macd at %d", i)
          .isEqualTo(r(fast.get(jan3 + i).subtract(slow.get(jan3 + i))));
    }
    assertThat(new BigDecimal(bb.getJsonObject(0).getString("upper")))
        .isGreaterThan(new BigDecimal(bb.getJsonObject(0).getString("middle")));

    for (String[] bad : new String[][] {{"name=wma", "name"}, {"name=rsi&period=0", "period"},
        {"name=sma&period=x", "period"}, {"name=macd&fast=40", "fast"}, {"name=bb&k=0", "k"}}) {
      HttpResponse<String> r = alice.get("/api/indicators?" + window + "&" + bad[0]);
      assertThat(r.statusCode()).as(bad[0]).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getString("error")).as(bad[0]).contains("parameter " + bad[1]);
    }
    assertThat(alice.get("/api/indicators?interval=1m&name=rsi").statusCode()).isEqualTo(400);
    assertThat(alice.get("/api/indicators?symbol=NOPEUSDT&interval=1m&name=rsi").statusCode()).isEqualTo(404);
    await(gateway.close());
  }

  private static BigDecimal value(JsonArray a, int i, String field) {
    return new BigDecimal(a.getJsonObject(i).getString(field)).setScale(8, RoundingMode.UNNECESSARY);
  }

  private static BigDecimal r(BigDecimal v) {
    return v.setScale(8, RoundingMode.HALF_UP);
  }
}
