package io.candlebus.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.domain.Trade;
import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The incremental rolling window against the statistics computed from scratch out of the window's trades, at many
 * increasing times: trades coming in, leaving, the history dropping trades still in the window, empty windows.
 */
class TickerStatsTest {
  private static final long START = 1_704_067_200_000L;

  /** The statistics of {@code (now - width, now]} from the trades themselves; null when nothing ever traded. */
  static TickerStats expected(TradeHistory h, long now, long width) {
    List<Trade> ts = h.between(now - width + 1, now);
    BigDecimal zero = BigDecimal.ZERO.setScale(8);
    if (ts.isEmpty()) {
      BigDecimal last = h.priceBefore(now + 1).orElse(null);
      return last == null ? null
          : new TickerStats(h.symbol(), now - width, now, last, last, last, last, zero, zero, zero, last, 0, -1, -1);
    }
    BigDecimal high = ts.get(0).price();
    BigDecimal low = high;
    BigDecimal volume = zero;
    BigDecimal quote = zero;
    for (Trade t : ts) {
      high = high.max(t.price());
      low = low.min(t.price());
      volume = volume.add(t.qty());
      quote = quote.add(t.price().multiply(t.qty()));
    }
    Trade last = ts.get(ts.size() - 1);
    return new TickerStats(h.symbol(), now - width, now, ts.get(0).price(), high, low, last.price(), last.qty(),
        volume, quote, h.priceBefore(now - width + 1).orElse(zero), ts.size(), ts.get(0).aggId(), last.aggId());
  }

  @Test
  void theIncrementalWindowEqualsTheStatisticsOfItsTrades() {
    // 2 trades/s through a 60 s window: ~120 in it, every step adds and drops some
    TradeHistory h = new TradeHistory("BTCUSDT", 7, 2.0, START - 600_000, 1_000_000);
    RollingWindow w = new RollingWindow(h, 60_000);
    SplittableRandom random = new SplittableRandom(1);
    long now = START - 600_000 - 5_000;  // before the first trade: nothing to say yet
    w.advance(now);
    assertThat(w.stats()).isNull();
    int compared = 0;
    int unmoved = 0;
    long version = w.version();
    List<Long> ids = List.of();
    while (now < START + 6 * 3_600_000) {
      now += random.nextInt(20) == 0 ? random.nextLong(60_000, 200_000) : random.nextLong(0, 3_000);
      w.advance(now);
      TickerStats want = expected(h, now, 60_000);
      assertSame(w.stats(), want, now);
      compared++;
      // the trades in a window are a run of agg ids: they changed exactly when its ends did
      List<Long> nowIds = want == null ? List.of() : List.of(want.firstId(), want.lastId());
      assertThat(w.version() != version).as("moved at " + now).isEqualTo(!nowIds.equals(ids));
      unmoved += nowIds.equals(ids) ? 1 : 0;
      ids = nowIds;
      version = w.version();
    }
    assertThat(compared).isGreaterThan(1_000);
    assertThat(unmoved).as("steps of 0 ms or no trade happen").isPositive();
  }

  @Test
  void aWindowStaysRightWhenTheHistoryDropsTradesStillInIt() {
    // at most ~1 024 + a block held while the 1 h window holds ~3 600: the history drops its oldest block often
    TradeHistory h = new TradeHistory("ETHUSDT", 3, 1.0, START - 7_200_000, 1_024);
    RollingWindow w = new RollingWindow(h, 3_600_000);
    long now = START - 7_200_000;
    for (int i = 0; i < 400; i++) {
      now += 17_000;
      w.advance(now);
      TickerStats want = expected(h, now, 3_600_000);
      assertSame(w.stats(), want, now);
      assertThat(want.firstId()).as("the window starts at the oldest trade held").isGreaterThanOrEqualTo(
          h.firstAggId());
    }
    assertThat(h.completeFrom()).as("trades were dropped").isGreaterThan(now - 3_600_000);
  }

  @Test
  void aWindowWithNoTradeInItShowsTheLastPriceAndNoVolume() {
    TradeHistory h = new TradeHistory("XUSDT", 11, 0.01, START - 600_000, 1_000_000);  // one trade per 100 s
    RollingWindow w = new RollingWindow(h, 1_000);
    long now = START;
    int empty = 0;
    for (int i = 0; i < 200; i++) {
      now += 997;
      w.advance(now);
      TickerStats s = w.stats();
      assertSame(s, expected(h, now, 1_000), now);
      if (s != null && s.count() == 0) {
        empty++;
        assertThat(s.firstId()).isEqualTo(-1);
        assertThat(s.lastId()).isEqualTo(-1);
        assertThat(s.open()).isEqualTo(s.close()).isEqualTo(h.priceBefore(now + 1).orElseThrow());
        assertThat(s.restFull(null).getString("volume")).isEqualTo("0.00000000");
        assertThat(s.restFull(null).getString("weightedAvgPrice")).isEqualTo("0.00000000");
      }
    }
    assertThat(empty).isGreaterThan(100);
  }

  @Test
  void wireShapesPrintLikeBinance() {
    BigDecimal p = new BigDecimal("100.00000000");
    TickerStats s = new TickerStats("BTCUSDT", 0, 86_400_000L, p, new BigDecimal("101.50000000"),
        new BigDecimal("98.76000000"), new BigDecimal("98.76543200"), new BigDecimal("0.00100000"),
        new BigDecimal("3.00000000"), new BigDecimal("299.1234567"), new BigDecimal("99.00000000"), 42, 7, 48);
    assertThat(s.priceChangePercent()).isEqualTo("-1.235");
    assertThat(s.restFull(null).fieldNames()).containsExactly("symbol", "priceChange", "priceChangePercent",
        "weightedAvgPrice", "prevClosePrice", "lastPrice", "lastQty", "bidPrice", "bidQty", "askPrice", "askQty",
        "openPrice", "highPrice", "lowPrice", "volume", "quoteVolume", "openTime", "closeTime", "firstId", "lastId",
        "count");
    assertThat(s.restFull(null).getString("priceChange")).isEqualTo("-1.23456800");
    assertThat(s.restFull(null).getString("weightedAvgPrice")).isEqualTo("99.70781890");
    assertThat(s.restFull(null).getString("quoteVolume")).isEqualTo("299.12345670");
    assertThat(s.restMini().fieldNames()).containsExactly("symbol", "openPrice", "highPrice", "lowPrice",
        "lastPrice", "volume", "quoteVolume", "openTime", "closeTime", "firstId", "lastId", "count");
    assertThat(s.miniTickerEvent().encode()).isEqualTo("{\"e\":\"24hrMiniTicker\",\"E\":86400000,\"s\":\"BTCUSDT\","
        + "\"c\":\"98.76543200\",\"o\":\"100.00000000\",\"h\":\"101.50000000\",\"l\":\"98.76000000\","
        + "\"v\":\"3.00000000\",\"q\":\"299.12345670\"}");
    assertThat(s.rollingTickerEvent("1hTicker").fieldNames()).containsExactly("e", "E", "s", "p", "P", "o", "h",
        "l", "c", "w", "v", "q", "O", "C", "F", "L", "n");
  }

  private static void assertSame(TickerStats got, TickerStats want, long now) {
    if (want == null) {
      assertThat(got).as("at " + now).isNull();
      return;
    }
    assertThat(got).as("at " + now).isNotNull();
    assertThat(got.restFull(null)).as("at " + now).isEqualTo(want.restFull(null));
    assertThat(got.rollingTickerEvent("1hTicker")).as("at " + now).isEqualTo(want.rollingTickerEvent("1hTicker"));
  }
}
