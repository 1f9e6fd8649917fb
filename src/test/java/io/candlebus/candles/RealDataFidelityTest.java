package io.candlebus.candles;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.candlebus.domain.Trade;
import io.candlebus.testing.SharedData;
import io.candlebus.upstream.BinanceStreamParser;
import io.candlebus.upstream.StreamEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Fidelity on REAL Binance data: every kline update in the recordings whose trades the recording fully covers
 * (its trade-id range [f..L] is exactly the union of recorded aggTrades) is rebuilt by the aggregator equal to
 * Binance's kline on o/h/l/c/v/q/V/Q/n.
 */
class RealDataFidelityTest {
  private final BinanceStreamParser parser = new BinanceStreamParser();

  @Test
  void everyFullyCoveredKlineIsRebuiltExactly() {
    List<String> compared = new ArrayList<>();
    Set<String> windows = new LinkedHashSet<>();
    int klines = 0;
    for (Path capture : SharedData.cryptofeedCaptures()) {
      Map<String, List<Trade>> tradesBySymbol = new HashMap<>();
      List<Candle> klineUpdates = new ArrayList<>();
      for (String frame : SharedData.cryptofeedFrames(capture)) {
        StreamEvent e = parser.parse(frame);
        assertThat(e).as("frame of %s: %s", capture, frame).isNotInstanceOf(StreamEvent.Malformed.class);
        if (e instanceof StreamEvent.TradeEvent t) {
          tradesBySymbol.computeIfAbsent(t.trade().symbol(), s -> new ArrayList<>()).add(t.trade());
        } else if (e instanceof StreamEvent.KlineEvent k) {
          klineUpdates.add(k.kline());
        }
      }
      klines += klineUpdates.size();
      for (Candle k : klineUpdates) {
        List<Trade> covering = covering(tradesBySymbol.getOrDefault(k.symbol(), List.of()), k);
        if (covering == null) {
          continue;
        }
        CandleAggregator agg = new CandleAggregator(k.symbol(), List.of(k.interval()), 2_000);
        List<Candle> closed = new ArrayList<>();
        for (Trade t : covering) {
          assertThat(agg.onTrade(t, (c, p) -> closed.add(c))).isEqualTo(CandleAggregator.TradeOutcome.ACCEPTED);
        }
        assertThat(closed).isEmpty();
        Candle ours = agg.current(k.interval());
        assertThat(ours.sameValues(k)).as("ours %s%nBinance %s", ours.describe(), k.describe()).isTrue();
        assertThat(ours.firstTradeId()).isEqualTo(k.firstTradeId());
        assertThat(ours.lastTradeId()).isEqualTo(k.lastTradeId());
        compared.add(k.symbol() + " " + k.describe());
        windows.add(k.symbol() + "@" + k.interval() + "@" + k.openTime());
      }
    }
    System.out.printf("fidelity: compared %d kline updates in %d windows (of %d recorded kline frames), all equal%n",
        compared.size(), windows.size(), klines);
    compared.forEach(c -> System.out.println("  " + c));
    // the recordings hold 9 fully covered updates (binance-protocol.md §3): ONTTRY x5, QSPBTC, FTMUSDT, SXPBTC, LRCBTC
    assertThat(compared).hasSizeGreaterThanOrEqualTo(9);
    assertThat(windows).hasSizeGreaterThanOrEqualTo(5);
  }

  /** The recorded trades making up exactly [f..L] of {@code k}'s window, or null if the recording misses some. */
  private static List<Trade> covering(List<Trade> trades, Candle k) {
    if (k.trades() == 0 || k.firstTradeId() < 0) {
      return null;
    }
    List<Trade> in = new ArrayList<>();
    long next = k.firstTradeId();
    for (Trade t : trades) {
      if (t.firstTradeId() >= k.firstTradeId() && t.lastTradeId() <= k.lastTradeId()) {
        if (t.firstTradeId() != next || t.time() < k.openTime() || t.time() > k.closeTime()) {
          return null;
        }
        in.add(t);
        next = t.lastTradeId() + 1;
      }
    }
    return next == k.lastTradeId() + 1 ? in : null;
  }

  /**
   * The official aggTrades dump of 2026-01-01 (first 5000 rows) against the only published 1m row of that day
   * (00:00, values cut to 2 decimals): o 87648.21 h 87648.22 l 87632.74 c 87648.00 v 4.08 q 357625.77 n 1193
   * V 1.79 Q 157651.51.
   */
  @Test
  void officialAggTradesRebuildThePublishedMinute() throws IOException {
    Path csv = SharedData.real("hjb_BTCUSDT_aggTrades_2026-01-01/BTCUSDT-aggTrades-2026-01-01.csv");
    CandleAggregator agg = new CandleAggregator("BTCUSDT", Interval.all(), 2_000);
    Map<Long, Candle> minutes = new HashMap<>();
    long rows = 0;
    for (String line : Files.readAllLines(csv)) {
      String[] c = line.split(",");
      long micros = Long.parseLong(c[5]);
      Trade t = new Trade("BTCUSDT", Long.parseLong(c[0]), new BigDecimal(c[1]), new BigDecimal(c[2]),
          Long.parseLong(c[3]), Long.parseLong(c[4]), micros / 1000, Boolean.parseBoolean(c[6].toLowerCase()),
          micros / 1000);
      assertThat(agg.onTrade(t, (candle, p) -> {
        if (candle.interval() == Interval.M1) {
          minutes.put(candle.openTime(), candle);
          assertThat(p).isIn(Provenance.PARTIAL, Provenance.COMPLETE);
        }
      })).isEqualTo(CandleAggregator.TradeOutcome.ACCEPTED);
      rows++;
    }
    assertThat(rows).isEqualTo(5000);
    // 2026-01-01T00:00Z: the file starts with its first trade, so the aggregator cannot know that; the
    // published row proves it complete. 00:01..00:11 are complete by trade-id continuity.
    Candle first = minutes.get(1767225600000L);
    assertThat(cut(first.open())).isEqualByComparingTo("87648.21");
    assertThat(cut(first.high())).isEqualByComparingTo("87648.22");
    assertThat(cut(first.low())).isEqualByComparingTo("87632.74");
    assertThat(cut(first.close())).isEqualByComparingTo("87648.00");
    assertThat(cut(first.volume())).isEqualByComparingTo("4.08");
    assertThat(cut(first.quoteVolume())).isEqualByComparingTo("357625.77");
    assertThat(first.trades()).isEqualTo(1193);
    assertThat(cut(first.takerBuyVolume())).isEqualByComparingTo("1.79");
    assertThat(cut(first.takerBuyQuoteVolume())).isEqualByComparingTo("157651.51");
    assertThat(minutes).hasSize(12); // 00:00..00:11 closed by the trades of the next minute
    long expectedNext = first.lastTradeId() + 1;
    for (long open = 1767225660000L; open <= 1767226260000L; open += 60_000) {
      Candle m = minutes.get(open);
      assertThat(m.firstTradeId()).as("minute %d starts where the previous ended", open).isEqualTo(expectedNext);
      expectedNext = m.lastTradeId() + 1;
    }
    System.out.printf("fidelity: 2026-01-01 00:00 BTCUSDT rebuilt from %d official aggTrades: %s%n", rows,
        first.describe());
  }

  private static BigDecimal cut(BigDecimal v) {
    return v.setScale(2, RoundingMode.DOWN);
  }
}
