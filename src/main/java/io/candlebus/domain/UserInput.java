package io.candlebus.domain;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The one rule for every value a user sends, as a query parameter or in a JSON body: a decimal is plain ASCII
 * (digits and at most one point, as Binance writes them) of bounded size; a whole number is ASCII digits or a JSON
 * integer, within its range; text has a bounded length and no control characters. Each value is checked by a scan
 * of its characters before anything is built from it, so the time and memory of a refusal do not grow with the
 * input ({@code new BigDecimal("1e-999999999")} is cheap, but printing it is not; Java's own number parsing takes
 * full-width and Arabic digits). A refusal is a {@link Bad} naming the field, which the HTTP side answers with 400.
 */
public final class UserInput {
  /** Digits before the point at most: Binance's prices and quantities stay far below 10^20. */
  public static final int MAX_INTEGER_DIGITS = 20;
  /** Digits after the point at most (Binance quotes 8; an exact quote volume may need more). */
  public static final int MAX_SCALE = 18;
  /** The last millisecond of the year 9999: a time no Binance answer reaches, and the bound of a stored one. */
  public static final long MAX_TIME = 253_402_300_799_999L;
  /** Characters a whole number may take: a sign and 19 digits. */
  private static final int MAX_WHOLE_CHARS = 20;

  private UserInput() {}

  /** A value a user sent that cannot be used: its field (or query parameter) and what is wrong with it. */
  public static final class Bad extends IllegalArgumentException {
    private final String field;

    public Bad(String field, String problem) {
      super(problem, null);
      this.field = field;
    }

    public String field() {
      return field;
    }

    /** A refusal is an answer, not a fault: no stack to walk and keep for each of a flood of them. */
    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  /**
   * A decimal above zero: a string like {@code "49000.5"} (spaces around it allowed), or a JSON integer; a JSON
   * fraction only as its plain notation would be (so {@code 49000.5} passes, {@code 1e-7} does not).
   */
  public static BigDecimal positiveDecimal(String field, Object value) {
    BigDecimal d = decimal(field, value);
    if (d.signum() <= 0) {
      throw new Bad(field, "must be above 0, e.g. \"49000.5\"");
    }
    return d;
  }

  /** A decimal of either sign, as {@link #positiveDecimal} reads it; trailing zeros removed. */
  public static BigDecimal decimal(String field, Object value) {
    String s = value instanceof String text ? text.strip()
        : value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
            || value instanceof Double || value instanceof Float || value instanceof BigDecimal
            || value instanceof BigInteger ? value.toString() : null;
    if (s == null || !isBoundedDecimal(s)) {
      throw new Bad(field, "must be a plain decimal like \"49000.5\": digits and at most one point, up to "
          + MAX_INTEGER_DIGITS + " digits before it and " + MAX_SCALE + " after");
    }
    BigDecimal d = new BigDecimal(s);
    return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
  }

  /**
   * Whether {@code s} is a plain decimal ({@link Decimals#isPlain}, Binance's own shape) with at most
   * {@link #MAX_INTEGER_DIGITS} digits before the point and {@link #MAX_SCALE} after: a longer one is refused by
   * its length, before a character is looked at.
   */
  static boolean isBoundedDecimal(String s) {
    if (s.length() > 1 + MAX_INTEGER_DIGITS + 1 + MAX_SCALE || !Decimals.isPlain(s)) {
      return false;
    }
    int from = s.charAt(0) == '-' ? 1 : 0;
    int point = s.indexOf('.');
    int integerDigits = (point < 0 ? s.length() : point) - from;
    int scale = point < 0 ? 0 : s.length() - point - 1;
    return integerDigits <= MAX_INTEGER_DIGITS && scale <= MAX_SCALE;
  }

  /**
   * A whole number from {@code min} to {@code max}: ASCII digits with an optional minus (spaces around allowed),
   * or a JSON integer. A JSON fraction, even {@code 5.0}, or one beyond the range ({@code 1e400}) is refused.
   */
  public static long whole(String field, Object value, long min, long max) {
    Long n = null;
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      n = ((Number) value).longValue();
    } else if (value instanceof BigInteger big && big.bitLength() < 64) {
      n = big.longValue();
    } else if (value instanceof String s) {
      n = parseWhole(s.strip());
    }
    if (n == null || n < min || n > max) {
      throw new Bad(field, "must be a whole number from " + min + (max == Long.MAX_VALUE ? " up" : " to " + max));
    }
    return n;
  }

  /** {@link #whole} within an int's range. */
  public static int whole(String field, Object value, int min, int max) {
    return (int) whole(field, value, (long) min, (long) max);
  }

  /** A time in epoch milliseconds, from 0 to {@link #MAX_TIME}. */
  public static long time(String field, Object value) {
    try {
      return whole(field, value, 0, MAX_TIME);
    } catch (Bad e) {
      throw new Bad(field, "must be a time in epoch milliseconds (0 to " + MAX_TIME + ")");
    }
  }

  /** ASCII digits and an optional minus, without overflow; null when {@code s} is not one. */
  private static Long parseWhole(String s) {
    int n = s.length();
    int from = n > 0 && s.charAt(0) == '-' ? 1 : 0;
    if (n == from || n > MAX_WHOLE_CHARS) {
      return null;
    }
    long v = 0;
    for (int i = from; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      int digit = c - '0';
      if (v > (Long.MAX_VALUE - digit) / 10) {
        return null;
      }
      v = v * 10 + digit;
    }
    return from == 1 ? -v : v;
  }

  /**
   * A string of at most {@code maxLength} characters without control characters (PostgreSQL refuses NUL in text,
   * a terminal or log reader is fooled by the others) or halves of surrogate pairs; returned as sent.
   */
  public static String text(String field, Object value, int maxLength) {
    if (!(value instanceof String s)) {
      throw new Bad(field, "must be a string of at most " + maxLength + " characters");
    }
    if (s.length() > maxLength) {
      throw new Bad(field, "must be at most " + maxLength + " characters long");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) {
        throw new Bad(field, "must not hold control characters (found U+"
            + String.format("%04X", (int) c) + " at " + i + ")");
      }
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new Bad(field, "is not valid text (half of a surrogate pair at " + i + ")");
      }
    }
    return s;
  }

  /** A Binance symbol as a user may write it ({@code btcusdt}, spaces around): 2 to 30 ASCII letters and digits. */
  public static String symbol(String field, Object value) {
    String s = value instanceof String text && text.length() <= 64 ? text.strip() : null;
    if (s == null || s.length() < 2 || s.length() > 30) {
      throw new Bad(field, "must be a symbol of 2 to 30 letters and digits, e.g. BTCUSDT");
    }
    char[] out = new char[s.length()];
    for (int i = 0; i < out.length; i++) {
      char c = s.charAt(i);
      if (c >= 'a' && c <= 'z') {
        c = (char) (c - 'a' + 'A');
      }
      if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9')) {
        throw new Bad(field, "must be a symbol of 2 to 30 letters and digits, e.g. BTCUSDT");
      }
      out[i] = c;
    }
    return new String(out);
  }
}
