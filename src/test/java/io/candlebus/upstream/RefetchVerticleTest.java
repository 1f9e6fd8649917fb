package io.candlebus.upstream;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Addresses;
import io.candlebus.LocalCodec;
import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.RestCall;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.candlebus.testing.Http;
import io.candlebus.testing.TestConfigs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A window closed without all its trades is stored as Binance's REST kline has it, not as we saw it; unless
 * Binance's stream closed it meanwhile, then nothing is fetched.
 */
@ExtendWith(VertxExtension.class)
class RefetchVerticleTest {
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  @Test
  void aPartialWindowIsStoredAsBinanceHasItAndOneBinanceClosedIsNotFetched(Vertx vertx, @TempDir Path dir) {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT")
        .withHistoryMinutes(10).withSeed(4));
    await(vertx.deployVerticle(sim));
    LocalCodec.register(vertx, Candle.class);
    List<Candle> stored = new CopyOnWriteArrayList<>();
    vertx.eventBus().<Candle>localConsumer(Addresses.CANDLES_CLOSED, m -> stored.add(m.body()));
    await(vertx.deployVerticle(new RefetchVerticle(TestConfigs.against(sim, "", dir, Map.of()),
        RestWeightLimiter.binanceDefault(), new SimpleMeterRegistry())));

    JsonArray rows = Http.getArray(sim.restBaseUrl() + "/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=5");
    Candle settled = BinanceRest.kline("BTCUSDT", Interval.M1, rows.getJsonArray(1), Long.MAX_VALUE);
    Candle binance = BinanceRest.kline("BTCUSDT", Interval.M1, rows.getJsonArray(2), Long.MAX_VALUE);
    // ours: joined mid-window, the first trades and their volume missing
    Candle ours = new Candle("BTCUSDT", Interval.M1, binance.openTime(), binance.closeTime(), binance.close(),
        binance.high(), binance.low(), binance.close(), BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ZERO,
        BigDecimal.ZERO, 1, binance.lastTradeId(), binance.lastTradeId(), true);
    assertThat(ours.sameValues(binance)).isFalse();

    // Binance's stream closed this one right after ours: already stored, nothing to fetch
    vertx.eventBus().send(Addresses.CANDLES_PARTIAL, settled, LOCAL);
    vertx.eventBus().send(Addresses.CANDLES_PARTIAL, settled, new DeliveryOptions().setLocalOnly(true)
        .addHeader(RefetchVerticle.BINANCE_HEADER, "true"));
    vertx.eventBus().send(Addresses.CANDLES_PARTIAL, ours, LOCAL);

    Await.until(vertx, Duration.ofSeconds(30), "a candle is stored", () -> Future.succeededFuture(!stored.isEmpty()));
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).openTime()).isEqualTo(binance.openTime());
    assertThat(stored.get(0).sameValues(binance)).as("Binance's, not ours: %s", stored.get(0).describe()).isTrue();
    assertThat(sim.restCalls()).extracting(RestCall::pathAndQuery)
        .anyMatch(q -> q.startsWith("/api/v3/klines") && q.contains("startTime=" + binance.openTime()))
        .noneMatch(q -> q.contains("startTime=" + settled.openTime()));
  }
}
