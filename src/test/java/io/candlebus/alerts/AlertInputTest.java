package io.candlebus.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.candlebus.domain.Interval;
import io.candlebus.domain.UserInput;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Alerts as users write them: normalised when right, refused naming the field when not. */
class AlertInputTest {
  private static final long NOW = 1_767_225_600_000L;
  private static final Set<String> CARRIED = Set.of("BTCUSDT", "ETHUSDT");

  private static AlertSpec parse(Map<String, Object> body) {
    return AlertInput.parse(7, "alice", body, CARRIED, NOW);
  }

  private static Map<String, Object> body(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static void refused(String field, Object... kv) {
    assertThatThrownBy(() -> parse(body(kv))).as(field).isInstanceOf(UserInput.Bad.class)
        .extracting(e -> ((UserInput.Bad) e).field()).isEqualTo(field);
  }

  @Test
  void aLevelAlertWithItsDefaults() {
    AlertSpec a = parse(body("kind", "crossing_up", "symbol", "btcusdt", "level", "50000.50"));
    assertThat(a.kind()).isEqualTo(AlertSpec.Kind.CROSSING_UP);
    assertThat(a.symbol()).isEqualTo("BTCUSDT");
    assertThat(a.level()).isEqualTo(new BigDecimal("50000.5"));
    assertThat(a.frequency()).isEqualTo(AlertSpec.Frequency.ONCE);
    assertThat(a.cooldownMs()).isEqualTo(60_000);
    assertThat(a.sound()).isEqualTo("beep");
    assertThat(a.expires()).isZero();
    assertThat(a.paused()).isFalse();
  }

  @Test
  void everyOptionTaken() {
    AlertSpec a = parse(body("kind", "price_below", "symbol", "ETHUSDT", "level", "2500", "frequency", "every",
        "cooldown", "5m", "expires", NOW + 3_600_000, "note", "buy the dip", "sound", "chime", "paused", true));
    assertThat(a.cooldownMs()).isEqualTo(300_000);
    assertThat(a.expires()).isEqualTo(NOW + 3_600_000);
    assertThat(a.note()).isEqualTo("buy the dip");
    assertThat(a.sound()).isEqualTo("chime");
    assertThat(a.paused()).isTrue();
    AlertSpec b = parse(body("kind", "change_pct", "symbol", "ETHUSDT", "percent", "-3.0", "window", "1h",
        "frequency", "once_per_bar", "bar", "1h"));
    assertThat(b.percent()).isEqualTo(new BigDecimal("-3"));
    assertThat(b.windowMs()).isEqualTo(3_600_000);
    assertThat(b.bar()).isEqualTo(Interval.H1);
  }

  @Test
  void eachBadFieldIsNamed() {
    refused("kind", "symbol", "BTCUSDT", "level", "1");
    refused("kind", "kind", "near", "symbol", "BTCUSDT", "level", "1");
    refused("symbol", "kind", "price_above", "symbol", "DOGEUSDT", "level", "1");
    refused("level", "kind", "price_above", "symbol", "BTCUSDT", "level", "-1");
    refused("level", "kind", "price_above", "symbol", "BTCUSDT", "level", "1e");
    refused("percent", "kind", "price_above", "symbol", "BTCUSDT", "level", "1", "percent", "2");
    refused("percent", "kind", "change_pct", "symbol", "BTCUSDT", "percent", "0", "window", "1h");
    refused("window", "kind", "change_pct", "symbol", "BTCUSDT", "percent", "2", "window", "30s");
    refused("window", "kind", "change_pct", "symbol", "BTCUSDT", "percent", "2", "window", "2d");
    refused("level", "kind", "change_pct", "symbol", "BTCUSDT", "percent", "2", "window", "1h", "level", "5");
    refused("frequency", "kind", "price_above", "symbol", "BTCUSDT", "level", "1", "frequency", "always");
    refused("cooldown", "kind", "price_above", "symbol", "BTCUSDT", "level", "1", "cooldown", "1m");
    refused("cooldown", "kind", "price_above", "symbol", "BTCUSDT", "level", "1", "frequency", "every",
        "cooldown", "0s");
    refused("bar", "kind", "price_above", "symbol", "BTCUSDT", "level", "1", "frequency", "once_per_bar",
        "bar", "7m");
    refused("expires", "kind", "price_above", "symbol", "BTCUSDT", "level", "1", "expires", NOW - 1);
    refused("note", "kind", "price_above", "symbol", "BTCUSDT", "level", "1", "note", "x".repeat(251));
    refused("sound", "kind", "price_above", "symbol", "BTCUSDT", "level", "1", "sound", "siren");
    refused("paused", "kind", "price_above", "symbol", "BTCUSDT", "level", "1", "paused", "yes");
    refused("colour", "kind", "price_above", "symbol", "BTCUSDT", "level", "1", "colour", "red");
  }
}
