package io.candlebus.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one rule for values users send: what passes, what is refused naming the field, and at what cost. */
class UserInputTest {

  @Test
  void plainDecimalsPassExactlyWithTrailingZerosRemoved() {
    assertThat(UserInput.positiveDecimal("price", "49000.5")).isEqualByComparingTo("49000.5");
    assertThat(UserInput.positiveDecimal("price", " 0.00100000 ").toPlainString()).isEqualTo("0.001");
    assertThat(UserInput.decimal("percent", "-3").toPlainString()).isEqualTo("-3");
    assertThat(UserInput.decimal("percent", "0.000").toPlainString()).isEqualTo("0");
    assertThat(UserInput.positiveDecimal("price", 49_000)).isEqualByComparingTo("49000");
    assertThat(UserInput.positiveDecimal("price", 49_000.5)).isEqualByComparingTo("49000.5");
    assertThat(UserInput.positiveDecimal("price", "12345678901234567890.123456789012345678"))
        .isEqualByComparingTo(new BigDecimal("12345678901234567890.123456789012345678"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e-16383", "1e-16384", "1e-50000000", "1e-999999999", "1E5", "1e400", "+1", ".5", "5.",
      "１", "١", "٥٠", "NaN", "Infinity", "0x10", "1_000", "1,5", "1..2", "-", "", " ", "--1",
      "123456789012345678901", "0.1234567890123456789", "4 9"})
  void everythingElseIsRefusedNamingTheField(String value) {
    assertThatThrownBy(() -> UserInput.decimal("price", value)).isInstanceOfSatisfying(UserInput.Bad.class,
        e -> assertThat(e.field()).isEqualTo("price"));
  }

  @Test
  void jsonValuesOtherThanPlainNumbersAreRefused() {
    for (Object v : new Object[] {1e-7, 1e20, Double.POSITIVE_INFINITY, Double.NaN, true, new JsonObject(),
        BigInteger.TEN.pow(30), null}) {
      assertThatThrownBy(() -> UserInput.decimal("level", v)).as(String.valueOf(v))
          .isInstanceOf(UserInput.Bad.class);
    }
    assertThatThrownBy(() -> UserInput.positiveDecimal("level", "0")).isInstanceOf(UserInput.Bad.class);
    assertThatThrownBy(() -> UserInput.positiveDecimal("level", "-1")).isInstanceOf(UserInput.Bad.class);
  }

  @Test
  void wholeNumbersAreAsciiDigitsOrJsonIntegersInRange() {
    assertThat(UserInput.whole("limit", " 5 ", 1, 1000)).isEqualTo(5);
    assertThat(UserInput.whole("limit", 5, 1, 1000)).isEqualTo(5);
    assertThat(UserInput.whole("id", "9223372036854775807", 1, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    assertThat(UserInput.whole("x", "-12", -20, 0)).isEqualTo(-12L);
    assertThat(UserInput.whole("x", BigInteger.valueOf(7), 1, 10)).isEqualTo(7L);
    for (Object v : new Object[] {"５", "٥", "1e3", "5.0", "0x5", "9223372036854775808", "99999999999999999999999",
        "0", "1001", Double.POSITIVE_INFINITY, 5.0, Double.NaN, "", "-", true, null}) {
      assertThatThrownBy(() -> UserInput.whole("limit", v, 1, 1000)).as(String.valueOf(v))
          .isInstanceOfSatisfying(UserInput.Bad.class, e -> assertThat(e.field()).isEqualTo("limit"));
    }
  }

  @Test
  void timesEndWithTheYear9999() {
    assertThat(UserInput.time("startTime", "1621016790053")).isEqualTo(1_621_016_790_053L);
    assertThat(UserInput.time("startTime", String.valueOf(UserInput.MAX_TIME))).isEqualTo(UserInput.MAX_TIME);
    assertThatThrownBy(() -> UserInput.time("startTime", "9223372036854775807"))
        .isInstanceOfSatisfying(UserInput.Bad.class, e -> assertThat(e.field()).isEqualTo("startTime"));
    assertThatThrownBy(() -> UserInput.time("endTime", "-1")).isInstanceOf(UserInput.Bad.class);
  }

  @Test
  void textIsBoundedAndHasNoControlCharacters() {
    assertThat(UserInput.text("note", "breakout ↑ 🚀 at 50 000", 250)).isEqualTo("breakout ↑ 🚀 at 50 000");
    for (String v : new String[] {"a\u0000b", "bell\u0007", "\u0085next line", "tab\there", "new\nline", "\uD83D",
        "x\uDE80", "a".repeat(251)}) {
      assertThatThrownBy(() -> UserInput.text("note", v, 250)).as(v.length() > 20 ? "251 a" : v)
          .isInstanceOfSatisfying(UserInput.Bad.class, e -> assertThat(e.field()).isEqualTo("note"));
    }
    assertThatThrownBy(() -> UserInput.text("note", 5, 250)).isInstanceOf(UserInput.Bad.class);
  }

  @Test
  void symbolsAreAsciiLettersAndDigitsInUpperCase() {
    assertThat(UserInput.symbol("symbol", " btcusdt ")).isEqualTo("BTCUSDT");
    for (Object v : new Object[] {"ＢＴＣＵＳＤＴ", "BTC/USDT", "straße", "ſ", "B", "A".repeat(31), "BTC\u0000", 5, null}) {
      assertThatThrownBy(() -> UserInput.symbol("symbol", v)).as(String.valueOf(v))
          .isInstanceOf(UserInput.Bad.class);
    }
  }

  @Test
  void aRefusalCostsTheSameWhateverTheSizeOfTheInput() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    String digits = "1".repeat(1_000_000);
    String exponent = "1e-" + "9".repeat(1_000_000);
    String controls = "\u0000".repeat(1_000_000);
    // warm the paths first: the first call of each loads classes
    for (int i = 0; i < 1_000; i++) {
      refused(() -> UserInput.decimal("price", "1e-5"));
      refused(() -> UserInput.whole("limit", "1e5", 1, 10));
      refused(() -> UserInput.text("note", "\u0000", 250));
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    refused(() -> UserInput.decimal("price", digits));
    refused(() -> UserInput.decimal("price", exponent));
    refused(() -> UserInput.whole("limit", digits, 1, 1000));
    refused(() -> UserInput.text("note", controls, 250));
    refused(() -> UserInput.text("note", controls, 2_000_000));
    refused(() -> UserInput.symbol("symbol", digits));
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(allocated).as("bytes allocated refusing six values of a million characters").isLessThan(64 * 1024);
  }

  private static void refused(Runnable r) {
    try {
      r.run();
      throw new AssertionError("accepted");
    } catch (UserInput.Bad expected) {
      // the point
    }
  }
}
