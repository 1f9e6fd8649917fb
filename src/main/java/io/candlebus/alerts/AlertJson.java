package io.candlebus.alerts;

import io.candlebus.domain.Decimals;
import io.candlebus.domain.Interval;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Locale;

/** An {@link AlertSpec} as the JSON the store keeps and {@code /api/alerts} shows, and back. */
public final class AlertJson {
  private AlertJson() {}

  /** What the store needs of {@code a} (everything but id and username). */
  public static JsonObject toJson(AlertSpec a) {
    JsonObject o = new JsonObject().put("symbol", a.symbol()).put("kind", lower(a.kind()))
        .put("frequency", lower(a.frequency())).put("cooldown", a.cooldownMs()).put("bar", a.bar().code())
        .put("expires", a.expires() > 0 ? a.expires() : null).put("note", a.note()).put("sound", a.sound())
        .put("paused", a.paused());
    if (a.kind() == AlertSpec.Kind.CHANGE_PCT) {
      o.put("percent", Decimals.plain(a.percent())).put("window", a.windowMs());
    } else {
      o.put("level", Decimals.plain(a.level()));
    }
    return o;
  }

  /** A stored alert of {@code username} ({@code username} in {@code o} wins when present). */
  public static AlertSpec fromJson(JsonObject o, String username) {
    AlertSpec.Kind kind = AlertSpec.Kind.valueOf(o.getString("kind").toUpperCase(Locale.ROOT));
    AlertSpec.Frequency frequency = AlertSpec.Frequency.valueOf(o.getString("frequency").toUpperCase(Locale.ROOT));
    Long expires = o.getLong("expires");
    return new AlertSpec(o.getLong("id"), o.getString("username", username), o.getString("symbol"), kind,
        decimal(o, "level"), decimal(o, "percent"), o.getLong("window", 0L), frequency,
        o.getLong("cooldown", AlertSpec.DEFAULT_COOLDOWN_MS), Interval.fromCode(o.getString("bar", "1m"))
        .orElse(Interval.M1), expires == null ? 0 : expires, o.getString("note"), o.getString("sound", "beep"),
        o.getBoolean("paused", false));
  }

  /**
   * The firing's id: the alert and the trade it fired on, so two nodes that evaluate the same trade (a hand-over)
   * store and deliver it once, and a webhook receiver can drop a repeat by it.
   */
  public static String firingId(long alertId, long time, long tradeId) {
    return alertId + "-" + time + "-" + tradeId;
  }

  private static BigDecimal decimal(JsonObject o, String field) {
    String v = o.getString(field);
    return v == null ? null : new BigDecimal(v);
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
