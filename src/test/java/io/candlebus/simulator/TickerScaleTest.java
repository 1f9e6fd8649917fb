package io.candlebus.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 1 500 symbols, as the gateway's ticker tests run them: the simulator starts, the all-symbols ticker answers
 * 1 500 entries and the stream sends only what changed.
 * Prints its figures (start, tick, answer and frame sizes) for docs/BENCHMARKS-style notes.
 */
@ExtendWith(VertxExtension.class)
class TickerScaleTest {
  static final int SYMBOLS = 1_500;

  /** M0001BTC, M0002ETH, M0003USDT, ...: mixed quote assets, as the gateway test names them. */
  static List<String> symbols() {
    String[] quotes = {"USDT", "BTC", "ETH"};
    List<String> out = new ArrayList<>(SYMBOLS);
    for (int i = 1; i <= SYMBOLS; i++) {
      out.add(String.format("M%04d%s", i, quotes[i % 3]));
    }
    return out;
  }

  @Test
  void fifteenHundredSymbolsArePractical(Vertx vertx) throws Exception {
    long t0 = System.nanoTime();
    BinanceSimulator sim = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols(symbols()).withRate(0.2)
        .withHistoryMinutes(10));
    long startMs = (System.nanoTime() - t0) / 1_000_000;
    SimClient client = new SimClient(vertx, sim.port());
    SimClient.Ws ws = client.connect("/ws/!miniTicker@arr/m0001btc@depth@100ms/m0002eth@bookTicker");

    long r0 = System.nanoTime();
    SimClient.Response all = client.get("/api/v3/ticker/24hr");
    long restMs = (System.nanoTime() - r0) / 1_000_000;
    assertThat(all.status()).isEqualTo(200);
    JsonArray tickers = new JsonArray(all.body());
    assertThat(tickers).hasSize(SYMBOLS);
    assertThat(tickers.getJsonObject(0).getString("symbol")).isEqualTo("M0001BTC");
    assertThat(tickers.getJsonObject(SYMBOLS - 1).getString("symbol")).isEqualTo("M1500USDT");
    assertThat(tickers.getJsonObject(0).getLong("count")).isPositive();
    assertThat(new JsonArray(client.get("/api/v3/ticker/24hr?type=MINI").body())).hasSize(SYMBOLS);
    long warm = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long w0 = System.nanoTime();
      client.get("/api/v3/ticker/24hr");
      warm = Math.min(warm, (System.nanoTime() - w0) / 1_000_000);
    }
    JsonObject info = new JsonObject(client.get("/api/v3/exchangeInfo").body());
    assertThat(info.getJsonArray("symbols")).hasSize(SYMBOLS);
    assertThat(info.getJsonArray("symbols").getJsonObject(1).getString("quoteAsset")).isEqualTo("ETH");

    // 0.2 trades/s: about a fifth of the symbols change in a second
    JsonArray frame = null;
    while (frame == null) {
      String next = ws.next();
      if (next.startsWith("[")) {
        frame = new JsonArray(next);
      }
    }
    assertThat(frame.size()).isBetween(1, SYMBOLS / 2);

    SimCounters c = sim.counters();
    long n0 = c.ticks.get();
    long ns0 = c.tickNanos.get();
    c.maxTickNanos.set(0);
    SimClient.awaitTrue("3 s of ticks", () -> c.ticks.get() - n0 >= 150);
    double meanMs = (c.tickNanos.get() - ns0) / 1e6 / (c.ticks.get() - n0);
    System.out.printf("TickerScaleTest: %d symbols: start %d ms, tick mean %.2f ms / max %.2f ms over %d ticks, "
        + "all-symbols ticker/24hr %d ms cold, %d ms warm (%d KB), miniTicker frame %d symbols (%d KB)%n", SYMBOLS,
        startMs, meanMs, c.maxTickNanos.get() / 1e6, c.ticks.get() - n0, restMs, warm, all.body().length() / 1024,
        frame.size(), frame.encode().length() / 1024);
    // the tick's cost is printed, not asserted: speed is judged by figures, not by a timed test on a loaded box
    assertThat(c.ticks.get() - n0).isGreaterThanOrEqualTo(150);
  }
}
