package io.candlebus.upstream;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.candlebus.domain.Trade;
import io.candlebus.upstream.StreamEvent.KlineEvent;
import io.candlebus.upstream.StreamEvent.TradeEvent;
import java.math.BigDecimal;

/**
 * The hot path of {@link BinanceStreamParser}: one pass over the characters of an aggTrade or kline frame in the
 * exact shape Binance sends (combined envelope or raw, {@code "e"} first, known fields only, no escapes, plain
 * decimals of at most 18 digits). Decimals are built from their digits ({@code BigDecimal.valueOf(unscaled,
 * scale)}), which keeps the scale as sent. Anything else returns {@code null} and the caller uses the general
 * Jackson path, which also names the problem of a bad frame: this class never decides that a frame is bad.
 */
final class FastFrameScanner {
  private final String s;
  private final int n;
  private int i;
  /** The last string read is s[textStart, textEnd): compared in place, copied only when kept. */
  private int textStart;
  private int textEnd;
  private long number;
  private BigDecimal decimal;
  private boolean flag;
  /** Set when a member list is malformed; the scan then gives up. */
  private boolean bad;

  private FastFrameScanner(String s) {
    this.s = s;
    this.n = s.length();
  }

  /** The event, or null when the frame is not in the canonical shape. */
  static StreamEvent scan(String frame) {
    return new FastFrameScanner(frame).frame();
  }

  private StreamEvent frame() {
    if (!expect('{') || !key()) {
      return null;
    }
    StreamEvent e;
    if (textIs("stream")) {
      if (!string()) {
        return null;
      }
      int streamStart = textStart;
      int streamEnd = textEnd;
      if (!expect(',') || !key() || !textIs("data") || !expect('{') || !key()) {
        return null;
      }
      e = event();
      if (e == null || !expect('}') || !StreamNames.carries(s, streamStart, streamEnd, e)) {
        return null; // the general parser says what is wrong
      }
    } else {
      e = event();
    }
    skipSpace();
    return e != null && i == n ? e : null;
  }

  /** An event object whose first key has just been read; consumes its closing brace. */
  private StreamEvent event() {
    if (!textIs("e") || !string()) {
      return null;
    }
    if (textIs("aggTrade")) {
      return aggTrade();
    }
    return textIs("kline") ? kline() : null;
  }

  private StreamEvent aggTrade() {
    String symbol = null;
    long eventTime = 0;
    long aggId = 0;
    long first = 0;
    long last = 0;
    long time = 0;
    BigDecimal price = null;
    BigDecimal qty = null;
    boolean buyerMaker = false;
    int seen = 0;
    long keys = 1; // bit 0: never a key letter, keeps "none yet" non-zero
    while (next(false)) {
      if (!key() || textEnd - textStart != 1 || (keys = once(keys)) == 0) {
        return null;
      }
      switch (s.charAt(textStart)) {
        case 'E' -> { if (!integer()) return null; eventTime = number; seen |= 1; }
        case 's' -> { if (!string()) return null; symbol = text(); seen |= 2; }
        case 'a' -> { if (!integer()) return null; aggId = number; seen |= 4; }
        case 'p' -> { if (!decimal()) return null; price = decimal; seen |= 8; }
        case 'q' -> { if (!decimal()) return null; qty = decimal; seen |= 16; }
        case 'f' -> { if (!integer()) return null; first = number; seen |= 32; }
        case 'l' -> { if (!integer()) return null; last = number; seen |= 64; }
        case 'T' -> { if (!integer()) return null; time = number; seen |= 128; }
        case 'm' -> { if (!bool()) return null; buyerMaker = flag; seen |= 256; }
        case 'M' -> { if (!bool()) return null; }
        default -> { return null; }
      }
    }
    if (bad || seen != 511) {
      return null;
    }
    return new TradeEvent(new Trade(symbol, aggId, price, qty, first, last, time, buyerMaker, eventTime));
  }

  private StreamEvent kline() {
    long eventTime = 0;
    Candle k = null;
    int seen = 0;
    long keys = 1; // bit 0: never a key letter, keeps "none yet" non-zero
    while (next(false)) {
      if (!key() || textEnd - textStart != 1 || (keys = once(keys)) == 0) {
        return null;
      }
      switch (s.charAt(textStart)) {
        case 'E' -> { if (!integer()) return null; eventTime = number; seen |= 1; }
        case 's' -> { if (!string()) return null; }
        case 'k' -> { if (!expect('{') || (k = klineBody()) == null) return null; seen |= 2; }
        default -> { return null; }
      }
    }
    return !bad && seen == 3 ? new KlineEvent(k, eventTime) : null;
  }

  private Candle klineBody() {
    long open = 0;
    long close = 0;
    long first = 0;
    long last = 0;
    long trades = 0;
    String symbol = null;
    Interval interval = null;
    BigDecimal o = null;
    BigDecimal c = null;
    BigDecimal h = null;
    BigDecimal l = null;
    BigDecimal v = null;
    BigDecimal q = null;
    BigDecimal takerV = null;
    BigDecimal takerQ = null;
    boolean closed = false;
    int seen = 0;
    long keys = 1;
    for (boolean firstMember = true; next(firstMember); firstMember = false) {
      if (!key() || textEnd - textStart != 1 || (keys = once(keys)) == 0) {
        return null;
      }
      switch (s.charAt(textStart)) {
        case 't' -> { if (!integer()) return null; open = number; seen |= 1; }
        case 'T' -> { if (!integer()) return null; close = number; seen |= 2; }
        case 's' -> { if (!string()) return null; symbol = text(); seen |= 4; }
        case 'i' -> {
          if (!string() || (interval = Interval.fromCode(text()).orElse(null)) == null) return null;
          seen |= 8;
        }
        case 'f' -> { if (!integer()) return null; first = number; seen |= 16; }
        case 'L' -> { if (!integer()) return null; last = number; seen |= 32; }
        case 'o' -> { if (!decimal()) return null; o = decimal; seen |= 64; }
        case 'c' -> { if (!decimal()) return null; c = decimal; seen |= 128; }
        case 'h' -> { if (!decimal()) return null; h = decimal; seen |= 256; }
        case 'l' -> { if (!decimal()) return null; l = decimal; seen |= 512; }
        case 'v' -> { if (!decimal()) return null; v = decimal; seen |= 1024; }
        case 'n' -> { if (!integer()) return null; trades = number; seen |= 2048; }
        case 'x' -> { if (!bool()) return null; closed = flag; seen |= 4096; }
        case 'q' -> { if (!decimal()) return null; q = decimal; seen |= 8192; }
        case 'V' -> { if (!decimal()) return null; takerV = decimal; seen |= 16384; }
        case 'Q' -> { if (!decimal()) return null; takerQ = decimal; seen |= 32768; }
        case 'B' -> { if (!string()) return null; }
        default -> { return null; }
      }
    }
    if (bad || seen != 65535 || interval.openTime(open) != open || interval.closeTime(open) != close) {
      return null;
    }
    return new Candle(symbol, interval, open, close, o, h, l, c, v, q, takerV, takerQ, trades, first, last, closed);
  }

  /**
   * Before a member: true when one follows (after its ',' unless it is the object's first), false after consuming
   * the closing '}' or when the list is malformed ({@link #bad} then tells).
   */
  private boolean next(boolean first) {
    skipSpace();
    if (i < n && s.charAt(i) == '}') {
      i++;
      return false;
    }
    if (first) {
      return true;
    }
    if (i < n && s.charAt(i) == ',') {
      i++;
      return true;
    }
    bad = true;
    return false;
  }

  private boolean key() {
    return string() && expect(':');
  }

  private boolean expect(char c) {
    skipSpace();
    if (i < n && s.charAt(i) == c) {
      i++;
      return true;
    }
    return false;
  }

  private void skipSpace() {
    while (i < n) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      i++;
    }
  }

  private boolean string() {
    skipSpace();
    if (i >= n || s.charAt(i) != '"') {
      return false;
    }
    int start = ++i;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '"') {
        textStart = start;
        textEnd = i++;
        return true;
      }
      if (c == '\\' || c < 0x20) {
        return false;
      }
      i++;
    }
    return false;
  }

  private boolean textIs(String expected) {
    return textEnd - textStart == expected.length() && s.startsWith(expected, textStart);
  }

  /**
   * Adds the current one-letter key to {@code keys}; 0 when it was there already (the general parser refuses
   * duplicate keys, so the fast path must not pick one of the values).
   */
  private long once(long keys) {
    char c = s.charAt(textStart);
    if (c <= 64 || c >= 128) {
      return keys;
    }
    long bit = 1L << (c - 64);
    return (keys & bit) != 0 ? 0 : keys | bit;
  }

  private String text() {
    return s.substring(textStart, textEnd);
  }

  private boolean integer() {
    skipSpace();
    boolean negative = i < n && s.charAt(i) == '-';
    if (negative) {
      i++;
    }
    int start = i;
    long v = 0;
    while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      v = v * 10 + (s.charAt(i++) - '0');
    }
    int digits = i - start;
    if (digits == 0 || digits > 18 || (digits > 1 && s.charAt(start) == '0')) {
      return false;
    }
    if (i < n && (s.charAt(i) == '.' || s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      return false;
    }
    number = negative ? -v : v;
    return true;
  }

  /** A decimal string like "50405.91000000": digits, optionally one '.' and digits. */
  private boolean decimal() {
    skipSpace();
    if (i >= n || s.charAt(i) != '"') {
      return false;
    }
    i++;
    boolean negative = i < n && s.charAt(i) == '-';
    if (negative) {
      i++;
    }
    long v = 0;
    int digits = 0;
    int scale = -1;
    while (i < n) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        v = v * 10 + (c - '0');
        digits++;
        if (scale >= 0) {
          scale++;
        }
      } else if (c == '.' && scale < 0) {
        scale = 0;
      } else {
        break;
      }
      i++;
    }
    if (i >= n || s.charAt(i) != '"' || digits == 0 || digits > 18 || scale == 0) {
      return false;
    }
    i++;
    decimal = BigDecimal.valueOf(negative ? -v : v, Math.max(scale, 0));
    return true;
  }

  private boolean bool() {
    skipSpace();
    if (s.startsWith("true", i)) {
      i += 4;
      flag = true;
      return true;
    }
    if (s.startsWith("false", i)) {
      i += 5;
      flag = false;
      return true;
    }
    return false;
  }
}
