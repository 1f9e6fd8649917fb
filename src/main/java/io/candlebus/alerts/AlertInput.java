package io.candlebus.alerts;

import io.candlebus.domain.Interval;
import io.candlebus.domain.UserInput;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An alert as a user writes it ({@code POST/PUT /api/alerts}), checked field by field with {@link UserInput}'s rule:
 * a problem names the field ({@link UserInput.Bad#field()}) so the answer can be a 400 naming it. Pure: a map of
 * the JSON body's values in, an {@link AlertSpec} out.
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
  static final long MAX_COOLDOWN_MS = 30 * 86_400_000L;
  private static final Set<String> FIELDS = Set.of("kind", "symbol", "level", "percent", "window", "frequency",
      "cooldown", "bar", "expires", "note", "sound", "paused");
  /** What {@code GET /api/alerts} shows besides: an alert read back and sent again keeps them as they are. */
  private static final Set<String> READ_ONLY = Set.of("id", "state", "lastFired", "created");
  /** A duration given as a number of ms at most: a year. */
  private static final long MAX_DURATION_MS = 366 * 86_400_000L;
  private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,6})(s|m|h|d)");

  private AlertInput() {}

  /**
   * The alert {@code id} of {@code username} from {@code body}; {@code symbols} are those carried, {@code now} the
   * time an {@code expires} must be after.
   */
  public static AlertSpec parse(long id, String username, Map<String, Object> body, Set<String> symbols, long now) {
    for (String f : body.keySet()) {
      if (!FIELDS.contains(f) && !READ_ONLY.contains(f)) {
        throw new UserInput.Bad(f, "is not a field of an alert (" + String.join(", ", FIELDS.stream().sorted()
            .toList()) + ")");
      }
    }
    AlertSpec.Kind kind = choice(body, "kind", AlertSpec.Kind.class, null);
    String symbol = UserInput.symbol("symbol", body.get("symbol"));
    if (!symbols.contains(symbol)) {
      throw new UserInput.Bad("symbol", "must be a carried symbol (" + String.join(",", symbols) + ")");
    }
    BigDecimal level = null;
    BigDecimal percent = null;
    long window = 0;
    if (kind == AlertSpec.Kind.CHANGE_PCT) {
      forbid(body, "level", "change_pct");
      percent = UserInput.decimal("percent", required(body, "percent"));
      if (percent.signum() == 0 || percent.abs().compareTo(BigDecimal.valueOf(1000)) > 0) {
        throw new UserInput.Bad("percent", "must be a signed decimal, not 0, at most 1000 in size: \"2.5\" up, "
            + "\"-3\" down");
      }
      window = duration(body, "window", 0);
      if (window < MIN_WINDOW_MS || window > PriceTrail.MAX_WINDOW_MS) {
        throw new UserInput.Bad("window", "must be 1m to 24h, e.g. \"15m\"");
      }
    } else {
      forbid(body, "percent", kind.name().toLowerCase(Locale.ROOT));
      forbid(body, "window", kind.name().toLowerCase(Locale.ROOT));
      level = UserInput.positiveDecimal("level", required(body, "level"));
    }
    AlertSpec.Frequency frequency = choice(body, "frequency", AlertSpec.Frequency.class, AlertSpec.Frequency.ONCE);
    long cooldown = AlertSpec.DEFAULT_COOLDOWN_MS;
    if (body.get("cooldown") != null) {
      if (frequency != AlertSpec.Frequency.EVERY) {
        throw new UserInput.Bad("cooldown", "only with frequency every");
      }
      cooldown = duration(body, "cooldown", 0);
      if (cooldown < MIN_COOLDOWN_MS || cooldown > MAX_COOLDOWN_MS) {
        throw new UserInput.Bad("cooldown", "must be 1s to 30d");
      }
    }
    Interval bar = Interval.M1;
    if (body.get("bar") != null) {
      if (frequency != AlertSpec.Frequency.ONCE_PER_BAR) {
        throw new UserInput.Bad("bar", "only with frequency once_per_bar");
      }
      bar = text(body, "bar").flatMap(Interval::fromCode)
          .orElseThrow(() -> new UserInput.Bad("bar", "must be an interval: 1m, 5m, 1h, 1d, ..."));
    }
    long expires = 0;
    if (body.get("expires") != null) {
      try {
        expires = UserInput.whole("expires", body.get("expires"), now + 1, UserInput.MAX_TIME);
      } catch (UserInput.Bad e) {
        throw new UserInput.Bad("expires", "must be a time in epoch ms after now");
      }
    }
    String note = body.get("note") == null ? null : UserInput.text("note", body.get("note"), MAX_NOTE);
    String sound = text(body, "sound").orElse(body.get("sound") == null ? "beep" : null);
    if (sound == null || !SOUNDS.contains(sound)) {
      throw new UserInput.Bad("sound", "must be one of " + String.join(", ", SOUNDS));
    }
    Object paused = body.getOrDefault("paused", false);
    if (!(paused instanceof Boolean p)) {
      throw new UserInput.Bad("paused", "must be true or false");
    }
    return new AlertSpec(id, username, symbol, kind, level, percent, window, frequency, cooldown, bar, expires, note,
        sound, p);
  }

  private static void forbid(Map<String, Object> body, String field, String kind) {
    if (body.get(field) != null) {
      throw new UserInput.Bad(field, "is not a field of a " + kind + " alert");
    }
  }

  private static Optional<String> text(Map<String, Object> body, String field) {
    return body.get(field) instanceof String s ? Optional.of(s) : Optional.empty();
  }

  private static Object required(Map<String, Object> body, String field) {
    Object v = body.get(field);
    if (v == null) {
      throw new UserInput.Bad(field, "is required");
    }
    return v;
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
    throw new UserInput.Bad(field, v == null ? "is required: one of " + names
        : "\"" + v + "\" is not one of " + names);
  }

  /** {@code "90s"}, {@code "15m"}, {@code "1h"}, {@code "1d"}, or a number of ms. */
  private static long duration(Map<String, Object> body, String field, long dflt) {
    Object v = body.get(field);
    if (v == null) {
      if (dflt > 0) {
        return dflt;
      }
      throw new UserInput.Bad(field, "is required, e.g. \"15m\"");
    }
    if (v instanceof Number) {
      return UserInput.whole(field, v, 1, MAX_DURATION_MS);
    }
    Matcher m = v instanceof String s && s.length() <= 16 ? DURATION.matcher(s.strip()) : null;
    if (m == null || !m.matches()) {
      throw new UserInput.Bad(field, "\"" + v + "\" is not a duration like \"30s\", \"15m\", \"1h\", \"1d\"");
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
