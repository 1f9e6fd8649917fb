package io.candlebus.domain;

import java.math.BigDecimal;

/** How decimals enter and leave candlebus: the exact value, plain notation, trailing zeros removed on the way out. */
public final class Decimals {
  private Decimals() {}

  public static String plain(BigDecimal value) {
    if (value.signum() == 0) {
      return "0";
    }
    return value.stripTrailingZeros().toPlainString();
  }

  /**
   * Digits, optionally one point between digits, as Binance writes them ("0.00100000"), and perhaps a minus sign
   * (for the caller to refuse where a value cannot be negative); BigDecimal alone would also take "1e400", "+1"
   * or ".5", and an exponent could make a value of absurd size.
   */
  public static boolean isPlain(String s) {
    int n = s.length();
    if (n == 0 || n > 64) {
      return false;
    }
    int from = s.charAt(0) == '-' ? 1 : 0;
    if (from == n) {
      return false;
    }
    int point = -1;
    for (int i = from; i < n; i++) {
      char c = s.charAt(i);
      if (c == '.' && point < 0 && i > from && i < n - 1) {
        point = i;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
