package io.candlebus.tail;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.domain.Interval;
import io.candlebus.domain.Trade;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code tail --binance} in its own JVM against the in-process Binance simulator, on 127.0.0.1. */
class TailBinanceTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final Pattern CANDLE = Pattern.compile("(\\d+) BTCUSDT 1m (\\d+\\.\\d{8}) (live|closed)");
  private static final Pattern TRADE = Pattern.compile("(\\d+) BTCUSDT trade (\\d+\\.\\d{8}) (\\d+\\.\\d{8})");
  static Vertx vertx;
  static BinanceSimulator sim;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    sim = new BinanceSimulator(SimulatorOptions.defaults().withRate(20).withHistoryMinutes(5).withSeed(11));
    await(vertx.deployVerticle(sim));
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  private static TailProcess tail(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(new String[] {"--binance", "--ws-url", sim.wsBaseUrl(), "--symbol"}, 0, all, 0, 4);
    System.arraycopy(args, 0, all, 4, args.length);
    return TailProcess.start(Map.of(), all);
  }

  @Test
  void candleLinesCarryTheSimulatorsClosesExactlyAsSent() throws Exception {
    try (TailProcess p = tail("btcusdt", "--interval", "1m", "--time", "ms")) {
      List<String> lines = p.awaitOut(PATIENCE, "6 candle lines with 3 prices", l -> l.size() >= 6
          && l.stream().map(x -> x.split(" ")[3]).distinct().count() >= 3);
      for (String line : lines) {
        Matcher m = CANDLE.matcher(line);
        assertThat(m.matches()).as("a candle line: %s", line).isTrue();
        long openTime = Long.parseLong(m.group(1));
        assertThat(Interval.M1.openTime(openTime)).as("the window's open time").isEqualTo(openTime);
        // the close of a window is the price of one of its trades (the last so far)
        List<Trade> window = sim.history("BTCUSDT").between(openTime, openTime + 59_999);
        assertThat(window).as("a trade of %s at %s", line, m.group(2))
            .anyMatch(t -> t.price().compareTo(new BigDecimal(m.group(2))) == 0);
      }
      assertThat(p.terminate(PATIENCE)).as("exit code after SIGTERM").isZero();
      assertThat(p.err()).isEmpty();
    }
  }

  @Test
  void tradeLinesAreTheSimulatorsAggTrades() throws Exception {
    try (TailProcess p = tail("BTCUSDT", "--stream", "trade", "--time", "ms")) {
      List<String> lines = p.awaitOut(PATIENCE, "10 trade lines", l -> l.size() >= 10);
      for (String line : lines) {
        Matcher m = TRADE.matcher(line);
        assertThat(m.matches()).as("a trade line: %s", line).isTrue();
        long time = Long.parseLong(m.group(1));
        assertThat(sim.history("BTCUSDT").between(time, time)).as("a trade at %s", line)
            .anyMatch(t -> t.price().compareTo(new BigDecimal(m.group(2))) == 0
                && t.qty().compareTo(new BigDecimal(m.group(3))) == 0);
      }
      assertThat(p.terminate(PATIENCE)).isZero();
    }
  }

  @Test
  void aDroppedConnectionIsReconnectedAndSaidSo() throws Exception {
    try (TailProcess p = tail("btcusdt", "--time", "iso")) {
      p.awaitOut(PATIENCE, "a first line", l -> !l.isEmpty());
      sim.dropAllConnections();
      p.awaitErr(PATIENCE, "tail says it reconnects", e -> e.stream().anyMatch(x -> x.matches(
          "tail: connection lost \\(closed by Binance: 1001.*\\), reconnecting in 1 s")));
      p.awaitErr(PATIENCE, "tail: reconnected", e -> e.contains("tail: reconnected"));
      int before = p.out().size();
      List<String> lines = p.awaitOut(PATIENCE, "3 more lines", l -> l.size() >= before + 3);
      assertThat(lines.get(lines.size() - 1)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00\\.000Z BTCUSDT 1m \\S+ "
          + "(live|closed)");
      assertThat(p.terminate(PATIENCE)).isZero();
    }
  }
}
