package io.candlebus.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.domain.Trade;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class TradeHistoryTest {
  private static final long START = 1_704_067_200_000L;  // 2024-01-01T00:00Z

  private static TradeHistory history(long seed, String symbol, int cap) {
    return new TradeHistory(symbol, seed, 5.0, START, cap);
  }

  @Test
  void sameSeedSameTradesWhateverTheAdvanceSteps() {
    TradeHistory oneGo = history(7, "BTCUSDT", 2_000_000);
    oneGo.advanceTo(START + 600_000);
    TradeHistory steps = history(7, "BTCUSDT", 2_000_000);
    for (long t = START; t <= START + 600_000; t += 777) {
      steps.advanceTo(t);
    }
    steps.advanceTo(START + 600_000);
    assertThat(oneGo.size()).isGreaterThan(2500);
    assertThat(steps.between(0, Long.MAX_VALUE)).isEqualTo(oneGo.between(0, Long.MAX_VALUE));
  }

  @Test
  void seedAndSymbolChangeTheTrades() {
    TradeHistory a = history(7, "BTCUSDT", 2_000_000);
    TradeHistory b = history(8, "BTCUSDT", 2_000_000);
    TradeHistory c = history(7, "ETHUSDT", 2_000_000);
    a.advanceTo(START + 60_000);
    b.advanceTo(START + 60_000);
    c.advanceTo(START + 60_000);
    assertThat(prices(a)).isNotEqualTo(prices(b));
    assertThat(a.firstAggId()).isNotEqualTo(c.firstAggId());
  }

  @Test
  void tradesFollowBinanceRules() {
    TradeHistory h = history(42, "BTCUSDT", 2_000_000);
    h.advanceTo(START + 300_000);
    List<Trade> all = h.between(0, Long.MAX_VALUE);
    assertThat(all).hasSizeGreaterThan(1000);
    Trade prev = null;
    for (Trade t : all) {
      assertThat(t.isValid()).isTrue();
      assertThat(t.tradeCount()).isBetween(1L, 3L);
      assertThat(t.price().scale()).isEqualTo(8);
      assertThat(t.qty().scale()).isEqualTo(8);
      assertThat(t.price().remainder(new BigDecimal("0.01")).signum()).isZero();
      assertThat(t.qty().remainder(new BigDecimal("0.00001")).signum()).isZero();
      assertThat(t.price()).isBetween(new BigDecimal("45000"), new BigDecimal("55000"));
      assertThat(t.time()).isBetween(START, START + 300_000);
      if (prev != null) {
        assertThat(t.aggId()).isEqualTo(prev.aggId() + 1);
        assertThat(t.firstTradeId()).isEqualTo(prev.lastTradeId() + 1);
        assertThat(t.time()).isGreaterThanOrEqualTo(prev.time());
      }
      prev = t;
    }
    // mean gap 200 ms at rate 5: 300 s hold about 1500 trades
    assertThat(all.size()).isBetween(1200, 1800);
    assertThat(all.stream().filter(Trade::buyerMaker).count()).isBetween(500L, 1300L);
  }

  @Test
  void queriesByIdAndTime() {
    TradeHistory h = history(1, "ETHUSDT", 2_000_000);
    h.advanceTo(START + 120_000);
    List<Trade> all = h.between(0, Long.MAX_VALUE);
    Trade tenth = all.get(10);
    assertThat(h.fromId(tenth.aggId(), 3)).isEqualTo(all.subList(10, 13));
    assertThat(h.fromId(h.lastAggId() + 1, 3)).isEmpty();
    assertThat(h.between(tenth.time(), tenth.time())).allMatch(t -> t.time() == tenth.time()).contains(tenth);
    assertThat(h.latest(Long.MAX_VALUE, 2)).isEqualTo(all.subList(all.size() - 2, all.size()));
    assertThat(h.fromTime(tenth.time(), Long.MAX_VALUE, 1).get(0).time()).isEqualTo(tenth.time());
    assertThat(h.priceBefore(tenth.time() + 1).orElseThrow()).isEqualTo(lastAtOrBefore(all, tenth.time()).price());
    assertThat(h.priceBefore(all.get(0).time())).isEmpty();
    assertThat(h.last().orElseThrow()).isEqualTo(all.get(all.size() - 1));
  }

  @Test
  void oldTradesAreDroppedInBlocksAndQueriesAnswerFromTheOldestKept() {
    TradeHistory h = new TradeHistory("XYZUSDT", 3, 50.0, START, 2048);
    TradeHistory full = new TradeHistory("XYZUSDT", 3, 50.0, START, 2_000_000);
    h.advanceTo(START + 600_000);
    full.advanceTo(START + 600_000);
    assertThat(full.size()).isGreaterThan(20_000);
    assertThat(h.size()).isBetween(2048, 2048 + 256);
    assertThat(h.lastAggId()).isEqualTo(full.lastAggId());
    assertThat(h.firstAggId()).isGreaterThan(full.firstAggId());
    assertThat(h.fromId(full.firstAggId(), 2).get(0).aggId()).isEqualTo(h.firstAggId());
    assertThat(h.completeFrom()).isGreaterThan(START);
    Trade firstKept = h.fromId(0, 1).get(0);
    assertThat(h.priceBefore(firstKept.time()).orElseThrow())
        .isEqualTo(full.priceBefore(firstKept.time()).orElseThrow());
    assertThat(h.between(0, Long.MAX_VALUE)).isEqualTo(full.fromId(h.firstAggId(), Integer.MAX_VALUE));
  }

  private static List<BigDecimal> prices(TradeHistory h) {
    return h.between(0, Long.MAX_VALUE).stream().map(Trade::price).toList();
  }

  private static Trade lastAtOrBefore(List<Trade> all, long time) {
    return all.stream().filter(t -> t.time() <= time).reduce((a, b) -> b).orElseThrow();
  }
}
