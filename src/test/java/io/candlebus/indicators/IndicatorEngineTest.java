package io.candlebus.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.candlebus.domain.UserInput;
import io.candlebus.indicators.IndicatorEngine.Point;
import io.candlebus.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ta4j's indicators on the real BTCUSDT 1m klines of 2020-01-01..03 (data.binance.vision, 4 320 candles) equal a
 * second implementation written here from the textbook definitions in plain BigDecimal, to the 8th decimal; and
 * values computed from only the warm-up the spec asks for equal those from the whole history.
 */
class IndicatorEngineTest {
  private static final MathContext MC = new MathContext(40, RoundingMode.HALF_EVEN);
  static List<Candle> candles;

  @BeforeAll
  static void load() throws IOException {
    candles = new ArrayList<>();
    for (String day : List.of("01", "02", "03")) {
      Path zip = SharedData.real("binance_vision_BTCUSDT_1m_2020-01-01_03/BTCUSDT-1m-2020-01-" + day + ".zip");
      String csv;
      try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
        z.getNextEntry();
        csv = new String(z.readAllBytes(), StandardCharsets.US_ASCII);
      }
      for (String line : csv.split("\n")) {
        if (!line.isBlank()) {
          String[] f = line.trim().split(",");
          candles.add(new Candle("BTCUSDT", Interval.M1, Long.parseLong(f[0]), Long.parseLong(f[6]),
              new BigDecimal(f[1]), new BigDecimal(f[2]), new BigDecimal(f[3]), new BigDecimal(f[4]),
              new BigDecimal(f[5]), new BigDecimal(f[7]), new BigDecimal(f[9]), new BigDecimal(f[10]),
              Long.parseLong(f[8]), Candle.NO_ID, Candle.NO_ID, true));
        }
      }
    }
    assertThat(candles).hasSize(4_320);
  }

  private static List<BigDecimal> closes() {
    return candles.stream().map(Candle::close).toList();
  }

  private static IndicatorSpec spec(String query) {
    Map<String, String> params = new java.util.HashMap<>();
    for (String kv : query.split("&")) {
      String[] p = kv.split("=");
      params.put(p[0], p[1]);
    }
    return IndicatorSpec.parse(params::get);
  }

  private static BigDecimal r(BigDecimal v) {
    return v.setScale(IndicatorEngine.SCALE, RoundingMode.HALF_UP);
  }

  // --- the second implementation: definitions, not ta4j's code ---

  static List<BigDecimal> sma(List<BigDecimal> x, int n) {
    List<BigDecimal> out = new ArrayList<>();
    for (int i = 0; i < x.size(); i++) {
      if (i < n - 1) {
        out.add(null);
        continue;
      }
      BigDecimal sum = BigDecimal.ZERO;
      for (int j = i - n + 1; j <= i; j++) {
        sum = sum.add(x.get(j));
      }
      out.add(sum.divide(BigDecimal.valueOf(n), MC));
    }
    return out;
  }

  /** Exponential smoothing seeded with the first value: s0 = x0, s = s + alpha (x - s). */
  static List<BigDecimal> smooth(List<BigDecimal> x, BigDecimal alpha) {
    List<BigDecimal> out = new ArrayList<>();
    BigDecimal s = null;
    for (BigDecimal v : x) {
      s = s == null ? v : s.add(alpha.multiply(v.subtract(s), MC), MC);
      out.add(s);
    }
    return out;
  }

  static List<BigDecimal> ema(List<BigDecimal> x, int n) {
    return smooth(x, BigDecimal.valueOf(2).divide(BigDecimal.valueOf(n + 1), MC));
  }

  /** Wilder's RSI: gains and losses smoothed with 1/n. */
  static List<BigDecimal> rsi(List<BigDecimal> x, int n) {
    List<BigDecimal> gains = new ArrayList<>();
    List<BigDecimal> losses = new ArrayList<>();
    for (int i = 0; i < x.size(); i++) {
      BigDecimal d = i == 0 ? BigDecimal.ZERO : x.get(i).subtract(x.get(i - 1));
      gains.add(d.signum() > 0 ? d : BigDecimal.ZERO);
      losses.add(d.signum() < 0 ? d.negate() : BigDecimal.ZERO);
    }
    BigDecimal alpha = BigDecimal.ONE.divide(BigDecimal.valueOf(n), MC);
    List<BigDecimal> g = smooth(gains, alpha);
    List<BigDecimal> l = smooth(losses, alpha);
    List<BigDecimal> out = new ArrayList<>();
    BigDecimal hundred = BigDecimal.valueOf(100);
    for (int i = 0; i < x.size(); i++) {
      if (l.get(i).signum() == 0) {
        out.add(g.get(i).signum() == 0 ? BigDecimal.ZERO : hundred);
      } else {
        BigDecimal rs = g.get(i).divide(l.get(i), MC);
        out.add(hundred.subtract(hundred.divide(BigDecimal.ONE.add(rs), MC)));
      }
    }
    return out;
  }

  /** Population standard deviation over the last n. */
  static List<BigDecimal> sd(List<BigDecimal> x, int n) {
    List<BigDecimal> mean = sma(x, n);
    List<BigDecimal> out = new ArrayList<>();
    for (int i = 0; i < x.size(); i++) {
      if (i < n - 1) {
        out.add(null);
        continue;
      }
      BigDecimal sum = BigDecimal.ZERO;
      for (int j = i - n + 1; j <= i; j++) {
        BigDecimal d = x.get(j).subtract(mean.get(i));
        sum = sum.add(d.multiply(d));
      }
      out.add(sum.divide(BigDecimal.valueOf(n), MC).sqrt(MC));
    }
    return out;
  }

  private static void assertSame(List<Point> got, List<BigDecimal> want, String field, int from) {
    assertThat(got).hasSize(want.size() - from);
    for (int i = 0; i < got.size(); i++) {
      BigDecimal w = want.get(from + i);
      BigDecimal g = got.get(i).values().get(field);
      if (w == null) {
        assertThat(got.get(i).values()).as("bar %d", from + i).isEmpty();
      } else {
        assertThat(g).as("%s at bar %d", field, from + i).isEqualTo(r(w));
      }
    }
  }

  @Test
  void smaEmaAndRsiEqualTheTextbookComputationOnRealCandles() {
    assertSame(IndicatorEngine.compute(candles, spec("name=sma&period=20"), 0), sma(closes(), 20), "value", 0);
    assertSame(IndicatorEngine.compute(candles, spec("name=ema&period=14"), 0), ema(closes(), 14), "value", 0);
    assertSame(IndicatorEngine.compute(candles, spec("name=rsi&period=14"), 1), rsi(closes(), 14), "value", 1);
    List<Point> rsi = IndicatorEngine.compute(candles, spec("name=rsi&period=14"), 1);
    assertThat(rsi).allSatisfy(p -> assertThat(p.values().get("value")).isBetween(BigDecimal.ZERO,
        BigDecimal.valueOf(100)));
  }

  @Test
  void bollingerBandsAndMacdEqualTheTextbookComputation() {
    List<Point> bb = IndicatorEngine.compute(candles, spec("name=bb&period=20&k=2.5"), 0);
    List<BigDecimal> mid = sma(closes(), 20);
    List<BigDecimal> sd = sd(closes(), 20);
    List<BigDecimal> upper = new ArrayList<>();
    List<BigDecimal> lower = new ArrayList<>();
    for (int i = 0; i < mid.size(); i++) {
      upper.add(mid.get(i) == null ? null : mid.get(i).add(sd.get(i).multiply(new BigDecimal("2.5"))));
      lower.add(mid.get(i) == null ? null : mid.get(i).subtract(sd.get(i).multiply(new BigDecimal("2.5"))));
    }
    assertSame(bb, mid, "middle", 0);
    assertSame(bb, upper, "upper", 0);
    assertSame(bb, lower, "lower", 0);

    List<Point> macd = IndicatorEngine.compute(candles, spec("name=macd&fast=12&slow=26&signal=9"), 0);
    List<BigDecimal> fast = ema(closes(), 12);
    List<BigDecimal> slow = ema(closes(), 26);
    List<BigDecimal> line = new ArrayList<>();
    for (int i = 0; i < fast.size(); i++) {
      line.add(fast.get(i).subtract(slow.get(i)));
    }
    List<BigDecimal> signal = ema(line, 9);
    List<BigDecimal> histogram = new ArrayList<>();
    for (int i = 0; i < line.size(); i++) {
      histogram.add(line.get(i).subtract(signal.get(i)));
    }
    assertSame(macd, line, "macd", 0);
    assertSame(macd, signal, "signal", 0);
    assertSame(macd, histogram, "histogram", 0);
  }

  /** From the spec's warm-up alone, the first value asked for is already the one the whole history gives. */
  @Test
  void theWarmUpAloneGivesTheValuesOfTheWholeHistory() {
    for (String q : List.of("name=sma&period=50", "name=ema&period=14", "name=ema&period=200", "name=rsi&period=14",
        "name=bb&period=20", "name=macd&fast=12&slow=26&signal=9")) {
      IndicatorSpec s = spec(q);
      int first = candles.size() - 300; // the last 300 candles are asked for
      List<Point> whole = IndicatorEngine.compute(candles, s, first);
      int from = first - s.warmup();
      assertThat(from).as(q).isPositive();
      List<Point> warmed = IndicatorEngine.compute(candles.subList(from, candles.size()), s, s.warmup());
      assertThat(warmed).as(q).isEqualTo(whole);
      // and the warm-up is needed: from 10 bars only, a smoothing shows its seed
      if (s.kind() != IndicatorSpec.Kind.SMA && s.kind() != IndicatorSpec.Kind.BB) {
        assertThat(IndicatorEngine.compute(candles.subList(first - 10, candles.size()), s, 10)).as(q)
            .isNotEqualTo(whole);
      }
    }
  }

  @Test
  void badParametersAreNamed() {
    assertThatThrownBy(() -> spec("name=wma")).hasMessageContaining("wma")
        .isInstanceOfSatisfying(UserInput.Bad.class, e -> assertThat(e.field()).isEqualTo("name"));
    assertThatThrownBy(() -> spec("name=rsi&period=1"))
        .isInstanceOfSatisfying(UserInput.Bad.class, e -> assertThat(e.field()).isEqualTo("period"));
    assertThatThrownBy(() -> spec("name=sma&period=x"))
        .isInstanceOfSatisfying(UserInput.Bad.class, e -> assertThat(e.field()).isEqualTo("period"));
    assertThatThrownBy(() -> spec("name=macd&fast=30&slow=26"))
        .isInstanceOfSatisfying(UserInput.Bad.class, e -> assertThat(e.field()).isEqualTo("fast"));
    assertThatThrownBy(() -> spec("name=bb&k=-1"))
        .isInstanceOfSatisfying(UserInput.Bad.class, e -> assertThat(e.field()).isEqualTo("k"));
    assertThat(spec("name=bb&period=20&k=2.0").key()).isEqualTo("bb:20,2");
    assertThat(spec("name=macd").key()).isEqualTo("macd:12,26,9");
    assertThat(spec("name=RSI").key()).isEqualTo("rsi:14");
  }
}
