package io.candlebus.testing;

import io.vertx.core.json.JsonArray;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/** RSI alert levels for tests that need crossings soon: a fixed 50 can be left alone for dozens of candles. */
public final class RsiLevels {
  private RsiLevels() {}

  /** The median of the last 30 closed RSI(14) values of {@code symbol} on 1m, to 2 decimals: crossed often. */
  public static BigDecimal recentMedian(HttpSession s, String symbol) {
    JsonArray rsi = s.getArray("/api/indicators?symbol=" + symbol + "&interval=1m&name=rsi&period=14&limit=31");
    List<BigDecimal> values = new ArrayList<>();
    for (int i = 0; i < rsi.size() - 1; i++) { // the last one is the open candle's
      values.add(new BigDecimal(rsi.getJsonObject(i).getString("value")));
    }
    values.sort(null);
    return values.get(values.size() / 2).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros();
  }
}
