package io.candlebus.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.domain.Interval;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When an RSI alert fires: on the candle whose value crossed a level from the previous one's, exactly once. */
class IndicatorAlertRulesTest {
  private static final IndicatorAlertRules.Rule BOTH = new IndicatorAlertRules.Rule(1, "alice", "BTCUSDT",
      Interval.M1, 14, new BigDecimal("70"), new BigDecimal("30"));

  private static List<String> fired(String previous, String value) {
    return IndicatorAlertRules.crossings(BOTH, previous == null ? null : new BigDecimal(previous),
        new BigDecimal(value), 60_000).stream().map(f -> f.direction() + " " + f.level()).toList();
  }

  @Test
  void crossingUpFiresWhenTheValueGoesBeyondTheLevelFromAtOrBelowIt() {
    assertThat(fired("69.99999999", "70.00000001")).containsExactly("above 70");
    assertThat(fired("70", "70.00000001")).containsExactly("above 70"); // from exactly at the level
    assertThat(fired("70", "70")).isEmpty(); // touching is not crossing
    assertThat(fired("69", "70")).isEmpty(); // reaching it is not either
    assertThat(fired("70.5", "80")).isEmpty(); // already above: once per crossing
    assertThat(fired("10", "90")).containsExactly("above 70"); // a gap over the level
  }

  @Test
  void crossingDownIsTheMirror() {
    assertThat(fired("30.00000001", "29.99999999")).containsExactly("below 30");
    assertThat(fired("30", "29.9")).containsExactly("below 30");
    assertThat(fired("31", "30")).isEmpty();
    assertThat(fired("29", "20")).isEmpty();
    assertThat(fired("90", "10")).containsExactly("below 30");
  }

  @Test
  void noPreviousValueNoCrossingAndAOneSidedRuleWatchesItsSideOnly() {
    assertThat(fired(null, "90")).isEmpty();
    IndicatorAlertRules.Rule upOnly = new IndicatorAlertRules.Rule(2, "bob", "BTCUSDT", Interval.M1, 14,
        new BigDecimal("70"), null);
    assertThat(IndicatorAlertRules.crossings(upOnly, new BigDecimal("40"), new BigDecimal("20"), 0)).isEmpty();
    assertThat(IndicatorAlertRules.crossings(upOnly, new BigDecimal("60"), new BigDecimal("75"), 0)).hasSize(1);
  }

  @Test
  void rulesAreKeptPerUserAndByMarket() {
    IndicatorAlertRules rules = new IndicatorAlertRules();
    rules.replaceUser("alice", List.of(BOTH, new IndicatorAlertRules.Rule(3, "alice", "ETHUSDT", Interval.H1, 7,
        null, new BigDecimal("25"))));
    rules.replaceUser("bob", List.of(new IndicatorAlertRules.Rule(4, "bob", "BTCUSDT", Interval.M1, 21,
        new BigDecimal("80"), null)));
    assertThat(rules.size()).isEqualTo(3);
    assertThat(rules.markets()).containsExactly("BTCUSDT 1m", "ETHUSDT 1h");
    assertThat(rules.rules("BTCUSDT", Interval.M1)).extracting(IndicatorAlertRules.Rule::id)
        .containsExactlyInAnyOrder(1L, 4L);
    rules.replaceUser("alice", List.of());
    assertThat(rules.markets()).containsExactly("BTCUSDT 1m");
  }
}
