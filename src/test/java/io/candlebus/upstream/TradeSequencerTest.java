package io.candlebus.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.domain.Trade;
import io.candlebus.upstream.TradeSequencer.Gap;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class TradeSequencerTest {
  private final List<Long> delivered = new ArrayList<>();
  private final List<long[]> fetches = new ArrayList<>();
  private final List<Gap> gaps = new ArrayList<>();
  private final List<String> settled = new ArrayList<>();
  private final List<Boolean> opened = new ArrayList<>();
  private final TradeSequencer seq = new TradeSequencer("BTCUSDT", new TradeSequencer.Output() {
    @Override
    public void deliver(Trade t) {
      delivered.add(t.aggId());
    }

    @Override
    public void fetch(long fromAggId, long delayMs) {
      fetches.add(new long[] {fromAggId, delayMs});
    }

    @Override
    public void gapOpened(long fromAggId, long toAggId, boolean certain) {
      opened.add(certain);
    }

    @Override
    public void gapClosed(Gap gap) {
      gaps.add(gap);
    }

    @Override
    public void settled(long lastTradeId, boolean upToNow) {
      settled.add(lastTradeId + (upToNow ? " up to now" : ""));
    }
  });

  /** Agg id a covers individual trades 10a..10a+1. */
  private static Trade t(long a) {
    return new Trade("BTCUSDT", a, new BigDecimal("100.5"), new BigDecimal("0.1"), 10 * a, 10 * a + 1, 1000 + a,
        false, 1000 + a);
  }

  private static List<Trade> range(long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(TradeSequencerTest::t).toList();
  }

  private static List<Long> ids(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void contiguousTradesPassAndDuplicatesAreDropped() {
    range(1, 5).forEach(seq::onStream);
    seq.onStream(t(3));
    seq.onStream(t(5));
    seq.onStream(t(6));
    assertThat(delivered).isEqualTo(ids(1, 6));
    assertThat(seq.duplicates()).isEqualTo(2);
    assertThat(fetches).isEmpty();
  }

  @Test
  void aHoleIsFilledFromRestBeforeLaterTrades() {
    range(1, 10).forEach(seq::onStream);
    seq.onStream(t(16));
    seq.onStream(t(17));
    assertThat(delivered).isEqualTo(ids(1, 10));
    assertThat(fetches).hasSize(1);
    assertThat(fetches.get(0)[0]).isEqualTo(11);
    assertThat(seq.held()).isEqualTo(2);
    seq.onPage(11, range(11, 20)); // REST answers past the hole: the overlap with the stream is dropped
    seq.onStream(t(18));
    assertThat(delivered).isEqualTo(ids(1, 18));
    assertThat(gaps).containsExactly(new Gap("BTCUSDT", 11, 15, 5, 0, null));
    assertThat(seq.filling()).isFalse();
  }

  @Test
  void longHolesArePaged() {
    seq.onStream(t(1));
    seq.onStream(t(2_502));
    seq.onPage(2, range(2, 1001));
    assertThat(fetches.get(1)[0]).isEqualTo(1002);
    seq.onPage(1002, range(1002, 2001));
    seq.onPage(2002, range(2002, 2600));
    assertThat(delivered).isEqualTo(ids(1, 2502));
    assertThat(gaps).containsExactly(new Gap("BTCUSDT", 2, 2501, 2500, 0, null));
  }

  @Test
  void aHoleRestCannotFillIsReportedAndTradingGoesOn() {
    range(1, 3).forEach(seq::onStream);
    seq.onStream(t(9));
    seq.onPage(4, range(6, 7)); // REST lacks 4 and 5, has 6..7, then nothing: it may trail; asked again
    for (int i = 1; i < TradeSequencer.MAX_SHORT_PAGES; i++) {
      assertThat(fetches.get(i)[1]).isEqualTo(TradeSequencer.SHORT_PAGE_RETRY_MS);
      seq.onPage(8, List.of());
    }
    assertThat(delivered).isEqualTo(List.of(1L, 2L, 3L, 6L, 7L, 9L));
    assertThat(gaps).hasSize(1);
    assertThat(gaps.get(0).missing()).isEqualTo(3); // 4, 5 and 8
    assertThat(gaps.get(0).filled()).isEqualTo(2);
    assertThat(gaps.get(0).reason()).contains("REST has no aggTrades");
    seq.onStream(t(10));
    assertThat(delivered).endsWith(10L);
  }

  @Test
  void aFailedFillGivesUpAndReleasesTheHeldTrades() {
    seq.onStream(t(1));
    seq.onStream(t(5));
    seq.onStream(t(6));
    seq.onFetchFailed(2, new IllegalStateException("banned"));
    assertThat(delivered).isEqualTo(List.of(1L, 5L, 6L));
    assertThat(gaps.get(0).missing()).isEqualTo(3);
    assertThat(gaps.get(0).reason()).contains("banned");
  }

  @Test
  void catchUpAfterAReconnectFetchesWhatWasMissedOrConfirmsNothingWas() {
    range(1, 4).forEach(seq::onStream);
    seq.catchUp();
    seq.onPage(5, List.of());
    assertThat(settled).containsExactly("41 up to now"); // individual id of agg 4's last trade
    assertThat(gaps).isEmpty(); // nothing was missed: not a gap
    seq.catchUp();
    seq.onStream(t(9)); // the new connection's first trade arrives while the catch-up runs
    seq.onPage(5, range(5, 9));
    assertThat(delivered).isEqualTo(ids(1, 9));
    assertThat(gaps).containsExactly(new Gap("BTCUSDT", 5, 8, 4, 0, null));
    assertThat(settled).containsExactly("41 up to now", "91"); // the stream's trade came after: not up to now
  }

  @Test
  void aCatchUpBeforeAnyTradeSettlesAtOnceAndEveryFillSettlesOnceWhenItEnds() {
    seq.catchUp();
    assertThat(settled).containsExactly("-1");
    assertThat(fetches).isEmpty();
    seq.onStream(t(1));
    seq.onStream(t(3));
    seq.onStream(t(5)); // held, with its own hole
    seq.onPage(2, range(2, 2));
    assertThat(settled).hasSize(1); // the second hole is being filled: not settled yet
    seq.onPage(4, range(4, 5));
    assertThat(settled).containsExactly("-1", "51");
  }

  @Test
  void staleAnswersAreIgnoredAndHoleInsideHeldTradesStartsANewFill() {
    seq.onStream(t(1));
    seq.onStream(t(3));
    seq.onStream(t(4));
    seq.onStream(t(7)); // held with its own hole 5..6
    seq.onPage(99, range(99, 100)); // not what was asked
    assertThat(delivered).containsExactly(1L);
    seq.onPage(2, range(2, 2));
    assertThat(delivered).isEqualTo(ids(1, 4));
    assertThat(fetches.get(fetches.size() - 1)[0]).isEqualTo(5);
    seq.onPage(5, range(5, 8));
    assertThat(delivered).isEqualTo(ids(1, 7));
    assertThat(gaps).hasSize(2).allMatch(Gap::complete);
  }

  @Test
  void binanceKlineCountingTradesWeDoNotHaveStartsAFillBeforeAnyLaterTradeShowsIt() {
    range(1, 3).forEach(seq::onStream); // individual ids up to 31
    assertThat(seq.behind(31)).isFalse();
    assertThat(seq.behind(45)).isTrue(); // the kline counts trades up to 45
    range(4, 4).forEach(seq::onStream); // ... and one more arrives in the meantime (up to 41)
    seq.fillBehind(45);
    assertThat(opened).containsExactly(true);
    assertThat(fetches.get(0)[0]).isEqualTo(5);
    seq.onPage(5, range(5, 6));
    assertThat(delivered).isEqualTo(ids(1, 6));
    assertThat(gaps).containsExactly(new Gap("BTCUSDT", 5, 6, 2, 0, null));
    seq.fillBehind(61); // trades arrived meanwhile: nothing to do
    assertThat(fetches).hasSize(1);
  }

  @Test
  void tooManyHeldTradesGiveUpTheFill() {
    seq.onStream(t(1));
    for (long a = 10; a <= 10 + TradeSequencer.MAX_HELD; a++) {
      seq.onStream(t(a));
    }
    assertThat(seq.filling()).isFalse();
    assertThat(delivered).hasSize(TradeSequencer.MAX_HELD + 2);
    assertThat(gaps.get(0).missing()).isEqualTo(8);
  }
}
