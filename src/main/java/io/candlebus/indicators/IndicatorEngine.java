package io.candlebus.indicators;

import io.candlebus.domain.Candle;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;
import org.ta4j.core.Indicator;
import org.ta4j.core.indicators.EMAIndicator;
import org.ta4j.core.indicators.MACDIndicator;
import org.ta4j.core.indicators.RSIIndicator;
import org.ta4j.core.indicators.SMAIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsLowerIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsMiddleIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsUpperIndicator;
import org.ta4j.core.indicators.helpers.ClosePriceIndicator;
import org.ta4j.core.indicators.statistics.StandardDeviationIndicator;
import org.ta4j.core.num.DecimalNum;
import org.ta4j.core.num.Num;

/**
 * Indicators of candle closes, computed by ta4j with {@link DecimalNum} (exact decimals to 32 digits, not
 * doubles), published to {@value #SCALE} decimals, half up. Pure: no Vert.x, a call per request.
 */
public final class IndicatorEngine {
  public static final int SCALE = 8;
  /** Significant digits of every computation: ta4j's default for DecimalNum. */
  static final int PRECISION = 32;

  private IndicatorEngine() {}

  /** One candle's indicator values, by the spec's {@link IndicatorSpec#fields()}; empty before enough bars. */
  public record Point(long time, Map<String, BigDecimal> values) {}

  /**
   * The values for {@code candles} (oldest first, one interval, no holes) from index {@code from} on; the bars
   * before it are the warm-up. A point whose window reaches before the first candle has no values.
   */
  public static List<Point> compute(List<Candle> candles, IndicatorSpec spec, int from) {
    BarSeries series = new BaseBarSeriesBuilder().withNumTypeOf(DecimalNum.class).build();
    for (Candle c : candles) {
      Duration length = Duration.ofMillis(c.closeTime() + 1 - c.openTime());
      series.addBar(length, Instant.ofEpochMilli(c.closeTime() + 1).atZone(ZoneOffset.UTC), num(c.open()),
          num(c.high()), num(c.low()), num(c.close()), num(c.volume()));
    }
    ClosePriceIndicator close = new ClosePriceIndicator(series);
    Map<String, Indicator<Num>> lines = new LinkedHashMap<>();
    int needs; // bars a value needs before it can exist at all
    switch (spec.kind()) {
      case SMA -> {
        lines.put("value", new SMAIndicator(close, spec.period()));
        needs = spec.period() - 1;
      }
      case EMA -> {
        lines.put("value", new EMAIndicator(close, spec.period()));
        needs = 0;
      }
      case RSI -> {
        lines.put("value", new RSIIndicator(close, spec.period()));
        needs = 1;
      }
      case BB -> {
        BollingerBandsMiddleIndicator middle = new BollingerBandsMiddleIndicator(new SMAIndicator(close,
            spec.period()));
        StandardDeviationIndicator sd = new StandardDeviationIndicator(close, spec.period());
        lines.put("middle", middle);
        lines.put("upper", new BollingerBandsUpperIndicator(middle, sd, num(spec.k())));
        lines.put("lower", new BollingerBandsLowerIndicator(middle, sd, num(spec.k())));
        needs = spec.period() - 1;
      }
      case MACD -> {
        MACDIndicator macd = new MACDIndicator(close, spec.fast(), spec.slow());
        EMAIndicator signal = macd.getSignalLine(spec.signal());
        lines.put("macd", macd);
        lines.put("signal", signal);
        lines.put("histogram", macd.getHistogram(spec.signal()));
        needs = 0;
      }
      default -> throw new IllegalArgumentException(spec.kind().name());
    }
    List<Point> out = new ArrayList<>(Math.max(0, candles.size() - from));
    for (int i = Math.max(0, from); i < candles.size(); i++) {
      Map<String, BigDecimal> values = new LinkedHashMap<>();
      if (i >= needs) {
        for (Map.Entry<String, Indicator<Num>> e : lines.entrySet()) {
          values.put(e.getKey(), round(e.getValue().getValue(i)));
        }
      }
      out.add(new Point(candles.get(i).openTime(), values));
    }
    return out;
  }

  /**
   * With the precision given: {@code DecimalNum.valueOf(BigDecimal)} keeps the value's own (6 digits for
   * "7186.17"), and ta4j computes in the precision of the left operand, so a price would drag a whole EMA down
   * to a dozen digits.
   */
  private static Num num(BigDecimal v) {
    return DecimalNum.valueOf(v, PRECISION);
  }

  private static BigDecimal round(Num n) {
    if (n.isNaN()) {
      return null;
    }
    return ((BigDecimal) n.getDelegate()).setScale(SCALE, RoundingMode.HALF_UP);
  }
}
