package io.candlebus.upstream;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Addresses;
import io.candlebus.Gateway;
import io.candlebus.depth.BookTicker;
import io.candlebus.depth.DepthParser;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.candlebus.testing.SharedData;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole path with Binance's own data: the simulator replays a cryptofeed capture (its @depth@100ms diffs and
 * bookTickers at 4× the recorded pace, its depth snapshots on /api/v3/depth), the gateway keeps the books, and
 * every book it publishes on market.depth.&lt;S&gt; has the best bid and ask — price and size — of the capture's
 * newest bookTicker at or before the book's update id, and never crosses.
 */
@ExtendWith(VertxExtension.class)
class RealDepthReplayTest {
  private static final Pattern SNAPSHOT_SYMBOL = Pattern.compile("/depth\\?\\S*?symbol=([A-Z0-9]+)\\S* -> ");

  @ParameterizedTest
  @ValueSource(strings = {"cryptofeed_binance_2021-04-05", "cryptofeed_binance_2021-04-17",
      "cryptofeed_binance_2021-08-14", "cryptofeed_binance_2021-10-12"})
  void everyPublishedBookHasTheRecordedBestBidAndAsk(String capture, Vertx vertx, @TempDir Path dir)
      throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(SharedData.real(capture))) {
      files = list.sorted().toList();
    }
    TreeSet<String> symbols = new TreeSet<>();
    Map<String, TreeMap<Long, BookTicker>> tickers = new ConcurrentHashMap<>();
    for (Path f : files) {
      for (String line : Files.readAllLines(f)) {
        Matcher m = SNAPSHOT_SYMBOL.matcher(line);
        if (m.find()) {
          symbols.add(m.group(1));
        }
      }
      for (String frame : SharedData.cryptofeedFrames(f)) {
        if (frame.contains("@bookTicker\"")) {
          BookTicker t = DepthParser.bookTicker(frame);
          tickers.computeIfAbsent(t.symbol(), k -> new TreeMap<>()).put(t.updateId(), t);
        }
      }
    }
    assertThat(symbols).isNotEmpty();
    List<String> simSymbols = new ArrayList<>(symbols);
    simSymbols.add("BTCUSDT"); // the gateway's candles: a symbol the recording does not stream
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols(simSymbols)
        .withHistoryMinutes(2).withReplayFiles(files).withReplaySpeed(4));
    await(vertx.deployVerticle(sim));

    List<JsonObject> published = Collections.synchronizedList(new ArrayList<>());
    for (String s : symbols) {
      vertx.eventBus().<JsonObject>consumer(Addresses.depth(s), m -> published.add(m.body()));
    }
    Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, TestPostgres.newDatabaseUrl(), dir, Map.of(
        "CANDLEBUS_SYMBOLS", "BTCUSDT", "CANDLEBUS_INTERVALS", "1m", "CANDLEBUS_HISTORY_LIMIT", "2",
        "CANDLEBUS_DEPTH_SYMBOLS", String.join(",", symbols)))));
    // until the playback is over: no new book for 3 s after every symbol has been live
    Await.until(vertx, Duration.ofMinutes(2), "the replay played out", () -> {
      int before = published.size();
      return vertx.timer(3_000).map(v -> published.size() == before && symbols.stream().allMatch(s ->
          published.stream().anyMatch(b -> s.equals(b.getString("symbol")) && "LIVE".equals(b.getString("state")))));
    });
    double resyncs = g.registry().find("candlebus_depth_resyncs_total").counters().stream()
        .mapToDouble(Counter::count).sum();
    await(g.close());

    int compared = 0;
    int live = 0;
    for (JsonObject b : List.copyOf(published)) {
      if (!"LIVE".equals(b.getString("state"))) {
        continue;
      }
      live++;
      String symbol = b.getString("symbol");
      JsonArray bid = b.getJsonArray("bids").getJsonArray(0);
      JsonArray ask = b.getJsonArray("asks").getJsonArray(0);
      assertThat(new BigDecimal(bid.getString(0))).as("%s crossed at %d", symbol, b.getLong("updateId"))
          .isLessThan(new BigDecimal(ask.getString(0)));
      var t = tickers.getOrDefault(symbol, new TreeMap<>()).floorEntry(b.getLong("updateId"));
      if (t == null) {
        continue;
      }
      BookTicker bt = t.getValue();
      String at = symbol + " at " + b.getLong("updateId") + " vs bookTicker u=" + bt.updateId();
      assertThat(new BigDecimal(bid.getString(0))).as(at + ": bid").isEqualByComparingTo(bt.bid());
      assertThat(new BigDecimal(bid.getString(1))).as(at + ": bid size").isEqualByComparingTo(bt.bidQuantity());
      assertThat(new BigDecimal(ask.getString(0))).as(at + ": ask").isEqualByComparingTo(bt.ask());
      assertThat(new BigDecimal(ask.getString(1))).as(at + ": ask size").isEqualByComparingTo(bt.askQuantity());
      compared++;
    }
    System.out.printf("%s through simulator and gateway: %d symbols, %d live books published, %d compared with "
        + "the recorded bookTicker, all equal; %.0f resyncs%n", capture, symbols.size(), live, compared, resyncs);
    assertThat(resyncs).as("the recorded stream has no hole").isZero();
    assertThat(compared).isGreaterThanOrEqualTo(symbols.size() * 5);
  }
}
