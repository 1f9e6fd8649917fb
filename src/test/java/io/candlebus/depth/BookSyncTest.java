package io.candlebus.depth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.candlebus.depth.BookSync.Outcome;
import io.candlebus.depth.BookSync.Reason;
import io.candlebus.depth.BookSync.State;
import io.candlebus.depth.BookSync.Step;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Binance's corrected local-book algorithm, step by step (binance-protocol notes, section 6). */
class BookSyncTest {
  private static Level l(String price, String qty) {
    return new Level(new BigDecimal(price), new BigDecimal(qty));
  }

  private static DepthDiff diff(long first, long last, List<Level> bids, List<Level> asks) {
    return new DepthDiff("BNBBTC", 1_000 + last, first, last, bids, asks);
  }

  private static DepthSnapshot snapshot(long id) {
    return new DepthSnapshot(id, List.of(l("10.00", "1"), l("9.90", "2")), List.of(l("10.10", "3"), l("10.20",
        "4")));
  }

  @Test
  void diffsAreBufferedUntilASnapshotThatIsNotOlderThanTheFirstOne() {
    BookSync s = new BookSync("BNBBTC");
    Step first = s.onDiff(diff(100, 105, List.of(l("9.95", "5")), List.of()));
    assertThat(first.outcome()).isEqualTo(Outcome.BUFFERED);
    assertThat(first.fetchSnapshot()).as("the first diff asks for a snapshot").isTrue();
    assertThat(s.onDiff(diff(106, 110, List.of(), List.of(l("10.10", "0")))).fetchSnapshot()).isFalse();
    assertThat(s.book()).isNull();

    Step stale = s.onSnapshot(snapshot(99));
    assertThat(stale).isEqualTo(new Step(Outcome.RESYNC, Reason.STALE_SNAPSHOT, true));
    assertThat(s.state()).isEqualTo(State.AWAITING_SNAPSHOT);

    // the snapshot holds up to 107: the first diff is dropped, the second (106..110) overlaps and is applied
    assertThat(s.onSnapshot(snapshot(107)).outcome()).isEqualTo(Outcome.LIVE);
    OrderBook b = s.book();
    assertThat(b.updateId()).isEqualTo(110);
    assertThat(b.bestBid()).as("9.95 came with a diff the snapshot already holds").isEqualTo(l("10.00", "1"));
    assertThat(b.bestAsk()).as("10.10 removed by quantity 0").isEqualTo(l("10.20", "4"));
    assertThat(s.onSnapshot(snapshot(200)).outcome()).as("a late snapshot changes nothing")
        .isEqualTo(Outcome.IGNORED);
  }

  @Test
  void oldDiffsAreIgnoredContiguousOnesAppliedAndAHoleDiscardsTheBook() {
    BookSync s = live(50);
    assertThat(s.onDiff(diff(40, 50, List.of(l("1", "1")), List.of())).outcome()).isEqualTo(Outcome.IGNORED);
    assertThat(s.onDiff(diff(51, 53, List.of(l("10.00000000", "7")), List.of())).outcome())
        .isEqualTo(Outcome.APPLIED);
    assertThat(s.book().bestBid()).as("the same price however written").isEqualTo(l("10.00", "7"));
    assertThat(s.book().bids(5)).hasSize(2);

    Step hole = s.onDiff(diff(55, 56, List.of(), List.of()));
    assertThat(hole).isEqualTo(new Step(Outcome.RESYNC, Reason.GAP, true));
    assertThat(s.book()).isNull();
    assertThat(s.state()).as("the diff after the hole is kept for the rebuild").isEqualTo(State.AWAITING_SNAPSHOT);
    assertThat(s.onSnapshot(snapshot(55)).outcome()).isEqualTo(Outcome.LIVE);
    assertThat(s.book().updateId()).isEqualTo(56);
  }

  @Test
  void aCrossedBookIsDiscardedAndRebuiltFromTheNextDiff() {
    BookSync s = live(10);
    Step crossed = s.onDiff(diff(11, 11, List.of(l("10.15", "1")), List.of()));
    assertThat(crossed).isEqualTo(new Step(Outcome.RESYNC, Reason.CROSSED, false));
    assertThat(s.book()).isNull();
    assertThat(s.onDiff(diff(12, 12, List.of(), List.of())).fetchSnapshot()).isTrue();
  }

  @Test
  void aHoleWhileBufferingRestartsTheBufferAndABoundedBufferStartsOver() {
    BookSync s = new BookSync("BNBBTC");
    s.onDiff(diff(1, 1, List.of(), List.of()));
    assertThat(s.onDiff(diff(5, 5, List.of(), List.of())).fetchSnapshot()).as("a new snapshot for the new start")
        .isTrue();
    assertThat(s.onSnapshot(snapshot(3)).reason()).as("older than the new first diff")
        .isEqualTo(Reason.STALE_SNAPSHOT);
    for (long id = 6; id < 5 + BookSync.MAX_BUFFERED; id++) {
      assertThat(s.onDiff(diff(id, id, List.of(), List.of())).outcome()).isEqualTo(Outcome.BUFFERED);
    }
    long next = 5 + BookSync.MAX_BUFFERED;
    assertThat(s.onDiff(diff(next, next, List.of(), List.of())))
        .isEqualTo(new Step(Outcome.RESYNC, Reason.BUFFER_FULL, false));
    assertThat(s.state()).isEqualTo(State.WAITING_FOR_DIFF);
  }

  @Test
  void malformedDepthIsRefusedNamingWhatIsWrong() {
    String ok = "{\"stream\":\"bnbbtc@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"BNBBTC\","
        + "\"U\":1,\"u\":2,\"b\":[[\"0.0015\",\"10\"]],\"a\":[]}}";
    DepthDiff d = DepthParser.diff(ok);
    assertThat(d.bids()).containsExactly(l("0.0015", "10"));
    assertThat(d.symbol()).isEqualTo("BNBBTC");
    for (String[] bad : new String[][] {
        {"{", "invalid JSON"},
        {ok.replace("depthUpdate", "trade"), "not a depthUpdate"},
        {ok.replace("\"U\":1", "\"U\":3"), "before U"},
        {ok.replace("\"0.0015\"", "0.0015"), "decimal"},
        {ok.replace("\"10\"", "\"-1\""), "bad level"},
        {ok.replace("\"0.0015\"", "\"abc\""), "bad decimal"},
        {ok.replace(",\"s\":\"BNBBTC\"", ""), "missing or bad s"}}) {
      assertThatThrownBy(() -> DepthParser.diff(bad[0])).as(bad[0]).isInstanceOf(DepthParser.MalformedDepth.class)
          .hasMessageContaining(bad[1]);
    }
  }

  private static BookSync live(long id) {
    BookSync s = new BookSync("BNBBTC");
    s.onDiff(diff(id, id, List.of(), List.of()));
    assertThat(s.onSnapshot(snapshot(id)).outcome()).isEqualTo(Outcome.LIVE);
    return s;
  }

  @Test
  void theSameDiffTwiceWhileBufferingIsNoHole() {
    // a connection replacing another delivers the diffs the old one already did
    BookSync s = new BookSync("BNBBTC");
    s.onDiff(diff(100, 105, List.of(), List.of()));
    s.onDiff(diff(106, 110, List.of(), List.of()));
    assertThat(s.onDiff(diff(106, 110, List.of(), List.of())).outcome()).isEqualTo(Outcome.IGNORED);
    assertThat(s.onDiff(diff(100, 105, List.of(), List.of())).outcome()).isEqualTo(Outcome.IGNORED);
    assertThat(s.onDiff(diff(111, 112, List.of(l("9.99", "1")), List.of())).outcome())
        .isEqualTo(Outcome.BUFFERED);
    assertThat(s.onSnapshot(snapshot(104)).outcome()).isEqualTo(Outcome.LIVE);
    assertThat(s.book().updateId()).isEqualTo(112);
    assertThat(s.book().bids(5)).hasSize(3);
  }

  @Test
  void aResetDiscardsTheBookAndSaysSoOnlyWhenThereWasOne() {
    BookSync s = new BookSync("BNBBTC");
    assertThat(s.reset()).as("nothing to lose yet").isNull();
    s.onDiff(diff(100, 105, List.of(), List.of()));
    s.onSnapshot(snapshot(104));
    assertThat(s.book()).isNotNull();
    assertThat(s.reset()).isEqualTo(new Step(Outcome.RESYNC, Reason.DISCONNECTED, false));
    assertThat(s.book()).isNull();
    assertThat(s.state()).isEqualTo(State.WAITING_FOR_DIFF);
    assertThat(s.onDiff(diff(300, 301, List.of(), List.of())).fetchSnapshot()).isTrue();
  }
}
