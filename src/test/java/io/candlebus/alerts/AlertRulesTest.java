package io.candlebus.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertRulesTest {
  private static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  @Test
  void firesOncePerCrossingInEitherDirection() {
    AlertRules rules = new AlertRules();
    rules.replaceUser("alice", Map.of("BTCUSDT", d("100")));
    assertThat(rules.onTrade("BTCUSDT", d("99.99"), 1)).as("below at first: nothing").isEmpty();
    assertThat(rules.onTrade("BTCUSDT", d("100.00"), 2)).singleElement()
        .satisfies(f -> {
          assertThat(f.above()).isTrue();
          assertThat(f.username()).isEqualTo("alice");
          assertThat(f.minimum()).isEqualByComparingTo("100");
        });
    assertThat(rules.onTrade("BTCUSDT", d("101"), 3)).isEmpty();
    assertThat(rules.onTrade("BTCUSDT", d("99"), 4)).singleElement().satisfies(f -> assertThat(f.above()).isFalse());
    assertThat(rules.onTrade("ETHUSDT", d("1000"), 5)).isEmpty();
  }

  @Test
  void aNewAlertAboveThePriceFiresAtOnceAndReplacingKeepsTheStateOfUnchangedOnes() {
    AlertRules rules = new AlertRules();
    rules.replaceUser("bob", Map.of("BTCUSDT", d("50")));
    assertThat(rules.onTrade("BTCUSDT", d("60"), 1)).hasSize(1);
    rules.replaceUser("bob", Map.of("BTCUSDT", d("50.0"), "ETHUSDT", d("10")));
    assertThat(rules.onTrade("BTCUSDT", d("61"), 2)).as("same minimum: still above, no new firing").isEmpty();
    rules.replaceUser("bob", Map.of("BTCUSDT", d("55")));
    assertThat(rules.onTrade("BTCUSDT", d("61"), 3)).as("a changed minimum starts afresh").hasSize(1);
    assertThat(rules.size()).isEqualTo(1);
    rules.replaceUser("bob", Map.of());
    assertThat(rules.onTrade("BTCUSDT", d("1"), 4)).isEmpty();
    assertThat(rules.size()).isZero();
  }
}
