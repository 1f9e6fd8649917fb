package io.candlebus.persistence;

import io.candlebus.Addresses;
import io.candlebus.domain.Interval;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Stored candles read over {@link Addresses#DB_CANDLES_QUERY} a page at a time: an indicator's warm-up. */
public final class CandlePages {
  /** Rows per request: the candle query's own limit. */
  public static final int PAGE = 1_000;
  /** "Before the end of 9999": the newest stored candles, whatever the exchange's clock says (not ours). */
  public static final long NEWEST = 253_402_300_800_000L;
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(5_000);

  private CandlePages() {}

  /** Up to {@code count} stored candles opened before {@code openTime}, oldest first. */
  public static Future<List<JsonObject>> before(Vertx vertx, String symbol, Interval interval, long openTime,
      int count) {
    List<JsonObject> out = new ArrayList<>();
    return page(vertx, symbol, interval, openTime, count, out).map(v -> out);
  }

  private static Future<Void> page(Vertx vertx, String symbol, Interval interval, long openTime, int count,
      List<JsonObject> out) {
    if (count <= 0 || openTime <= 0) {
      return Future.succeededFuture();
    }
    int limit = Math.min(PAGE, count);
    JsonObject q = new JsonObject().put("symbol", symbol).put("interval", interval.code()).put("limit", limit)
        .put("endTime", openTime - 1);
    return vertx.eventBus().<JsonArray>request(Addresses.DB_CANDLES_QUERY, q, QUICK).compose(m -> {
      JsonArray rows = m.body();
      List<JsonObject> older = new ArrayList<>(rows.size());
      rows.forEach(o -> older.add((JsonObject) o));
      out.addAll(0, older);
      if (rows.size() < limit) {
        return Future.succeededFuture(); // the start of what is stored
      }
      return page(vertx, symbol, interval, older.get(0).getLong("openTime"), count - rows.size(), out);
    });
  }
}
