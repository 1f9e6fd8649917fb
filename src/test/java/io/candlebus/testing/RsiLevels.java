package io.candlebus.testing;

import io.vertx.core.json.JsonArray;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * RSI alert levels for tests that need crossings soon. RSI(14) of the simulator's walk can stay on one side of 50,
 * or of its recent median, for dozens of candles; RSI(2) swings across its median every few candles.
 */
public final class RsiLevels {
  private RsiLevels() {}

  /** The median of the last 30 closed RSI({@code period}) values of {@code symbol} on 1m, to 2 decimals. */
  public static BigDecimal recentMedian(HttpSession s, String symbol, int period) {
    JsonArray rsi = s.getArray("/api/indicators?symbol=" + symbol + "&interval=1m&name=rsi&period=" + period
        + "&limit=31");
    List<BigDecimal> values = new ArrayList<>();
    for (int i = 0; i < rsi.size() - 1; i++) { // the last one is the open candle's
      values.add(new BigDecimal(rsi.getJsonObject(i).getString("value")));
    }
    values.sort(null);
    return values.get(values.size() / 2).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros();
  }
}
