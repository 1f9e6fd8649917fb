package io.candlebus.tail;

import io.candlebus.tail.TailOptions.TimeFormat;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Turns the bus's trade and candle messages (SPEC "Event bus" shapes; {@link BinanceTail} maps Binance's frames to
 * them) into one line each, space-separated so that {@code awk} can cut it:
 *
 * <pre>
 * 2021-05-14T18:26:00.000Z BTCUSDT 1m 50409.27 live       candle: openTime, symbol, interval, --price, live|closed
 * 2021-05-14T18:26:30.053Z BTCUSDT trade 50405.91 0.164282 trade: time, symbol, "trade", price, qty
 * </pre>
 *
 * Decimals are printed exactly as received. On a terminal the price is green when it rose since the previous line
 * and red when it fell. Not thread-safe: one source feeds it.
 */
public final class TailLine {
  private static final String GREEN = "\u001b[32m";
  private static final String RED = "\u001b[31m";
  private static final String RESET = "\u001b[0m";
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX")
      .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

  private final TimeFormat time;
  private final char price;
  private final boolean colour;
  private final ZoneId zone;
  private BigDecimal previous;

  public TailLine(TimeFormat time, char price, boolean colour, ZoneId zone) {
    this.time = time;
    this.price = price;
    this.colour = colour;
    this.zone = zone;
  }

  /** The line for a candle message; null when it lacks the fields a line needs. */
  public String candle(JsonObject c) {
    String p = c.getValue(field(price)) instanceof String s ? s : null;
    if (!(c.getValue("openTime") instanceof Number t) || p == null) {
      return null;
    }
    return time(t.longValue()) + " " + c.getString("symbol", "?") + " " + c.getString("interval", "?") + " "
        + paint(p) + " " + (Boolean.TRUE.equals(c.getValue("closed")) ? "closed" : "live");
  }

  /** The line for a trade message; null when it lacks the fields a line needs. */
  public String trade(JsonObject t) {
    if (!(t.getValue("time") instanceof Number at) || !(t.getValue("price") instanceof String p)
        || !(t.getValue("qty") instanceof String q)) {
      return null;
    }
    return time(at.longValue()) + " " + t.getString("symbol", "?") + " trade " + paint(p) + " " + q;
  }

  static String field(char price) {
    return switch (price) {
      case 'o' -> "open";
      case 'h' -> "high";
      case 'l' -> "low";
      default -> "close";
    };
  }

  String time(long ms) {
    return switch (time) {
      case MS -> Long.toString(ms);
      case ISO -> ISO.format(Instant.ofEpochMilli(ms));
      case LOCAL -> LOCAL.format(Instant.ofEpochMilli(ms).atZone(zone));
    };
  }

  /** The price as received, coloured by its move since the previous line (compared as numbers: 1.10 = 1.1). */
  private String paint(String p) {
    BigDecimal now;
    try {
      now = new BigDecimal(p);
    } catch (NumberFormatException e) {
      return p;
    }
    int move = previous == null ? 0 : now.compareTo(previous);
    previous = now;
    if (!colour || move == 0) {
      return p;
    }
    return (move > 0 ? GREEN : RED) + p + RESET;
  }
}
