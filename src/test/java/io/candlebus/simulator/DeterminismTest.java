package io.candlebus.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two simulators with the same options are the same exchange: same trades, same REST answers for the past. */
@ExtendWith(VertxExtension.class)
class DeterminismTest {
  private static final long START = 1_704_067_200_000L;

  @Test
  void sameOptionsSameHistoryAndAnswers(Vertx vertx) {
    SimulatorOptions options = SimulatorOptions.defaults().withSymbols("BTCUSDT", "DOGEUSDT").withRate(3)
        .withSeed(2024).withStartTime(START).withSpeed(1).withHistoryMinutes(20);
    BinanceSimulator a = SimClient.deploy(vertx, options);
    BinanceSimulator b = SimClient.deploy(vertx, options);
    BinanceSimulator other = SimClient.deploy(vertx, options.withSeed(2025));
    for (String symbol : options.symbols()) {
      assertThat(a.history(symbol).between(0, START)).hasSizeGreaterThan(3000)
          .isEqualTo(b.history(symbol).between(0, START))
          .isNotEqualTo(other.history(symbol).between(0, START));
    }
    String past = "/api/v3/klines?symbol=DOGEUSDT&interval=1m&endTime=" + (START - 1);
    String fromA = new SimClient(vertx, a.port()).get(past).body();
    assertThat(fromA).contains("[[").isEqualTo(new SimClient(vertx, b.port()).get(past).body());
    String trades = "/api/v3/aggTrades?symbol=BTCUSDT&startTime=" + (START - 600_000) + "&limit=100";
    assertThat(new SimClient(vertx, a.port()).get(trades).body())
        .isEqualTo(new SimClient(vertx, b.port()).get(trades).body());
  }
}
