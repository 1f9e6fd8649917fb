package io.candlebus.domain;

import java.math.BigDecimal;

/** How decimals leave candlebus: the exact value, plain notation, trailing zeros removed (SPEC "Event bus"). */
public final class Decimals {
  private Decimals() {}

  public static String plain(BigDecimal value) {
    if (value.signum() == 0) {
      return "0";
    }
    return value.stripTrailingZeros().toPlainString();
  }
}
