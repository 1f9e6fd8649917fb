package io.candlebus.depth;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 100 ms grid the recorder writes: one row per tick while a book is live, none while it is rebuilt. */
class TickSamplerTest {
  private static Level l(String price, String qty) {
    return new Level(new BigDecimal(price), new BigDecimal(qty));
  }

  private static BookSync liveAt(long id) {
    BookSync s = new BookSync("BTCUSDT");
    s.onDiff(new DepthDiff("BTCUSDT", 1, id, id, List.of(), List.of()));
    s.onSnapshot(new DepthSnapshot(id, List.of(l("100", "1"), l("99", "2")), List.of(l("101", "3"))));
    return s;
  }

  private static DepthDiff diff(long id, String bidQty) {
    return new DepthDiff("BTCUSDT", 5_000 + id, id, id, List.of(l("100", bidQty)), List.of());
  }

  @Test
  void aRowPerTickIsTheBookBeforeTheFirstDiffReceivedAtOrAfterTheTick() {
    TickSampler sampler = new TickSampler(5, 1_050);
    sampler.add("BTCUSDT", 1_050);
    BookSync sync = liveAt(10);
    // a diff at 1 130: the tick of 1 100 has the book before it
    sampler.sample("BTCUSDT", sync.book(), 4_000, 1_130);
    sync.onDiff(diff(11, "7"));
    // the timer comes late, at 1 420: the ticks of 1 200, 1 300 and 1 400 all have the book after diff 11
    sampler.sample("BTCUSDT", sync.book(), 5_011, 1_420);
    List<DepthTick> ticks = sampler.complete(1_420);
    assertThat(ticks).extracting(DepthTick::time).containsExactly(1_100L, 1_200L, 1_300L, 1_400L);
    assertThat(ticks).allSatisfy(t -> assertThat(t.rows()).hasSize(1));
    DepthRow first = ticks.get(0).rows().get(0);
    assertThat(first.updateId()).isEqualTo(10);
    assertThat(first.eventTime()).isEqualTo(4_000);
    assertThat(first.bids()).containsExactly(l("100", "1"), l("99", "2"));
    assertThat(first.asks()).containsExactly(l("101", "3"));
    assertThat(ticks.get(1).rows().get(0).updateId()).isEqualTo(11);
    assertThat(ticks.get(1).rows().get(0).bids().get(0)).isEqualTo(l("100", "7"));
    assertThat(sampler.complete(1_420)).as("each tick once").isEmpty();
  }

  @Test
  void aBookBeingRebuiltHasNoRowsButTheTicksStillPass() {
    TickSampler sampler = new TickSampler(1, 0);
    sampler.add("BTCUSDT", 0);
    sampler.add("ETHUSDT", 0);
    BookSync btc = liveAt(10);
    sampler.sample("BTCUSDT", btc.book(), 1, 250);
    sampler.sample("ETHUSDT", null, 0, 250); // resyncing
    List<DepthTick> ticks = sampler.complete(250);
    assertThat(ticks).extracting(DepthTick::time).containsExactly(100L, 200L);
    assertThat(ticks).allSatisfy(t -> assertThat(t.rows()).extracting(DepthRow::symbol).containsExactly("BTCUSDT"));
    assertThat(ticks.get(0).rows().get(0).bids()).as("one level asked for").hasSize(1);

    sampler.sample("BTCUSDT", null, 1, 320);
    sampler.sample("ETHUSDT", null, 0, 320);
    assertThat(sampler.complete(320)).singleElement().satisfies(t -> assertThat(t.rows()).isEmpty());
  }

  @Test
  void aSymbolAddedLateStartsAtTheNextTickAndARemovedOneStops() {
    TickSampler sampler = new TickSampler(5, 0);
    sampler.add("BTCUSDT", 0);
    BookSync sync = liveAt(1);
    sampler.sample("BTCUSDT", sync.book(), 1, 150);
    sampler.add("ETHUSDT", 150);
    sampler.sample("ETHUSDT", sync.book(), 1, 150);
    assertThat(sampler.complete(150)).singleElement()
        .satisfies(t -> assertThat(t.rows()).extracting(DepthRow::symbol).containsExactly("BTCUSDT"));
    sampler.remove("BTCUSDT");
    sampler.sample("BTCUSDT", sync.book(), 1, 210);
    sampler.sample("ETHUSDT", sync.book(), 1, 210);
    assertThat(sampler.complete(210)).singleElement()
        .satisfies(t -> assertThat(t.rows()).extracting(DepthRow::symbol).containsExactly("ETHUSDT"));
  }
}
