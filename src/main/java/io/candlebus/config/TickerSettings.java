package io.candlebus.config;

import io.candlebus.tickers.TickerWindow;
import java.util.List;

/**
 * The all-market board: on or off ({@code tickers}), which rolling windows besides the 24 h mini ticker
 * ({@code tickers.windows}: 1h, 4h, 1d), how many symbols the gateway may carry at most once users open uncarried
 * markets from the board ({@code symbols.max}), and how often exchangeInfo is read again for listings and
 * trading-status changes ({@code exchange.info.refresh.ms}).
 */
public record TickerSettings(boolean enabled, List<TickerWindow> windows, int maxSymbols, long marketsRefreshMs) {
  public static final List<TickerWindow> OPTIONAL_WINDOWS = List.of(TickerWindow.H1, TickerWindow.H4,
      TickerWindow.D1);

  public TickerSettings {
    windows = List.copyOf(windows);
  }

  public static TickerSettings defaults() {
    return new TickerSettings(true, List.of(), 50, 3_600_000);
  }

  /** The 24 h window and the configured rolling ones, in that order. */
  public List<TickerWindow> allWindows() {
    List<TickerWindow> out = new java.util.ArrayList<>();
    out.add(TickerWindow.H24);
    out.addAll(windows);
    return out;
  }
}
