package io.candlebus.alerts;

import io.candlebus.domain.Interval;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An alert as a user writes it ({@code POST/PUT /api/alerts}, issue 13), checked field by field: a problem names the
 * field ({@link Bad#field()}) so the answer can be a 400 naming it. Pure: a map of the JSON body's values in, an
 * {@link AlertSpec} out.
 *
 * <pre>{"kind":"crossing_up","symbol":"BTCUSDT","level":"50000","frequency":"every","cooldown":"5m",
 *  "expires":1767225600000,"note":"breakout","sound":"chime"}
 * {"kind":"change_pct","symbol":"ETHUSDT","percent":"-3","window":"1h","frequency":"once_per_bar","bar":"1h"}</pre>
 */
public final class AlertInput {
  public static final int MAX_NOTE = 250;
  public static final List<String> SOUNDS = List.of("beep", "chime", "alarm", "none");
  static final long MIN_WINDOW_MS = 60_000;
  static final long MIN_COOLDOWN_MS = 1_000;
  private static final Set<String> FIELDS = Set.of("kind", "symbol", "level", "percent", "window", "frequency",
      "cooldown", "bar", "expires", "note", "sound", "paused");
  /** What {@code GET /api/alerts} shows besides: an alert read back and sent again keeps them as they are. */
  private static final Set<String> READ_ONLY = Set.of("id", "state", "lastFired", "created");
  private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,6})(s|m|h|d)");

  /** A field that cannot be used: its name and what is wrong. */
  public static final class Bad extends IllegalArgumentException {
    private final String field;

    Bad(String field, String problem) {
      super(problem, null);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  private AlertInput() {}

  /**
   * The alert {@code id} of {@code username} from {@code body}; {@code symbols} are those carried, {@code now} the
   * time an {@code expires} must be after.
   */
  public static AlertSpec parse(long id, String username, Map<String, Object> body, Set<String> symbols, long now) {
    for (String f : body.keySet()) {
      if (!FIELDS.contains(f) && !READ_ONLY.contains(f)) {
        throw new Bad(f, "is not a field of an alert (" + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
      }
    }
    AlertSpec.Kind kind = choice(body, "kind", AlertSpec.Kind.class, null);
    String symbol = text(body, "symbol").map(s -> s.trim().toUpperCase(Locale.ROOT)).filter(symbols::contains)
        .orElseThrow(() -> new Bad("symbol", "must be a carried symbol (" + String.join(",", symbols) + ")"));
    BigDecimal level = null;
    BigDecimal percent = null;
    long window = 0;
    if (kind == AlertSpec.Kind.CHANGE_PCT) {
      forbid(body, "level", "change_pct");
      percent = decimal(body, "percent")
          .filter(p -> p.signum() != 0 && p.abs().compareTo(BigDecimal.valueOf(1000)) <= 0)
          .orElseThrow(() -> new Bad("percent", "must be a signed decimal, not 0, at most 1000 in size: \"2.5\" up, "
              + "\"-3\" down"));
      window = duration(body, "window", 0);
      if (window < MIN_WINDOW_MS || window > PriceTrail.MAX_WINDOW_MS) {
        throw new Bad("window", "must be 1m to 24h, e.g. \"15m\"");
      }
    } else {
      forbid(body, "percent", kind.name().toLowerCase(Locale.ROOT));
      forbid(body, "window", kind.name().toLowerCase(Locale.ROOT));
      level = decimal(body, "level").filter(l -> l.signum() > 0)
          .orElseThrow(() -> new Bad("level", "must be a positive decimal string, e.g. \"50000.5\""));
    }
    AlertSpec.Frequency frequency = choice(body, "frequency", AlertSpec.Frequency.class, AlertSpec.Frequency.ONCE);
    long cooldown = AlertSpec.DEFAULT_COOLDOWN_MS;
    if (body.get("cooldown") != null) {
      if (frequency != AlertSpec.Frequency.EVERY) {
        throw new Bad("cooldown", "only with frequency every");
      }
      cooldown = duration(body, "cooldown", 0);
      if (cooldown < MIN_COOLDOWN_MS) {
        throw new Bad("cooldown", "must be at least 1s");
      }
    }
    Interval bar = Interval.M1;
    if (body.get("bar") != null) {
      if (frequency != AlertSpec.Frequency.ONCE_PER_BAR) {
        throw new Bad("bar", "only with frequency once_per_bar");
      }
      bar = text(body, "bar").flatMap(Interval::fromCode)
          .orElseThrow(() -> new Bad("bar", "must be an interval: 1m, 5m, 1h, 1d, ..."));
    }
    long expires = 0;
    if (body.get("expires") != null) {
      if (!(body.get("expires") instanceof Number n) || n.longValue() <= now) {
        throw new Bad("expires", "must be a time in epoch ms after now");
      }
      expires = n.longValue();
    }
    String note = text(body, "note").orElse(null);
    if (body.get("note") != null && (note == null || note.length() > MAX_NOTE)) {
      throw new Bad("note", "must be a string of at most " + MAX_NOTE + " characters");
    }
    String sound = text(body, "sound").orElse(body.get("sound") == null ? "beep" : null);
    if (sound == null || !SOUNDS.contains(sound)) {
      throw new Bad("sound", "must be one of " + String.join(", ", SOUNDS));
    }
    Object paused = body.getOrDefault("paused", false);
    if (!(paused instanceof Boolean p)) {
      throw new Bad("paused", "must be true or false");
    }
    return new AlertSpec(id, username, symbol, kind, level, percent, window, frequency, cooldown, bar, expires, note,
        sound, p);
  }

  private static void forbid(Map<String, Object> body, String field, String kind) {
    if (body.get(field) != null) {
      throw new Bad(field, "is not a field of a " + kind + " alert");
    }
  }

  private static Optional<String> text(Map<String, Object> body, String field) {
    return body.get(field) instanceof String s ? Optional.of(s) : Optional.empty();
  }

  private static Optional<BigDecimal> decimal(Map<String, Object> body, String field) {
    Object v = body.get(field);
    if (!(v instanceof String) && !(v instanceof Number)) {
      return Optional.empty();
    }
    try {
      BigDecimal d = new BigDecimal(v.toString().trim());
      return d.precision() - d.scale() <= 30 && d.scale() <= 18 ? Optional.of(d.stripTrailingZeros())
          : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static <E extends Enum<E>> E choice(Map<String, Object> body, String field, Class<E> type, E dflt) {
    Object v = body.get(field);
    if (v == null && dflt != null) {
      return dflt;
    }
    String names = String.join(", ", java.util.Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
    if (v instanceof String s) {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(s.trim())) {
          return e;
        }
      }
    }
    throw new Bad(field, v == null ? "is required: one of " + names : "\"" + v + "\" is not one of " + names);
  }

  /** {@code "90s"}, {@code "15m"}, {@code "1h"}, {@code "1d"}, or a number of ms. */
  private static long duration(Map<String, Object> body, String field, long dflt) {
    Object v = body.get(field);
    if (v == null) {
      if (dflt > 0) {
        return dflt;
      }
      throw new Bad(field, "is required, e.g. \"15m\"");
    }
    if (v instanceof Number n && n.longValue() > 0) {
      return n.longValue();
    }
    Matcher m = v instanceof String s ? DURATION.matcher(s.trim()) : null;
    if (m == null || !m.matches()) {
      throw new Bad(field, "\"" + v + "\" is not a duration like \"30s\", \"15m\", \"1h\", \"1d\"");
    }
    long unit = switch (m.group(2)) {
      case "s" -> 1_000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      default -> 86_400_000L;
    };
    return Long.parseLong(m.group(1)) * unit;
  }
}
