package io.candlebus.tickers;

import java.util.Arrays;
import java.util.Optional;

/**
 * The statistics windows of Binance's all-market ticker streams: the 24 h mini ticker ({@code !miniTicker@arr},
 * always on) and the rolling 1 h / 4 h / 1 d windows ({@code !ticker_<w>@arr}, by configuration). Only the 24 h
 * window has a REST counterpart ({@code /api/v3/ticker/24hr}) that fills markets the stream has not mentioned.
 */
public enum TickerWindow {
  H24("24h", "24hrMiniTicker", "!miniTicker@arr"),
  H1("1h", "1hTicker", "!ticker_1h@arr"),
  H4("4h", "4hTicker", "!ticker_4h@arr"),
  D1("1d", "1dTicker", "!ticker_1d@arr");

  private final String code;
  private final String eventType;
  private final String stream;

  TickerWindow(String code, String eventType, String stream) {
    this.code = code;
    this.eventType = eventType;
    this.stream = stream;
  }

  public String code() {
    return code;
  }

  /** The {@code e} of this window's items. */
  public String eventType() {
    return eventType;
  }

  public String stream() {
    return stream;
  }

  public static Optional<TickerWindow> fromCode(String code) {
    return Arrays.stream(values()).filter(w -> w.code.equals(code)).findFirst();
  }

  static TickerWindow fromEventType(String e) {
    for (TickerWindow w : values()) {
      if (w.eventType.equals(e)) {
        return w;
      }
    }
    return null;
  }

  static TickerWindow fromStream(String s) {
    for (TickerWindow w : values()) {
      if (w.stream.equals(s)) {
        return w;
      }
    }
    return null;
  }
}
