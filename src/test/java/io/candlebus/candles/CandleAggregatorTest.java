package io.candlebus.candles;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.candles.CandleAggregator.TradeOutcome;
import io.candlebus.candles.CandleAggregator.Verdict;
import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.candlebus.domain.Trade;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CandleAggregatorTest {
  private static final long T0 = Instant.parse("2024-01-31T23:58:00Z").toEpochMilli();
  private static final long GRACE = 2_000;

  private final List<Candle> closed = new ArrayList<>();
  private final List<Provenance> provenances = new ArrayList<>();
  private final CandleAggregator.Sink sink = (c, p) -> {
    closed.add(c);
    provenances.add(p);
  };

  private static Trade trade(long firstId, long lastId, long time, String price, String qty, boolean buyerMaker) {
    return new Trade("BTCUSDT", firstId, new BigDecimal(price), new BigDecimal(qty), firstId, lastId, time,
        buyerMaker, time);
  }

  private static Trade trade(long id, long time, String price, String qty) {
    return trade(id, id, time, price, qty, false);
  }

  private CandleAggregator oneMinute() {
    return new CandleAggregator("BTCUSDT", List.of(Interval.M1), GRACE);
  }

  @Test
  void buildsOhlcSumsAndCountsFromTrades() {
    CandleAggregator agg = oneMinute();
    agg.onTrade(trade(100, 102, T0 + 1_000, "50405.91000000", "0.16428200", false), sink);
    agg.onTrade(trade(103, 103, T0 + 2_000, "50417.74000000", "1.00000000", true), sink);
    agg.onTrade(trade(104, 110, T0 + 3_000, "50400.50000000", "0.50000000", false), sink);
    agg.onTrade(trade(111, 111, T0 + 59_999, "50409.27000000", "0.00000001", true), sink);
    Candle c = agg.current(Interval.M1);
    assertThat(c.openTime()).isEqualTo(T0);
    assertThat(c.closeTime()).isEqualTo(T0 + 59_999);
    assertThat(c.open()).isEqualByComparingTo("50405.91");
    assertThat(c.high()).isEqualByComparingTo("50417.74");
    assertThat(c.low()).isEqualByComparingTo("50400.5");
    assertThat(c.close()).isEqualByComparingTo("50409.27");
    assertThat(c.volume()).isEqualByComparingTo("1.66428201");
    // exact: 50405.91*0.164282 + 50417.74*1 + 50400.5*0.5 + 50409.27*0.00000001
    assertThat(c.quoteVolume()).isEqualByComparingTo(new BigDecimal("50405.91").multiply(new BigDecimal("0.164282"))
        .add(new BigDecimal("50417.74")).add(new BigDecimal("25200.25")).add(new BigDecimal("0.0005040927")));
    assertThat(c.takerBuyVolume()).isEqualByComparingTo("0.664282");
    assertThat(c.takerBuyQuoteVolume()).isEqualByComparingTo(
        new BigDecimal("50405.91").multiply(new BigDecimal("0.164282")).add(new BigDecimal("25200.25")));
    assertThat(c.trades()).isEqualTo(12);
    assertThat(c.firstTradeId()).isEqualTo(100);
    assertThat(c.lastTradeId()).isEqualTo(111);
    assertThat(c.closed()).isFalse();
    assertThat(closed).isEmpty();
  }

  @Test
  void openIsTheFirstTradeNotThePreviousClose() {
    CandleAggregator agg = oneMinute();
    agg.onTrade(trade(1, T0 + 10, "7200.85", "1"), sink);
    agg.onTrade(trade(2, T0 + 60_000 + 5, "7200.77", "1"), sink);
    assertThat(closed).singleElement().satisfies(c -> assertThat(c.close()).isEqualByComparingTo("7200.85"));
    assertThat(agg.current(Interval.M1).open()).isEqualByComparingTo("7200.77");
  }

  @Test
  void firstWindowIsPartialTheNextCompleteWhenIdsAreContiguous() {
    CandleAggregator agg = oneMinute();
    agg.onTrade(trade(1, T0 + 10, "1", "1"), sink);
    agg.onTrade(trade(2, T0 + 60_010, "2", "1"), sink);
    agg.onTrade(trade(3, T0 + 120_010, "3", "1"), sink);
    assertThat(provenances).containsExactly(Provenance.PARTIAL, Provenance.COMPLETE);
  }

  @Test
  void windowsWithoutTradesAreFlatAtThePreviousCloseWhenIdsProveNothingWasMissed() {
    CandleAggregator agg = oneMinute();
    agg.onTrade(trade(1, T0 + 10, "10.5", "2"), sink);
    agg.onTrade(trade(2, T0 + 3 * 60_000 + 10, "11", "1"), sink); // next id: nothing happened in between
    assertThat(closed).hasSize(3);
    assertThat(provenances).containsExactly(Provenance.PARTIAL, Provenance.FLAT, Provenance.FLAT);
    for (Candle flat : closed.subList(1, 3)) {
      assertThat(flat.open()).isEqualByComparingTo("10.5");
      assertThat(flat.high()).isEqualByComparingTo("10.5");
      assertThat(flat.low()).isEqualByComparingTo("10.5");
      assertThat(flat.close()).isEqualByComparingTo("10.5");
      assertThat(flat.volume().signum()).isZero();
      assertThat(flat.quoteVolume().signum()).isZero();
      assertThat(flat.trades()).isZero();
      assertThat(flat.firstTradeId()).isEqualTo(-1);
      assertThat(flat.lastTradeId()).isEqualTo(-1);
      assertThat(flat.closed()).isTrue();
    }
    assertThat(closed.get(1).openTime()).isEqualTo(T0 + 60_000);
    assertThat(closed.get(2).openTime()).isEqualTo(T0 + 120_000);
  }

  @Test
  void aGapInTradeIdsInventsNoFlatWindowsAndMarksWindowsPartial() {
    CandleAggregator agg = oneMinute();
    agg.onTrade(trade(1, T0 + 10, "10", "1"), sink);
    agg.onTrade(trade(2, T0 + 60_010, "10", "1"), sink);
    agg.onTrade(trade(50, T0 + 4 * 60_000, "12", "1"), sink); // ids 3..49 never reached us
    assertThat(closed).extracting(Candle::openTime).containsExactly(T0, T0 + 60_000);
    assertThat(provenances).containsExactly(Provenance.PARTIAL, Provenance.PARTIAL);
    assertThat(agg.currentProvenance(Interval.M1)).isEqualTo(Provenance.PARTIAL);
  }

  @Test
  void invalidAndDuplicateTradesAreSkipped() {
    CandleAggregator agg = oneMinute();
    assertThat(agg.onTrade(trade(1, T0 + 1, "100", "1"), sink)).isEqualTo(TradeOutcome.ACCEPTED);
    // Binance's invalidated records: p="0", q="0", f=-1, l=-1
    Trade invalid = new Trade("BTCUSDT", 77, new BigDecimal("0"), new BigDecimal("0"), -1, -1, T0 + 2, false, T0);
    assertThat(agg.onTrade(invalid, sink)).isEqualTo(TradeOutcome.INVALID);
    assertThat(agg.onTrade(trade(2, T0 + 3, "-5", "1"), sink)).isEqualTo(TradeOutcome.INVALID);
    assertThat(agg.onTrade(trade(1, T0 + 1, "100", "1"), sink)).isEqualTo(TradeOutcome.DUPLICATE);
    Candle c = agg.current(Interval.M1);
    assertThat(c.trades()).isEqualTo(1);
    assertThat(c.volume()).isEqualByComparingTo("1");
    assertThat(c.low()).isEqualByComparingTo("100");
  }

  @Test
  void closesByExchangeTimeAfterTheGraceNotBefore() {
    CandleAggregator agg = oneMinute();
    agg.onTrade(trade(1, T0 + 10, "5", "1"), sink);
    agg.advanceTo(T0 + 59_999 + GRACE, sink);
    assertThat(closed).isEmpty();
    agg.advanceTo(T0 + 59_999 + GRACE + 1, sink);
    assertThat(closed).singleElement().satisfies(c -> {
      assertThat(c.openTime()).isEqualTo(T0);
      assertThat(c.closed()).isTrue();
    });
    // exchange time moving on with no trades: each passed window closes flat
    agg.advanceTo(T0 + 3 * 60_000 + GRACE + 1, sink);
    assertThat(closed).extracting(Candle::openTime).containsExactly(T0, T0 + 60_000, T0 + 120_000);
    assertThat(provenances.subList(1, 3)).containsOnly(Provenance.FLAT);
  }

  @Test
  void afterAConnectionLossTheClockWaitsForATradeToProveContinuity() {
    CandleAggregator agg = oneMinute();
    agg.onTrade(trade(1, T0 + 10, "5", "1"), sink);
    agg.markDiscontinuous();
    agg.advanceTo(T0 + 10 * 60_000, sink);
    assertThat(closed).isEmpty();
    agg.onTrade(trade(2, T0 + 3 * 60_000 + 1, "6", "1"), sink); // contiguous: nothing was missed
    assertThat(closed).hasSize(3);
    assertThat(provenances).containsExactly(Provenance.PARTIAL, Provenance.FLAT, Provenance.FLAT);
  }

  @Test
  void aLateTradeCorrectsTheWindowClosedByTheClock() {
    CandleAggregator agg = oneMinute();
    agg.onTrade(trade(1, T0 + 10, "5", "1"), sink);
    agg.onTrade(trade(2, T0 + 60_010, "5", "1"), sink);
    agg.advanceTo(T0 + 120_000 + GRACE, sink);
    assertThat(closed).hasSize(2);
    assertThat(agg.onTrade(trade(3, T0 + 119_990, "7", "2"), sink)).isEqualTo(TradeOutcome.ACCEPTED);
    assertThat(closed).hasSize(3);
    Candle corrected = closed.get(2);
    assertThat(provenances.get(2)).isEqualTo(Provenance.LATE_CORRECTION);
    assertThat(corrected.openTime()).isEqualTo(T0 + 60_000);
    assertThat(corrected.close()).isEqualByComparingTo("7");
    assertThat(corrected.high()).isEqualByComparingTo("7");
    assertThat(corrected.volume()).isEqualByComparingTo("3");
    assertThat(corrected.trades()).isEqualTo(2);
  }

  @Test
  void aLateTradeCountsInTheCoarserOpenWindowButNotInTheNewFinerOne() {
    long t1 = Instant.parse("2024-02-01T00:00:00Z").toEpochMilli();
    CandleAggregator agg = new CandleAggregator("BTCUSDT", List.of(Interval.M1, Interval.M5), GRACE);
    agg.onTrade(trade(1, t1 + 10, "5", "1"), sink);
    agg.onTrade(trade(2, t1 + 60_010, "5", "2"), sink);
    agg.advanceTo(t1 + 120_000 + GRACE, sink); // closes 1m of 00:01 by exchange time
    agg.onTrade(trade(3, t1 + 119_990, "6", "4"), sink); // late for 1m, inside the open 5m
    agg.onTrade(trade(4, t1 + 120_010, "7", "8"), sink);
    assertThat(agg.current(Interval.M1).volume()).isEqualByComparingTo("8");
    assertThat(agg.current(Interval.M1).trades()).isEqualTo(1);
    assertThat(agg.current(Interval.M5).volume()).isEqualByComparingTo("15");
    assertThat(agg.current(Interval.M5).trades()).isEqualTo(4);
    assertThat(agg.current(Interval.M5).high()).isEqualByComparingTo("7");
    Candle corrected = closed.get(closed.size() - 1);
    assertThat(provenances.get(provenances.size() - 1)).isEqualTo(Provenance.LATE_CORRECTION);
    assertThat(corrected.openTime()).isEqualTo(t1 + 60_000);
    assertThat(corrected.volume()).isEqualByComparingTo("6");
  }

  @Test
  void aHoleInsideAWindowMakesItPartialUntilBinanceSeedsIt() {
    CandleAggregator agg = oneMinute();
    agg.onTrade(trade(1, T0 - 1, "5", "1"), sink);
    agg.onTrade(trade(2, T0 + 10, "5", "1"), sink);
    agg.onTrade(trade(3, T0 + 20, "6", "1"), sink);
    assertThat(agg.currentProvenance(Interval.M1)).isEqualTo(Provenance.COMPLETE);
    agg.onTrade(trade(9, T0 + 30, "4", "1"), sink); // ids 4..8 never reached us
    agg.onTrade(trade(10, T0 + 40, "8", "1"), sink);
    assertThat(agg.currentProvenance(Interval.M1)).isEqualTo(Provenance.PARTIAL);
    // Binance's update up to id 9: ids 2..9 of the window, volume 8, low 3
    Candle update = new Candle("BTCUSDT", Interval.M1, T0, T0 + 59_999, new BigDecimal("5"), new BigDecimal("7"),
        new BigDecimal("3"), new BigDecimal("4"), new BigDecimal("8"), new BigDecimal("40"), new BigDecimal("8"),
        new BigDecimal("40"), 8, 2, 9, false);
    agg.onBinanceKline(update, sink);
    Candle c = agg.current(Interval.M1);
    assertThat(agg.currentProvenance(Interval.M1)).isEqualTo(Provenance.SEEDED);
    assertThat(c.volume()).isEqualByComparingTo("9"); // Binance's 8 plus our id 10
    assertThat(c.quoteVolume()).isEqualByComparingTo("48");
    assertThat(c.trades()).isEqualTo(9);
    assertThat(c.high()).isEqualByComparingTo("8");
    assertThat(c.low()).isEqualByComparingTo("3");
    assertThat(c.close()).isEqualByComparingTo("8");
    assertThat(c.lastTradeId()).isEqualTo(10);
    agg.onTrade(trade(11, T0 + 50, "5", "1"), sink);
    assertThat(agg.current(Interval.M1).volume()).isEqualByComparingTo("10");
  }

  @Test
  void binanceClosedKlineEqualToOursIsAMatchAndADifferentOneWins() {
    CandleAggregator agg = oneMinute();
    agg.onTrade(trade(1, T0 - 1, "5", "1"), sink);
    agg.onTrade(trade(2, T0 + 10, "5", "1"), sink);
    agg.onTrade(trade(3, T0 + 20, "6", "1"), sink);
    agg.onTrade(trade(4, T0 + 60_010, "6", "1"), sink);
    Candle ours = closed.get(1);
    assertThat(provenances.get(1)).isEqualTo(Provenance.COMPLETE);
    assertThat(agg.onBinanceKline(ours.withClosed(true), sink).verdict()).isEqualTo(Verdict.MATCH);
    assertThat(closed).hasSize(2);

    // a second run where Binance knows one more trade than we do
    closed.clear();
    CandleAggregator other = oneMinute();
    other.onTrade(trade(1, T0 - 1, "5", "1"), sink);
    other.onTrade(trade(2, T0 + 10, "5", "1"), sink);
    other.onTrade(trade(3, T0 + 60_010, "6", "1"), sink);
    Candle binance = new Candle("BTCUSDT", Interval.M1, T0, T0 + 59_999, new BigDecimal("5"), new BigDecimal("9"),
        new BigDecimal("5"), new BigDecimal("9"), new BigDecimal("2"), new BigDecimal("14"), new BigDecimal("2"),
        new BigDecimal("14"), 2, 2, 3, true);
    CandleAggregator.KlineCheck check = other.onBinanceKline(binance, sink);
    assertThat(check.verdict()).isEqualTo(Verdict.MISMATCH);
    assertThat(check.ours().volume()).isEqualByComparingTo("1");
    assertThat(closed.get(closed.size() - 1)).isEqualTo(binance);
    assertThat(provenances.get(provenances.size() - 1)).isEqualTo(Provenance.BINANCE);
  }

  @Test
  void binanceClosesWaitWhileOurTradesAreFetchedThenAreCheckedAgainstWholeWindows() {
    CandleAggregator agg = oneMinute();
    agg.onTrade(trade(1, T0 - 1, "5", "1"), sink);
    agg.onTrade(trade(2, T0 + 10, "5", "1"), sink);
    agg.markDiscontinuous(); // the stream dropped: trade 3 is still to be fetched
    Candle binance = new Candle("BTCUSDT", Interval.M1, T0, T0 + 59_999, new BigDecimal("5"), new BigDecimal("9"),
        new BigDecimal("5"), new BigDecimal("9"), new BigDecimal("2"), new BigDecimal("14"), new BigDecimal("2"),
        new BigDecimal("14"), 2, 2, 3, true);
    int before = closed.size();
    assertThat(agg.onBinanceKline(binance, sink).verdict()).isEqualTo(Verdict.DEFERRED);
    agg.advanceTo(T0 + 10 * 60_000, sink);
    assertThat(closed).as("nothing closes while the fill runs").hasSize(before);
    agg.onTrade(trade(3, T0 + 30, "9", "1"), sink); // the fill brings it
    List<CandleAggregator.KlineCheck> checks = agg.settle(3, true, sink);
    assertThat(checks).extracting(CandleAggregator.KlineCheck::verdict).containsExactly(Verdict.MATCH);
    assertThat(provenances.get(provenances.size() - 1)).isEqualTo(Provenance.COMPLETE);

    // the same, but the fill gave up: Binance's close is taken, ours counted as partial
    closed.clear();
    provenances.clear();
    CandleAggregator other = oneMinute();
    other.onTrade(trade(1, T0 - 1, "5", "1"), sink);
    other.onTrade(trade(2, T0 + 10, "5", "1"), sink);
    other.markDiscontinuous();
    other.onBinanceKline(binance, sink);
    checks = other.settle(2, false, sink);
    assertThat(checks).extracting(CandleAggregator.KlineCheck::verdict).containsExactly(Verdict.ADOPTED);
    assertThat(provenances).endsWith(Provenance.PARTIAL, Provenance.BINANCE);
    assertThat(closed.get(closed.size() - 1)).isEqualTo(binance);
  }

  @Test
  void binanceCloseBeforeOurClockClosesTheWindow() {
    CandleAggregator agg = oneMinute();
    agg.onTrade(trade(1, T0 - 1, "5", "1"), sink);
    agg.onTrade(trade(2, T0 + 10, "5", "1"), sink);
    Candle ours = agg.current(Interval.M1).withClosed(true);
    assertThat(agg.onBinanceKline(ours, sink).verdict()).isEqualTo(Verdict.MATCH);
    assertThat(closed).extracting(Candle::openTime).containsExactly(T0 - 60_000, T0);
    assertThat(agg.current(Interval.M1).openTime()).isEqualTo(T0 + 60_000);
  }

  @Test
  void aPartialWindowIsSeededByBinanceUpdateAndOurLaterTrades() {
    CandleAggregator agg = oneMinute();
    // we join mid-window: our first trade is id 10; Binance's update covers ids 1..12 of the window
    agg.onTrade(trade(10, T0 + 30_000, "101", "1"), sink);
    agg.onTrade(trade(11, 12, T0 + 31_000, "102", "1", false), sink);
    agg.onTrade(trade(13, T0 + 32_000, "103", "1"), sink);
    assertThat(agg.currentProvenance(Interval.M1)).isEqualTo(Provenance.PARTIAL);
    Candle update = new Candle("BTCUSDT", Interval.M1, T0, T0 + 59_999, new BigDecimal("99"), new BigDecimal("102"),
        new BigDecimal("98"), new BigDecimal("102"), new BigDecimal("11"), new BigDecimal("1100"),
        new BigDecimal("4"), new BigDecimal("400"), 12, 1, 12, false);
    assertThat(agg.onBinanceKline(update, sink).verdict()).isEqualTo(Verdict.UPDATE);
    Candle seeded = agg.current(Interval.M1);
    assertThat(agg.currentProvenance(Interval.M1)).isEqualTo(Provenance.SEEDED);
    assertThat(seeded.open()).isEqualByComparingTo("99");
    assertThat(seeded.low()).isEqualByComparingTo("98");
    assertThat(seeded.high()).isEqualByComparingTo("103");
    assertThat(seeded.close()).isEqualByComparingTo("103");
    assertThat(seeded.volume()).isEqualByComparingTo("12");
    assertThat(seeded.quoteVolume()).isEqualByComparingTo("1203");
    assertThat(seeded.trades()).isEqualTo(13);
    assertThat(seeded.firstTradeId()).isEqualTo(1);
    assertThat(seeded.lastTradeId()).isEqualTo(13);
    // a trade covered by the seed arriving again is not counted twice
    assertThat(agg.onTrade(trade(12, T0 + 31_500, "50", "9"), sink)).isEqualTo(TradeOutcome.DUPLICATE);
    agg.onTrade(trade(14, T0 + 60_001, "104", "1"), sink);
    assertThat(provenances).containsExactly(Provenance.SEEDED);
    assertThat(agg.onBinanceKline(closed.get(0), sink).verdict()).isEqualTo(Verdict.ADOPTED);
  }

  @Test
  void anUpdateEndingBeforeOurFirstTradeCannotSeed() {
    CandleAggregator agg = oneMinute();
    agg.onTrade(trade(10, T0 + 30_000, "101", "1"), sink);
    Candle old = new Candle("BTCUSDT", Interval.M1, T0, T0 + 59_999, new BigDecimal("99"), new BigDecimal("99"),
        new BigDecimal("99"), new BigDecimal("99"), new BigDecimal("1"), new BigDecimal("99"), BigDecimal.ZERO,
        BigDecimal.ZERO, 5, 1, 5, false);
    agg.onBinanceKline(old, sink);
    assertThat(agg.currentProvenance(Interval.M1)).isEqualTo(Provenance.PARTIAL);
    assertThat(agg.current(Interval.M1).open()).isEqualByComparingTo("101");
  }

  @Test
  void allSixteenIntervalsCloseOnTheirOwnBoundaries() {
    CandleAggregator agg = new CandleAggregator("BTCUSDT", Interval.all(), GRACE);
    // T0 is 2024-01-31 23:58 UTC, a Wednesday: the trade at 2024-02-01 00:00 closes 1s..1d and 1M, not 1w/3d
    agg.onTrade(trade(1, T0, "1", "1"), sink);
    agg.onTrade(trade(2, T0 + 2 * 60_000, "2", "1"), sink);
    List<Interval> closedIntervals = closed.stream().map(Candle::interval).distinct().toList();
    assertThat(closedIntervals).contains(Interval.S1, Interval.M1, Interval.M3, Interval.M5, Interval.M15,
        Interval.M30, Interval.H1, Interval.H2, Interval.H4, Interval.H6, Interval.H8, Interval.H12, Interval.D1,
        Interval.MO1);
    assertThat(closedIntervals).doesNotContain(Interval.W1);
    Candle month = closed.stream().filter(c -> c.interval() == Interval.MO1).findFirst().orElseThrow();
    assertThat(month.openTime()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z").toEpochMilli());
    assertThat(month.closeTime()).isEqualTo(Instant.parse("2024-01-31T23:59:59.999Z").toEpochMilli());
    // 1s: one trade window plus 119 flat seconds, all proven by contiguous ids
    assertThat(closed.stream().filter(c -> c.interval() == Interval.S1)).hasSize(120);
    assertThat(agg.current(Interval.W1).trades()).isEqualTo(2);
  }

  @Test
  void sumsStayExactOverManyTrades() {
    CandleAggregator agg = new CandleAggregator("BTCUSDT", List.of(Interval.H1), GRACE);
    Random r = new Random(1);
    BigDecimal v = BigDecimal.ZERO;
    BigDecimal q = BigDecimal.ZERO;
    for (int i = 0; i < 50_000; i++) {
      BigDecimal price = BigDecimal.valueOf(4_000_000_000L + r.nextInt(1_000_000), 8).movePointRight(4);
      BigDecimal qty = BigDecimal.valueOf(1 + r.nextInt(100_000_000), 8);
      agg.onTrade(new Trade("BTCUSDT", i, price, qty, i, i, T0 + i / 100, false, T0), sink);
      v = v.add(qty);
      q = q.add(price.multiply(qty));
    }
    Candle c = agg.current(Interval.H1);
    assertThat(c.volume()).isEqualByComparingTo(v);
    assertThat(c.quoteVolume()).isEqualByComparingTo(q);
    assertThat(c.takerBuyQuoteVolume()).isEqualByComparingTo(q);
  }
}
