package io.candlebus.indicators;

import io.candlebus.domain.UserInput;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * An indicator and its parameters, as asked for by {@code name=sma|ema|bb|rsi|macd} and its parameters:
 * {@code period} (sma, ema, rsi: default 14; bb: default 20), {@code k} (bb: band width in standard deviations,
 * default 2), {@code fast}/{@code slow}/{@code signal} (macd: default 12/26/9).
 */
public record IndicatorSpec(Kind kind, int period, BigDecimal k, int fast, int slow, int signal) {
  public static final int MAX_PERIOD = 1_000;
  /** Bars of history read before the first value asked for, at most: enough for 8 decimals of any EMA here. */
  public static final int MAX_WARMUP = 6_000;

  public enum Kind { SMA, EMA, BB, RSI, MACD }

  /** From query parameters ({@code param} answers null for a missing one). */
  public static IndicatorSpec parse(Function<String, String> param) {
    String name = param.apply("name");
    if (name == null || name.isBlank()) {
      throw new UserInput.Bad("name", "is required: one of sma, ema, bb, rsi, macd");
    }
    Kind kind;
    try {
      kind = Kind.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UserInput.Bad("name", "\"" + name + "\" is not one of sma, ema, bb, rsi, macd");
    }
    return switch (kind) {
      case SMA, EMA -> new IndicatorSpec(kind, whole(param, "period", 14, 1), null, 0, 0, 0);
      case RSI -> new IndicatorSpec(kind, whole(param, "period", 14, 2), null, 0, 0, 0);
      case BB -> new IndicatorSpec(kind, whole(param, "period", 20, 2), width(param), 0, 0, 0);
      case MACD -> {
        int fast = whole(param, "fast", 12, 1);
        int slow = whole(param, "slow", 26, 2);
        if (fast >= slow) {
          throw new UserInput.Bad("fast", "must be below slow (" + fast + " >= " + slow + ")");
        }
        yield new IndicatorSpec(kind, 0, null, fast, slow, whole(param, "signal", 9, 1));
      }
    };
  }

  private static int whole(Function<String, String> param, String name, int dflt, int min) {
    String v = param.apply(name);
    return v == null ? dflt : UserInput.whole(name, v, min, MAX_PERIOD);
  }

  private static BigDecimal width(Function<String, String> param) {
    String v = param.apply("k");
    if (v == null) {
      return BigDecimal.valueOf(2);
    }
    BigDecimal k = UserInput.positiveDecimal("k", v);
    if (k.compareTo(BigDecimal.TEN) > 0 || k.scale() > 4) {
      throw new UserInput.Bad("k", "\"" + v + "\" is not a decimal above 0 and at most 10 (e.g. 2 or 2.5)");
    }
    return k;
  }

  /** The values of a point: {@code value}, or the bands, or MACD's three lines. */
  public List<String> fields() {
    return switch (kind) {
      case BB -> List.of("middle", "upper", "lower");
      case MACD -> List.of("macd", "signal", "histogram");
      default -> List.of("value");
    };
  }

  /**
   * From {@link #key()}'s form ({@code rsi:14}, {@code bb:20,2}, {@code macd:12,26,9}), which must be the canonical
   * one, so that one indicator has one address.
   */
  public static IndicatorSpec fromKey(String key) {
    int colon = key.indexOf(':');
    if (colon <= 0) {
      throw new UserInput.Bad("name", "\"" + key + "\" is not <name>:<parameters>, e.g. rsi:14");
    }
    String name = key.substring(0, colon);
    String[] values = key.substring(colon + 1).split(",", -1);
    List<String> names = switch (name) {
      case "bb" -> List.of("period", "k");
      case "macd" -> List.of("fast", "slow", "signal");
      default -> List.of("period");
    };
    if (values.length != names.size()) {
      throw new UserInput.Bad("name", "\"" + key + "\" needs " + String.join(",", names));
    }
    IndicatorSpec spec = parse(p -> p.equals("name") ? name : names.contains(p) ? values[names.indexOf(p)] : null);
    if (!spec.key().equals(key)) {
      throw new UserInput.Bad("name", "\"" + key + "\" is written " + spec.key());
    }
    return spec;
  }

  /** {@code rsi:14}, {@code bb:20,2}, {@code macd:12,26,9}: the name and parameters of a live address. */
  public String key() {
    return switch (kind) {
      case BB -> "bb:" + period + "," + k.stripTrailingZeros().toPlainString();
      case MACD -> "macd:" + fast + "," + slow + "," + signal;
      default -> kind.name().toLowerCase(Locale.ROOT) + ":" + period;
    };
  }

  /** Bars before a value that it needs: all of them for a window, enough to forget the seed for a smoothing. */
  public int warmup() {
    return switch (kind) {
      case SMA, BB -> period - 1;
      case EMA -> forget(2.0 / (period + 1));
      case RSI -> forget(1.0 / period) + 1;
      case MACD -> Math.min(MAX_WARMUP, forget(2.0 / (slow + 1)) + forget(2.0 / (signal + 1)));
    };
  }

  /**
   * Bars after which a seed's weight in an exponential smoothing of factor {@code alpha} is below 1e-14 of the
   * values: well beyond the 8 decimals published, even for prices of 100 000.
   */
  private static int forget(double alpha) {
    if (alpha >= 1) {
      return 0;
    }
    return (int) Math.min(MAX_WARMUP, Math.ceil(Math.log(1e-14) / Math.log(1 - alpha)));
  }
}
