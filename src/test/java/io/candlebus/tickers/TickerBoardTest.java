package io.candlebus.tickers;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.tickers.TickerBoard.Market;
import io.candlebus.tickers.TickerBoard.Sort;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TickerBoardTest {
  static Ticker t(String symbol, long time, String last, Ticker.Source source) {
    return new Ticker(symbol, TickerWindow.H24, time, new BigDecimal(last), new BigDecimal("100"),
        new BigDecimal("200"), new BigDecimal("50"), new BigDecimal("10"), new BigDecimal("1000"), source);
  }

  static Ticker t(String symbol, long time, String last, String open, String quoteVolume) {
    return new Ticker(symbol, TickerWindow.H24, time, new BigDecimal(last), new BigDecimal(open),
        new BigDecimal(last), new BigDecimal(open), BigDecimal.ONE, new BigDecimal(quoteVolume), Ticker.Source.STREAM);
  }

  /**
   * 300 markets: the REST snapshot is valid at T; the stream sends values before T for a third of them, after T
   * for another third, both for the rest, and nothing for some. Whatever order everything arrives in (snapshot
   * first, last, in the middle, frames shuffled), every market ends with its latest value and none is lost.
   */
  @Test
  void everyMarketEndsWithItsNewestValueWhateverTheArrivalOrder() {
    long snapshotAt = 1_000_000;
    for (int seed = 0; seed < 50; seed++) {
      Random r = new Random(seed);
      List<Ticker> stream = new ArrayList<>();
      List<Ticker> rest = new ArrayList<>();
      Map<String, Ticker> newest = new HashMap<>();
      for (int m = 0; m < 300; m++) {
        String s = "M" + m + "USDT";
        rest.add(t(s, snapshotAt, "1." + m, Ticker.Source.REST));
        int n = r.nextInt(4);
        for (int k = 0; k < n; k++) {
          long time = snapshotAt + (m % 3 == 0 ? -1 : m % 3 == 1 ? 1 : k % 2 == 0 ? -1 : 1) * (1 + r.nextInt(5_000));
          stream.add(t(s, time, "2." + m + k, Ticker.Source.STREAM));
        }
      }
      for (Ticker x : concat(stream, rest)) {
        newest.merge(x.symbol(), x, (a, b) -> b.time() > a.time() ? b : a);
      }
      Collections.shuffle(stream, r);
      int restAt = r.nextInt(stream.size() + 1); // where, among the stream frames, the snapshot arrives
      TickerBoard board = new TickerBoard(TickerWindow.H24);
      board.merge(stream.subList(0, restAt));
      board.merge(rest);
      board.merge(stream.subList(restAt, stream.size()));
      assertThat(board.covered()).as("seed %d", seed).isEqualTo(300);
      assertThat(board.entries()).as("seed %d", seed).isEqualTo(newest);
    }
  }

  private static List<Ticker> concat(List<Ticker> a, List<Ticker> b) {
    List<Ticker> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  @Test
  void aValueNoNewerThanTheHeldOneIsRefusedAndCounted() {
    TickerBoard board = new TickerBoard(TickerWindow.H24);
    assertThat(board.merge(t("A", 10, "1", Ticker.Source.STREAM))).isTrue();
    assertThat(board.merge(t("A", 10, "2", Ticker.Source.REST))).isFalse();
    assertThat(board.merge(t("A", 9, "3", Ticker.Source.REST))).isFalse();
    assertThat(board.get("A").last()).isEqualTo(new BigDecimal("1"));
    assertThat(board.refused()).isEqualTo(2);
  }

  @Test
  void missingMarketsAreListedOldestMissingFirstAndStatusChangesMarkTheEntryChanged() {
    TickerBoard board = new TickerBoard(TickerWindow.H24);
    board.merge(t("B", 5, "1", Ticker.Source.STREAM));
    assertThat(board.complete()).isFalse(); // no market list yet
    List<String> listed = board.setMarkets(List.of(m("C", "TRADING"), m("A", "TRADING"), m("B", "TRADING")));
    assertThat(listed).containsExactly("C", "A", "B");
    assertThat(board.missing(10)).containsExactly("C", "A");
    board.drainChanged();
    assertThat(board.setMarkets(List.of(m("C", "TRADING"), m("A", "TRADING"), m("B", "BREAK"), m("D", "TRADING"))))
        .containsExactly("D");
    assertThat(board.missing(10)).containsExactly("C", "A", "D");
    assertThat(board.drainChanged()).extracting(r -> r.market().status()).containsExactly("BREAK");
    board.requeue("C");
    assertThat(board.missing(2)).containsExactly("A", "D");
    board.giveUp("D"); // REST has no ticker for it
    assertThat(board.missing(10)).containsExactly("A", "C");
    assertThat(board.unfillableCount()).isEqualTo(1);
    board.merge(t("A", 5, "1", Ticker.Source.REST));
    board.merge(t("C", 5, "1", Ticker.Source.REST));
    board.merge(t("D", 5, "1", Ticker.Source.REST));
    assertThat(board.complete()).isTrue();
    assertThat(board.covered()).isEqualTo(board.marketCount()).isEqualTo(4);
    board.setMarkets(List.of(m("A", "TRADING"), m("B", "BREAK"), m("D", "TRADING"))); // C delisted
    assertThat(board.entries()).containsOnlyKeys("A", "B", "D");
  }

  @Test
  void theBoardFiltersByQuoteAndSortsByChangeVolumeOrSymbol() {
    TickerBoard board = new TickerBoard(TickerWindow.H24);
    board.setMarkets(List.of(new Market("AUSDT", "A", "USDT", "TRADING"), new Market("BUSDT", "B", "USDT", "TRADING"),
        new Market("CBTC", "C", "BTC", "TRADING")));
    board.merge(t("AUSDT", 1, "110", "100", "5"));   // +10 %
    board.merge(t("BUSDT", 1, "95", "100", "50"));   // -5 %
    board.merge(t("CBTC", 1, "0.3", "0.1", "0.5"));  // +200 %
    assertThat(board.query(null, Sort.CHANGE, 10)).extracting(r -> r.ticker().symbol())
        .containsExactly("CBTC", "AUSDT", "BUSDT");
    assertThat(board.query(null, Sort.VOLUME, 10)).extracting(r -> r.ticker().symbol())
        .containsExactly("BUSDT", "AUSDT", "CBTC");
    assertThat(board.query("USDT", Sort.SYMBOL, 10)).extracting(r -> r.ticker().symbol())
        .containsExactly("AUSDT", "BUSDT");
    assertThat(board.query(null, Sort.CHANGE, 1)).extracting(r -> r.ticker().symbol()).containsExactly("CBTC");
  }

  private static Market m(String symbol, String status) {
    return new Market(symbol, symbol, "USDT", status);
  }
}
