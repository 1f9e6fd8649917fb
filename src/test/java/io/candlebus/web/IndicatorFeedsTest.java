package io.candlebus.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.candlebus.indicators.IndicatorSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The feeds' bookkeeping: shared series and reads, the node's bound on reads, and the computation lane. */
class IndicatorFeedsTest {
  private static final long T0 = 1_750_000_020_000L - 1_750_000_020_000L % 60_000;
  private static final long GAP = 250;

  private final IndicatorFeeds feeds = new IndicatorFeeds(2, GAP);

  private static IndicatorAddress at(String symbol, String key) {
    return IndicatorAddress.parse("market.indicator." + symbol + ".1m." + key).orElseThrow();
  }

  private static int needs(String key) {
    return IndicatorSpec.fromKey(key).warmup() + 2;
  }

  private static Candle candle(String symbol, int minute, String close, boolean closed) {
    long open = T0 + minute * 60_000L;
    BigDecimal c = new BigDecimal(close);
    return new Candle(symbol, Interval.M1, open, Interval.M1.closeTime(open), c, c, c, c, BigDecimal.ONE,
        BigDecimal.ONE, BigDecimal.ZERO, BigDecimal.ZERO, 1, -1, -1, closed);
  }

  /** {@code n} closed candles ending with minute {@code last}, oldest first. */
  private static List<Candle> stored(String symbol, int last, int n) {
    List<Candle> out = new ArrayList<>();
    for (int m = last - n + 1; m <= last; m++) {
      out.add(candle(symbol, m, String.valueOf(100 + m % 7), true));
    }
    return out;
  }

  /** Every job due at {@code now}, each completed at once; the addresses in the order the lane took them. */
  private List<String> drain(long now) {
    List<String> order = new ArrayList<>();
    for (IndicatorFeeds.Job j = feeds.nextJob(now); j != null; j = feeds.nextJob(now)) {
      order.add(j.at().spec().key());
      assertThat(feeds.computed(j)).isTrue();
    }
    return order;
  }

  @Test
  void oneReadServesEveryFeedOfASymbolAndInterval() {
    assertThat(feeds.watch(at("BTCUSDT", "rsi:14"))).as("a new series").isTrue();
    for (int p = 1; p <= 100; p++) {
      assertThat(feeds.watch(at("BTCUSDT", "sma:" + p))).isFalse();
    }
    assertThat(feeds.watch(at("BTCUSDT", "rsi:14"))).as("a second browser on a feed").isFalse();
    assertThat(feeds.feeds()).isEqualTo(101);
    assertThat(feeds.series()).isEqualTo(1);

    IndicatorFeeds.Read read = feeds.nextRead();
    assertThat(read.symbol()).isEqualTo("BTCUSDT");
    assertThat(read.count()).as("the most demanding of them, and the next candle").isEqualTo(needs("rsi:14") + 1);
    assertThat(feeds.nextRead()).as("one read for the series").isNull();
    // feeds watched while it reads wait on the same read
    feeds.watch(at("BTCUSDT", "ema:3"));
    assertThat(feeds.nextRead()).isNull();

    feeds.read(read, stored("BTCUSDT", -1, 600));
    assertThat(feeds.nextRead()).as("it covered all of them").isNull();
    List<String> computed = drain(0);
    assertThat(computed).hasSize(102).doesNotHaveDuplicates();
  }

  @Test
  void aFeedNeedingMoreHistoryThanHeldMakesALargerRead() {
    feeds.watch(at("BTCUSDT", "rsi:14"));
    IndicatorFeeds.Read first = feeds.nextRead();
    feeds.watch(at("BTCUSDT", "ema:200")); // arrives while the first read is under way
    assertThat(feeds.nextRead()).isNull();
    feeds.read(first, stored("BTCUSDT", -1, first.count()));
    assertThat(drain(0)).as("rsi is covered at once, ema waits").containsExactly("rsi:14");

    IndicatorFeeds.Read second = feeds.nextRead();
    assertThat(second.count()).isEqualTo(needs("ema:200") + 1).isGreaterThan(first.count());
    feeds.read(second, stored("BTCUSDT", -1, second.count()));
    assertThat(drain(1_000)).containsExactlyInAnyOrder("ema:200", "rsi:14");

    feeds.watch(at("BTCUSDT", "ema:50")); // needs less than is held: no read
    assertThat(feeds.nextRead()).isNull();
    assertThat(drain(2_000)).containsExactly("ema:50");

    // a store with less history than asked for: read once, not again for a feed needing as much
    feeds.watch(at("ETHUSDT", "ema:100"));
    IndicatorFeeds.Read eth = feeds.nextRead();
    feeds.read(eth, stored("ETHUSDT", -1, 50));
    feeds.watch(at("ETHUSDT", "ema:90"));
    assertThat(feeds.nextRead()).isNull();
  }

  @Test
  void atMostTwoReadsAtOnceOnTheNodeTheOthersInTurn() {
    List<String> symbols = List.of("AAAUSDT", "BBBUSDT", "CCCUSDT", "DDDUSDT", "EEEUSDT");
    symbols.forEach(s -> feeds.watch(at(s, "rsi:14")));
    IndicatorFeeds.Read a = feeds.nextRead();
    IndicatorFeeds.Read b = feeds.nextRead();
    assertThat(feeds.nextRead()).isNull();
    assertThat(List.of(a.symbol(), b.symbol())).containsExactly("AAAUSDT", "BBBUSDT");

    feeds.read(a, stored("AAAUSDT", -1, 10));
    IndicatorFeeds.Read c = feeds.nextRead();
    assertThat(c.symbol()).isEqualTo("CCCUSDT");
    assertThat(feeds.nextRead()).isNull();

    // a failed read frees its place and is retried in turn after its delay
    assertThat(feeds.readFailed(b)).isPositive();
    IndicatorFeeds.Read d = feeds.nextRead();
    assertThat(d.symbol()).isEqualTo("DDDUSDT");
    assertThat(feeds.nextRead()).isNull();
    feeds.retry(b);
    feeds.read(c, stored("CCCUSDT", -1, 10));
    assertThat(feeds.nextRead().symbol()).isEqualTo("EEEUSDT");
    assertThat(feeds.nextRead()).isNull();
    feeds.read(d, stored("DDDUSDT", -1, 10));
    assertThat(feeds.nextRead().symbol()).isEqualTo("BBBUSDT");

    // a series whose last feed left: its queued read is dropped, one under way frees its place when it ends
    feeds.watch(at("FFFUSDT", "rsi:14"));
    feeds.watch(at("GGGUSDT", "rsi:14"));
    assertThat(feeds.unwatch(at("FFFUSDT", "rsi:14"))).as("the series went").isTrue();
    assertThat(feeds.nextRead()).isNull(); // two under way (E, B)
    assertThat(feeds.series()).isEqualTo(6);
  }

  @Test
  void theLaneTakesFeedsInTurnEachAtMostEveryGapAndEveryCloseAlways() {
    for (String key : List.of("sma:2", "sma:3", "sma:4")) {
      feeds.watch(at("BTCUSDT", key));
    }
    IndicatorFeeds.Read read = feeds.nextRead();
    feeds.read(read, stored("BTCUSDT", -1, 10));
    assertThat(drain(0)).as("in the order they came").containsExactly("sma:2", "sma:3", "sma:4");

    // one computation at a time
    feeds.candle(candle("BTCUSDT", 0, "101", false));
    IndicatorFeeds.Job first = feeds.nextJob(GAP);
    assertThat(feeds.nextJob(GAP)).isNull();
    assertThat(feeds.nextJobAt(GAP)).isEqualTo(-1);
    feeds.computed(first);

    // updates within the gap wait for it; every feed gets its turn, none twice in a row
    List<String> order = new ArrayList<>(List.of(first.at().spec().key()));
    for (long now = GAP; now < 20 * GAP; now += GAP / 5) {
      feeds.candle(candle("BTCUSDT", 0, String.valueOf(101 + now % 3), false));
      order.addAll(drain(now));
    }
    assertThat(order.size()).isBetween(3 * 18, 3 * 20);
    for (int i = 0; i + 3 <= order.size(); i += 3) {
      assertThat(order.subList(i, i + 3)).containsExactlyInAnyOrder("sma:2", "sma:3", "sma:4");
    }
    long now = 20 * GAP;
    feeds.candle(candle("BTCUSDT", 0, "105", false));
    assertThat(drain(now)).hasSize(3);
    feeds.candle(candle("BTCUSDT", 0, "106", false));
    assertThat(drain(now + 1)).as("within the gap").isEmpty();
    assertThat(feeds.nextJobAt(now + 1)).isEqualTo(now + GAP);

    // the close comes within the gap, and the next candle's first update before its value is computed:
    // its value is computed anyway, from the candles up to it, and the newest's after the gap
    feeds.candle(candle("BTCUSDT", 0, "107", true));
    feeds.candle(candle("BTCUSDT", 1, "108", false));
    List<IndicatorFeeds.Job> closes = new ArrayList<>();
    for (IndicatorFeeds.Job j = feeds.nextJob(now + 2); j != null; j = feeds.nextJob(now + 2)) {
      closes.add(j);
      feeds.computed(j);
    }
    assertThat(closes).hasSize(3).allSatisfy(j -> {
      Candle last = j.candles().get(j.candles().size() - 1);
      assertThat(last.openTime()).isEqualTo(T0);
      assertThat(last.closed()).isTrue();
      assertThat(j.candles()).hasSize(needs(j.at().spec().key()));
    });
    assertThat(drain(now + GAP)).isEmpty();
    assertThat(drain(now + 2 + GAP)).hasSize(3);
  }

  @Test
  void aCloseTrimmedAwayBeforeItsTurnIsSkippedAndTheNewestStillComputed() {
    feeds.watch(at("BTCUSDT", "sma:2")); // keeps 4 candles
    feeds.watch(at("BTCUSDT", "sma:1"));
    feeds.read(feeds.nextRead(), stored("BTCUSDT", -1, 10));
    assertThat(drain(0)).hasSize(2);
    feeds.candle(candle("BTCUSDT", 0, "101", true));
    for (int m = 1; m <= 4; m++) {
      feeds.candle(candle("BTCUSDT", m, "102", false)); // minute 0 falls out of the series
    }
    assertThat(drain(1)).as("too late for minute 0's value, too soon for the newest").isEmpty();
    IndicatorFeeds.Job newest = feeds.nextJob(1 + GAP);
    assertThat(newest.candles().get(newest.candles().size() - 1).openTime()).isEqualTo(T0 + 4 * 60_000);
  }

  @Test
  void aFeedValuesTheNewestCandlesItNeedsAsTheRouteReadsThem() {
    feeds.watch(at("BTCUSDT", "rsi:14"));
    feeds.watch(at("BTCUSDT", "sma:5"));
    IndicatorFeeds.Read read = feeds.nextRead();
    List<Candle> rows = stored("BTCUSDT", -1, 600);
    feeds.read(read, rows);
    feeds.candle(candle("BTCUSDT", 0, "99", false));
    IndicatorFeeds.Job j = feeds.nextJob(0);
    feeds.computed(j);
    IndicatorFeeds.Job k = feeds.nextJob(0);
    IndicatorFeeds.Job sma = j.at().spec().key().equals("sma:5") ? j : k;
    assertThat(sma.candles()).hasSize(needs("sma:5"));
    assertThat(sma.candles().get(sma.candles().size() - 1).openTime()).isEqualTo(T0);
    assertThat(sma.candles().subList(0, needs("sma:5") - 1))
        .isEqualTo(rows.subList(rows.size() - needs("sma:5") + 1, rows.size()));
  }

  @Test
  void aHoleIsReadAgainAndAStoredRowNeverReplacesALiveClose() {
    feeds.watch(at("BTCUSDT", "sma:3"));
    IndicatorFeeds.Read read = feeds.nextRead();
    Candle liveClose = candle("BTCUSDT", -1, "120", true); // heard while the read was under way
    feeds.candle(liveClose);
    feeds.read(read, stored("BTCUSDT", -1, 10));
    IndicatorFeeds.Job j = feeds.nextJob(0);
    assertThat(j.candles().get(j.candles().size() - 1)).isEqualTo(liveClose);
    feeds.computed(j);

    // minute 0 closed before it was stored, unheard: minute 1's close finds the hole
    feeds.candle(candle("BTCUSDT", 1, "121", true));
    assertThat(feeds.nextJob(1_000)).as("nothing computed over a hole").isNull();
    IndicatorFeeds.Read again = feeds.nextRead();
    assertThat(again).isNotNull();
    List<Candle> rows = stored("BTCUSDT", 1, 12);
    feeds.read(again, rows);
    IndicatorFeeds.Job after = feeds.nextJob(1_000);
    assertThat(after.candles()).extracting(Candle::openTime)
        .containsExactly(T0 - 120_000, T0 - 60_000, T0, T0 + 60_000);
  }
}
