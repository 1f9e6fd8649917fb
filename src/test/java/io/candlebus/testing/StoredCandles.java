package io.candlebus.testing;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.simulator.BinanceSimulator;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/** Checks a stored candle series against the simulator's REST klines: Binance's truth, the faultless run's result. */
public final class StoredCandles {
  private StoredCandles() {}

  /**
   * The stored series of {@code symbol}/{@code interval} from {@code fromOpen} on: contiguous, no window twice,
   * every row equal to Binance's kline field by field. Returns the number of rows checked.
   */
  public static int assertContiguousAndEqualToBinance(Pool pool, BinanceSimulator sim, String symbol,
      String interval, long intervalMs, long fromOpen) {
    RowSet<Row> stored = await(pool.preparedQuery("SELECT extract(epoch FROM p.date_open) * 1000 AS t, "
        + "extract(epoch FROM p.date_close) * 1000 AS ct, price_open, "
        + "price_high, price_low, price_close, volume, quote_volume, taker_buy_volume, taker_buy_quote_volume, "
        + "num_trades FROM exchange.price_history p JOIN exchange.token k ON k.id = p.token_id "
        + "WHERE k.name = $1 AND p.\"interval\" = $2 AND p.date_open >= to_timestamp($3 / 1000.0) "
        + "AT TIME ZONE 'UTC' ORDER BY p.date_open").execute(Tuple.of(symbol, interval, fromOpen)));
    Map<Long, JsonArray> binance = new HashMap<>();
    long start = fromOpen;
    while (true) {
      JsonArray page = Http.getArray(sim.restBaseUrl() + "/api/v3/klines?symbol=" + symbol + "&interval=" + interval
          + "&startTime=" + start + "&limit=1000");
      page.forEach(r -> binance.put(((JsonArray) r).getLong(0), (JsonArray) r));
      if (page.size() < 1000) {
        break;
      }
      start = page.getJsonArray(page.size() - 1).getLong(0) + 1;
    }
    long previous = -1;
    int n = 0;
    for (Row r : stored) {
      long t = r.getBigDecimal("t").longValue();
      if (previous >= 0) {
        assertThat(t).as("%s %s: the window after %d", symbol, interval, previous).isEqualTo(previous + intervalMs);
      }
      previous = t;
      JsonArray b = binance.get(t);
      assertThat(b).as("Binance's %s %s kline at %d", symbol, interval, t).isNotNull();
      String at = symbol + " " + interval + " " + t;
      assertThat(r.getBigDecimal("ct").longValue()).as(at).isEqualTo(b.getLong(6));
      assertThat(r.getBigDecimal("price_open")).as(at).isEqualByComparingTo(new BigDecimal(b.getString(1)));
      assertThat(r.getBigDecimal("price_high")).as(at).isEqualByComparingTo(new BigDecimal(b.getString(2)));
      assertThat(r.getBigDecimal("price_low")).as(at).isEqualByComparingTo(new BigDecimal(b.getString(3)));
      assertThat(r.getBigDecimal("price_close")).as(at).isEqualByComparingTo(new BigDecimal(b.getString(4)));
      assertThat(r.getBigDecimal("volume")).as(at).isEqualByComparingTo(new BigDecimal(b.getString(5)));
      assertThat(r.getBigDecimal("quote_volume")).as(at).isEqualByComparingTo(new BigDecimal(b.getString(7)));
      assertThat(r.getLong("num_trades")).as(at).isEqualTo(b.getLong(8));
      assertThat(r.getBigDecimal("taker_buy_volume")).as(at).isEqualByComparingTo(new BigDecimal(b.getString(9)));
      assertThat(r.getBigDecimal("taker_buy_quote_volume")).as(at)
          .isEqualByComparingTo(new BigDecimal(b.getString(10)));
      n++;
    }
    return n;
  }
}
