package io.candlebus.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.alerts.AlertSpec.Frequency;
import io.candlebus.alerts.AlertSpec.Kind;
import io.candlebus.domain.Interval;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every alert kind and frequency on crafted trade sequences: crossing exactly at the level, gaps across it,
 * cooldown edges, bars, expiry, percent moves within a window, and an index of many alerts firing only those a
 * trade reaches.
 */
class AlertBookTest {
  private static final String S = "BTCUSDT";
  private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  private final AlertBook book = new AlertBook();

  private static BigDecimal d(String v) {
    return new BigDecimal(v);
  }

  private static AlertSpec level(long id, Kind kind, String level, Frequency f) {
    return AlertSpec.level(id, "alice", S, kind, d(level), f);
  }

  /** The ids fired by each trade {@code "time:price"} (time in s after T0), one string per trade. */
  private List<String> run(String... trades) {
    List<String> out = new ArrayList<>();
    for (String t : trades) {
      String[] p = t.split(":");
      List<String> fired = new ArrayList<>();
      for (AlertBook.Event e : book.onTrade(S, T0 + Long.parseLong(p[0]) * 1_000, d(p[1]))) {
        fired.add(e instanceof AlertBook.Fired f ? String.valueOf(f.alert().id())
            : "expired " + ((AlertBook.Expired) e).alert().id());
      }
      fired.sort(null);
      out.add(String.join(",", fired));
    }
    return out;
  }

  @Test
  void crossingUpFiresFromBelowToAtOrAbove_exactlyAtTheLevelToo() {
    book.put(level(1, Kind.CROSSING_UP, "100", Frequency.EVERY).withCooldown(0));
    // the first trade has no previous one: no crossing, even above
    assertThat(run("0:101", "1:99", "2:100", "3:100", "4:101", "5:99.99", "6:100.00")).containsExactly(
        "", "", "1", "", "", "", "1");
  }

  @Test
  void crossingDownIsTheMirrorAndAGapOverManyLevelsFiresEachOnce() {
    for (int i = 0; i < 5; i++) {
      book.put(level(10 + i, Kind.CROSSING_DOWN, String.valueOf(100 - i), Frequency.ONCE));
    }
    book.put(level(20, Kind.CROSSING_UP, "103", Frequency.ONCE));
    // down from 100.5 to 97.5 passes 100, 99 and 98; on to 96 passes 97 and reaches 96
    assertThat(run("0:100.5", "1:97.5", "2:96", "3:104", "4:90")).containsExactly(
        "", "10,11,12", "13,14", "20", "");
    assertThat(book.size()).isZero(); // all once, all done
    assertThat(run("5:110", "6:80")).containsExactly("", "");
  }

  @Test
  void aboveAndBelowAreConditionsFiredAgainAfterTheCooldownWhileTheyHold() {
    book.put(level(1, Kind.PRICE_ABOVE, "100", Frequency.EVERY).withCooldown(10_000));
    book.put(level(2, Kind.PRICE_BELOW, "90", Frequency.EVERY).withCooldown(10_000));
    assertThat(run("0:100", "5:101", "9:102", "10:100", "11:99", "20:99", "21:100", "22:89", "31:90", "32:90"))
        .containsExactly("1", "", "", "1", "", "", "1", "2", "", "2");
  }

  @Test
  void onceFiresOnceAndOncePerBarOncePerWindow() {
    book.put(level(1, Kind.PRICE_ABOVE, "100", Frequency.ONCE));
    book.put(level(2, Kind.PRICE_ABOVE, "100", Frequency.ONCE_PER_BAR).withBar(Interval.M1));
    // 59 s and 60 s are different 1m bars; 61 s is the same one as 60 s
    assertThat(run("0:100", "30:101", "59:101", "60:101", "61:101", "119:102", "120:100")).containsExactly(
        "1,2", "", "", "2", "", "", "2");
  }

  @Test
  void expiryEndsAnAlertAtTheFirstTradeFromItsTime() {
    book.put(level(1, Kind.CROSSING_UP, "100", Frequency.EVERY).withCooldown(0).withExpires(T0 + 10_000));
    book.put(level(2, Kind.PRICE_ABOVE, "200", Frequency.ONCE).withExpires(T0 + 10_000));
    assertThat(run("0:99", "9:100", "9:99", "10:100", "11:99", "12:100")).containsExactly(
        "", "1", "", "expired 1,expired 2", "", "");
    assertThat(book.size()).isZero();
  }

  @Test
  void changePercentComparesWithThePriceTheWindowAgo() {
    book.put(AlertSpec.change(1, "alice", S, d("2"), 60_000, Frequency.EVERY).withCooldown(0));
    book.put(AlertSpec.change(2, "alice", S, d("-1.5"), 60_000, Frequency.ONCE));
    book.seed(S, T0, d("100")); // a stored candle's close
    // +2 % over 100 is 102; 60 s after 101 a move to 103.02 is +2 % over 101
    assertThat(run("10:101", "59:101.99", "60:102", "61:101", "70:103.02", "130:101.4", "131:101")).containsExactly(
        "", "", "1", "", "1", "2", "");
    AlertBook b = new AlertBook();
    b.put(AlertSpec.change(3, "alice", S, d("5"), 3_600_000, Frequency.ONCE));
    b.seed(S, T0, d("100"));
    assertThat(b.onTrade(S, T0 + 60_000, d("200"))).as("the window reaches before what is known").isEmpty();
  }

  @Test
  void anAlertTakenOverWaitsOutTheCooldownOrBarFromItsLastFiringElsewhere() {
    // fired at T0+5s on another node; taken over here
    book.put(level(1, Kind.PRICE_ABOVE, "100", Frequency.EVERY).withCooldown(10_000), T0 + 5_000);
    book.put(level(2, Kind.PRICE_ABOVE, "100", Frequency.ONCE_PER_BAR).withBar(Interval.M1), T0 + 5_000);
    book.put(level(3, Kind.PRICE_ABOVE, "100", Frequency.ONCE), 0);
    assertThat(run("6:101", "14:101", "15:101", "24:101", "60:101")).containsExactly("3", "", "1", "", "1,2");
  }

  @Test
  void aStoredAlertReadsBackAsTheSameSpec() {
    AlertSpec a = new AlertSpec(7, "alice", S, Kind.CHANGE_PCT, null, d("-2.5"), 900_000, Frequency.ONCE_PER_BAR,
        AlertSpec.DEFAULT_COOLDOWN_MS, Interval.H1, T0, "dip", "chime", false);
    assertThat(AlertJson.fromJson(AlertJson.toJson(a).put("id", 7L), "alice")).isEqualTo(a);
    AlertSpec b = level(8, Kind.CROSSING_DOWN, "49999.99", Frequency.EVERY).withCooldown(5_000);
    assertThat(AlertJson.fromJson(AlertJson.toJson(b).put("id", 8L), "alice")).isEqualTo(b);
  }

  @Test
  void pausedReplacedAndRemovedAlertsAreNotEvaluated() {
    AlertSpec up = level(1, Kind.CROSSING_UP, "100", Frequency.EVERY).withCooldown(0);
    book.put(new AlertSpec(up.id(), up.username(), S, up.kind(), up.level(), null, 0, up.frequency(), 0,
        Interval.M1, 0, null, null, true));
    assertThat(run("0:99", "1:101")).containsExactly("", "");
    book.put(up);
    book.put(level(1, Kind.CROSSING_UP, "105", Frequency.EVERY).withCooldown(0)); // replaces: 100 no more
    assertThat(run("2:99", "3:101", "4:106")).containsExactly("", "", "1");
    book.remove(1);
    assertThat(run("5:99", "6:106")).containsExactly("", "");
  }

  @Test
  void manyAlertsFireOnlyWhereTheTradeReaches() {
    for (int i = 0; i < 10_000; i++) {
      book.put(level(i, Kind.CROSSING_UP, BigDecimal.valueOf(50_000 + i, 2).toPlainString(), Frequency.EVERY)
          .withCooldown(0));
    }
    List<AlertBook.Event> none = book.onTrade(S, T0, d("500.005"));
    assertThat(none).isEmpty();
    assertThat(book.onTrade(S, T0 + 1, d("500.05"))).extracting(e -> ((AlertBook.Fired) e).alert().id())
        .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L); // 500.01..500.05
    assertThat(book.onTrade(S, T0 + 2, d("500.051"))).isEmpty();
    assertThat(book.onTrade(S, T0 + 3, d("499"))).isEmpty(); // down: no crossing up
    assertThat(book.onTrade(S, T0 + 4, d("500.00"))).extracting(e -> ((AlertBook.Fired) e).alert().id())
        .containsExactly(0L);
  }
}
