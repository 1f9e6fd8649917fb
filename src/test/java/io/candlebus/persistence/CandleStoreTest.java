package io.candlebus.persistence;

import static io.candlebus.testing.Await.await;
import static io.candlebus.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Decimals;
import io.candlebus.domain.Interval;
import io.candlebus.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(60)
class CandleStoreTest {
  private static final long T0 = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();
  private static final AtomicInteger SYMBOLS = new AtomicInteger();
  private static String url;

  private Pool pool;
  private CandleStore store;
  private String symbol;

  @BeforeAll
  static void database() {
    url = TestPostgres.newDatabaseUrl();
  }

  @BeforeEach
  void open(Vertx vertx) {
    pool = PgPools.create(vertx, PgPools.fromUrl(url));
    await(Schema.migrate(pool));
    store = new CandleStore(pool);
    symbol = "SYM" + SYMBOLS.incrementAndGet() + "USDT"; // tests share the database, not their rows
  }

  @AfterEach
  void close() {
    await(pool.close());
  }

  @Test
  void sameCandleTwiceLeavesOneRowWithItsValues() {
    Candle c = TestCandles.candle(symbol, Interval.M1, T0, 1);

    assertThat(await(store.upsert(List.of(c)))).isEqualTo(1);
    assertThat(await(store.upsert(List.of(c)))).as("identical candle: nothing to write").isEqualTo(0);

    assertThat(rowCount(symbol)).isEqualTo(1);
    List<Candle> stored = await(store.query(symbol, Interval.M1, null, null, 10));
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).sameValues(c)).as("%s vs %s", stored.get(0).describe(), c.describe()).isTrue();
    assertThat(stored.get(0).symbol()).isEqualTo(symbol);
    assertThat(stored.get(0).interval()).isEqualTo(Interval.M1);
    assertThat(stored.get(0).firstTradeId()).isEqualTo(Candle.NO_ID);
    assertThat(stored.get(0).lastTradeId()).isEqualTo(Candle.NO_ID);
    assertThat(stored.get(0).closed()).isTrue();
  }

  @Test
  void changedCandleUpdatesTheRow() {
    Candle first = TestCandles.candle(symbol, Interval.M1, T0, 1);
    Candle corrected = TestCandles.withVolume(TestCandles.withClose(first, "101.99"), new BigDecimal("7.125"));
    await(store.upsert(List.of(first)));

    assertThat(await(store.upsert(List.of(corrected)))).isEqualTo(1);

    assertThat(rowCount(symbol)).isEqualTo(1);
    Candle stored = await(store.query(symbol, Interval.M1, null, null, 10)).get(0);
    assertThat(stored.close()).isEqualByComparingTo("101.99");
    assertThat(stored.volume()).isEqualByComparingTo("7.125");
    assertThat(stored.sameValues(corrected)).isTrue();
  }

  @Test
  void trailingZerosAloneAreNotAChange() {
    Candle c = TestCandles.candle(symbol, Interval.M1, T0, 1);
    await(store.upsert(List.of(c)));
    Candle padded = TestCandles.withClose(c, c.close().setScale(8).toPlainString());

    assertThat(await(store.upsert(List.of(padded)))).isEqualTo(0);
  }

  @Test
  void duplicateKeysInOneBatchAreCollapsedLastWins() {
    Candle a1 = TestCandles.candle(symbol, Interval.M1, T0, 1);
    Candle b = TestCandles.candle(symbol, Interval.M1, T0 + 60_000, 2);
    Candle a2 = TestCandles.withClose(a1, "99.5");
    Candle a3 = TestCandles.withClose(a1, "98.25");
    Candle a5m = TestCandles.candle(symbol, Interval.M5, T0, 3); // same open time, other interval: another key

    assertThat(await(store.upsert(List.of(a1, b, a2, a5m, a3)))).isEqualTo(3);

    List<Candle> m1 = await(store.query(symbol, Interval.M1, null, null, 10));
    assertThat(m1).hasSize(2);
    assertThat(m1.get(0).close()).isEqualByComparingTo("98.25");
    assertThat(m1.get(1).sameValues(b)).isTrue();
    assertThat(await(store.query(symbol, Interval.M5, null, null, 10))).singleElement()
        .satisfies(c -> assertThat(c.sameValues(a5m)).isTrue());
  }

  @Test
  void decimalsRoundTripExactly() {
    String[] values = {"0.000000000000000001", "123456789012345678901234567890.123456789", "100", "0",
        "7195.24", "0.1", "98765432109876543210", "1E+30"};
    List<Candle> candles = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      BigDecimal v = new BigDecimal(values[i]);
      Candle base = TestCandles.candle(symbol, Interval.M1, T0 + i * 60_000L, i);
      candles.add(new Candle(symbol, Interval.M1, base.openTime(), base.closeTime(), v, v, v, v, v, v, v, v, 5,
          Candle.NO_ID, Candle.NO_ID, true));
    }
    // what Binance sends has trailing zeros: stored without them, value unchanged
    Candle padded = TestCandles.withClose(TestCandles.candle(symbol, Interval.M1, T0 + 99 * 60_000L, 0), "7195.24000000");
    candles.add(padded);
    await(store.upsert(candles));

    List<Candle> stored = await(store.query(symbol, Interval.M1, null, null, 100));
    assertThat(stored).hasSize(values.length + 1);
    for (int i = 0; i < values.length; i++) {
      Candle c = stored.get(i);
      String expected = Decimals.plain(new BigDecimal(values[i]));
      for (BigDecimal v : List.of(c.open(), c.high(), c.low(), c.close(), c.volume(), c.quoteVolume(),
          c.takerBuyVolume(), c.takerBuyQuoteVolume())) {
        assertThat(Decimals.plain(v)).isEqualTo(expected);
        assertThat(v).isEqualByComparingTo(values[i]);
      }
    }
    assertThat(stored.get(values.length).close().toPlainString()).isEqualTo("7195.24");
    // and in the column itself, as any other client sees it
    Row tiny = await(pool.preparedQuery("SELECT price_open::text AS v FROM exchange.price_history p JOIN "
        + "exchange.token t ON t.id = p.token_id WHERE t.name = $1 AND p.date_open = $2")
        .execute(Tuple.of(symbol, UtcTime.of(T0)))).iterator().next();
    assertThat(tiny.getString("v")).isEqualTo("0.000000000000000001");
  }

  @Test
  void timestampsAreUtcWhateverTheJvmAndServerTimeZones(Vertx vertx) {
    String db = TestPostgres.newDatabase();
    TestPostgres.execute("postgres", "ALTER DATABASE " + db + " SET timezone TO 'America/St_Johns'");
    TimeZone jvmDefault = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    Pool other = PgPools.create(vertx, PgPools.fromUrl(
        "postgresql://postgres:postgres@127.0.0.1:" + TestPostgres.port() + "/" + db));
    try {
      await(Schema.migrate(other));
      CandleStore s = new CandleStore(other);
      // 02:30 on 2021-03-14 does not exist in New York (DST gap): a local-zone conversion would shift it
      long gap = Instant.parse("2021-03-14T02:30:00Z").toEpochMilli();
      long month = Instant.parse("2024-02-01T00:00:00Z").toEpochMilli();
      Candle m1 = TestCandles.candle(symbol, Interval.M1, gap, 1);
      Candle mo = TestCandles.candle(symbol, Interval.MO1, month, 2);
      await(s.upsert(List.of(m1, mo)));

      Row row = await(other.preparedQuery("SELECT current_setting('TimeZone') AS tz, "
          + "to_char(date_open, 'YYYY-MM-DD HH24:MI:SS.MS') AS o, to_char(date_close, 'YYYY-MM-DD HH24:MI:SS.MS') AS c "
          + "FROM exchange.price_history WHERE \"interval\" = $1").execute(Tuple.of("1m"))).iterator().next();
      assertThat(row.getString("tz")).isEqualTo("America/St_Johns");
      assertThat(row.getString("o")).isEqualTo("2021-03-14 02:30:00.000");
      assertThat(row.getString("c")).isEqualTo("2021-03-14 02:30:59.999");

      assertThat(await(s.query(symbol, Interval.M1, null, null, 5))).singleElement().satisfies(c -> {
        assertThat(c.openTime()).isEqualTo(gap);
        assertThat(c.closeTime()).isEqualTo(gap + 59_999);
      });
      assertThat(await(s.query(symbol, Interval.MO1, month, month, 5))).singleElement().satisfies(c -> {
        assertThat(c.openTime()).isEqualTo(month);
        assertThat(c.closeTime()).isEqualTo(Instant.parse("2024-02-29T23:59:59.999Z").toEpochMilli());
      });
      assertThat(await(s.latestOpenTime(symbol, Interval.M1))).contains(gap);
    } finally {
      TimeZone.setDefault(jvmDefault);
      await(other.close());
    }
  }

  @Test
  void queryFollowsBinanceWindowRules() {
    List<Candle> ten = TestCandles.series(symbol, T0, 10);
    await(store.upsert(ten));
    await(store.upsert(List.of(TestCandles.candle(symbol, Interval.M5, T0, 1),
        TestCandles.candle(symbol + "X", Interval.M1, T0 + 11 * 60_000L, 1))));

    assertThat(opens(null, null, 3)).as("newest, oldest first").containsExactly(7, 8, 9);
    assertThat(opens(null, null, 1000)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(opens(null, at(5), 3)).as("newest up to endTime").containsExactly(3, 4, 5);
    assertThat(opens(null, at(5) + 30_000, 3)).as("endTime inside a window").containsExactly(3, 4, 5);
    assertThat(opens(at(2), null, 3)).as("oldest from startTime").containsExactly(2, 3, 4);
    assertThat(opens(at(2) + 1, null, 3)).as("filters on open time").containsExactly(3, 4, 5);
    assertThat(opens(at(2), at(4), 100)).containsExactly(2, 3, 4);
    assertThat(opens(at(2), at(8), 2)).containsExactly(2, 3);
    assertThat(opens(at(5), at(4), 10)).isEmpty();
    assertThat(await(store.query("NOSUCHSYMBOL", Interval.M1, null, null, 10))).isEmpty();
    assertThat(failure(store.query(symbol, Interval.M1, null, null, 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
  }

  @Test
  void latestOpenTimePerSymbolAndInterval() {
    assertThat(await(store.latestOpenTime(symbol, Interval.M1))).isEmpty();
    await(store.upsert(TestCandles.series(symbol, T0, 5)));
    await(store.upsert(List.of(TestCandles.candle(symbol, Interval.H1, T0 + 3_600_000L * 7, 1))));

    assertThat(await(store.latestOpenTime(symbol, Interval.M1))).isEqualTo(Optional.of(at(4)));
    assertThat(await(store.latestOpenTime(symbol, Interval.H1))).contains(T0 + 3_600_000L * 7);
    assertThat(await(store.latestOpenTime(symbol, Interval.M5))).isEmpty();
  }

  @Test
  void emptyUpsertSucceedsWithoutTouchingTheDatabase(Vertx vertx) {
    Pool closed = PgPools.create(vertx, PgPools.fromUrl(url));
    await(closed.close());
    // any query on a closed pool fails, so success proves no query ran
    assertThat(await(new CandleStore(closed).upsert(List.of()))).isZero();
    assertThat(failure(new CandleStore(closed).ping())).isNotNull();
  }

  @Test
  void invalidCandleFailsTheCallAndStoresNothing() {
    Candle good = TestCandles.candle(symbol, Interval.M1, T0, 1);
    Candle noPrice = new Candle(symbol, Interval.M1, T0 + 60_000, T0 + 119_999, null, good.high(), good.low(),
        good.close(), good.volume(), good.quoteVolume(), good.takerBuyVolume(), good.takerBuyQuoteVolume(), 1, 1,
        1, true);

    assertThat(failure(store.upsert(List.of(good, noPrice)))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("#1").hasMessageContaining(symbol).hasMessageContaining("missing price");
    assertThat(failure(store.upsert(List.of(TestCandles.candle(symbol, Interval.M1, Long.MAX_VALUE / 2, 1)))))
        .hasMessageContaining("openTime");
    assertThat(rowCount(symbol)).isZero();
  }

  @Test
  void realBinanceDayInSmallParallelChunks(Vertx vertx) throws Exception {
    List<Candle> day = TestCandles.binanceDay();
    assertThat(day).hasSize(1440);
    CandleStore chunked = new CandleStore(pool, 97, 3);

    assertThat(await(chunked.upsert(day))).isEqualTo(1440);
    assertThat(await(chunked.upsert(day))).as("re-upsert of identical rows").isZero();

    List<Candle> stored = await(store.query("BTCUSDT", Interval.M1, null, null, 2000));
    assertThat(stored).hasSize(1440);
    for (int i = 0; i < day.size(); i++) {
      assertThat(stored.get(i).sameValues(day.get(i))).as("kline %d: %s", i, day.get(i).describe()).isTrue();
    }
  }

  @Test
  void newRowsAnotherWriterStoredFirstAreUpsertedNotRefused() {
    CandleStore a = new CandleStore(pool);
    CandleStore b = new CandleStore(pool);
    List<Candle> five = TestCandles.series(symbol, T0, 5);
    await(a.upsert(five.subList(0, 1)));
    await(b.upsert(five.subList(1, 3)));
    Candle changed = TestCandles.withClose(five.get(1), "77.7");

    // a has written nothing after minute 0, so it tries these as new rows first: minutes 1 and 2 exist
    assertThat(await(a.upsert(List.of(changed, five.get(2), five.get(3))))).isEqualTo(2);
    assertThat(await(a.upsert(List.of(TestCandles.withClose(five.get(3), "1"), five.get(4))))).isEqualTo(2);

    List<Candle> stored = await(store.query(symbol, Interval.M1, null, null, 10));
    assertThat(stored).hasSize(5);
    assertThat(stored.get(1).close()).isEqualByComparingTo("77.7");
    assertThat(stored.get(2).sameValues(five.get(2))).isTrue();
    assertThat(stored.get(3).close()).isEqualByComparingTo("1");
    assertThat(stored.get(4).sameValues(five.get(4))).isTrue();
  }

  @Test
  void concurrentOverlappingUpsertsDoNotDeadlock() {
    List<Candle> forward = TestCandles.series(symbol, T0, 3000);
    List<Candle> backward = new ArrayList<>();
    forward.forEach(c -> backward.add(TestCandles.withClose(c, "1.5")));
    Collections.reverse(backward);
    CandleStore a = new CandleStore(pool, 100, 2);
    CandleStore b = new CandleStore(pool, 100, 2);
    await(a.upsert(forward.subList(0, 1))); // token created once, so both start writing rows at once

    Future<Integer> first = a.upsert(forward);
    Future<Integer> second = b.upsert(backward);

    assertThat(await(Future.join(first, second)).succeeded()).isTrue();
    assertThat(rowCount(symbol)).isEqualTo(3000);
  }

  private List<Integer> opens(Long start, Long end, int limit) {
    List<Integer> out = new ArrayList<>();
    for (Candle c : await(store.query(symbol, Interval.M1, start, end, limit))) {
      out.add((int) ((c.openTime() - T0) / 60_000));
    }
    return out;
  }

  private static long at(int minute) {
    return T0 + minute * 60_000L;
  }

  private long rowCount(String name) {
    return await(pool.preparedQuery("SELECT count(*) FROM exchange.price_history p JOIN exchange.token t "
        + "ON t.id = p.token_id WHERE t.name = $1").execute(Tuple.of(name))).iterator().next().getLong(0);
  }
}
