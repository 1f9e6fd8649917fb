package io.candlebus.persistence;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Candles in {@code exchange.price_history}, over a Vert.x {@link Pool}. Callable from any thread; results are
 * futures.
 */
public final class CandleStore {
  /** Rows per upsert statement. */
  public static final int DEFAULT_CHUNK = 5_000;
  /** Statements of one upsert in flight at once, each on its own connection. */
  public static final int DEFAULT_PARALLELISM = 2;
  public static final int MAX_QUERY_LIMIT = 100_000;

  private static final Comparator<Key> KEY_ORDER = Comparator.comparing(Key::symbol)
      .thenComparing(Key::interval).thenComparingLong(Key::openTime);

  private final Pool pool;
  private final int chunkSize;
  private final int parallelism;
  private final Map<String, Integer> tokenIds = new ConcurrentHashMap<>();
  /** Per "SYMBOL interval": the newest open time this store has written; only a hint for the insert path. */
  private final Map<String, Long> newestWritten = new ConcurrentHashMap<>();

  public CandleStore(Pool pool) {
    this(pool, DEFAULT_CHUNK, DEFAULT_PARALLELISM);
  }

  public CandleStore(Pool pool, int chunkSize, int parallelism) {
    if (chunkSize < 1 || parallelism < 1) {
      throw new IllegalArgumentException("chunkSize and parallelism must be >= 1");
    }
    this.pool = pool;
    this.chunkSize = chunkSize;
    this.parallelism = parallelism;
  }

  /**
   * Stores closed candles: a new key inserts a row, a known key with other values updates it, an identical
   * candle changes nothing. Within {@code candles} the last candle of a key wins. The result is the number of
   * rows inserted or changed. Concurrent calls with overlapping keys may land in either order.
   */
  public Future<Integer> upsert(List<Candle> candles) {
    if (candles == null) {
      return Future.failedFuture(new IllegalArgumentException("null candle list"));
    }
    if (candles.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<Candle> rows;
    try {
      CandleCheck.requireValid(candles);
      rows = lastPerKeySorted(candles);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Set<String> symbols = new TreeSet<>();
    rows.forEach(c -> symbols.add(c.symbol()));
    return resolveTokens(symbols)
        .compose(v -> writeChunks(rows))
        .onFailure(this::forgetTokensIfStale);
  }

  /**
   * Stored candles of {@code symbol}/{@code interval}, oldest first, with Binance's window rules on the open
   * time: no bounds gives the newest {@code limit}; only {@code endTime} the newest up to it; a
   * {@code startTime} the oldest from it (up to {@code endTime} if given).
   */
  public Future<List<Candle>> query(String symbol, Interval interval, Long startTime, Long endTime, int limit) {
    if (symbol == null || interval == null) {
      return Future.failedFuture(new IllegalArgumentException("symbol and interval are required"));
    }
    if (limit < 1 || limit > MAX_QUERY_LIMIT) {
      return Future.failedFuture(new IllegalArgumentException(
          "limit " + limit + " out of range 1.." + MAX_QUERY_LIMIT));
    }
    Tuple args = Tuple.of(symbol, interval.code());
    String sql;
    if (startTime == null && endTime == null) {
      sql = Sql.CANDLES_LATEST;
    } else if (startTime == null) {
      sql = Sql.CANDLES_UNTIL;
      args.addValue(UtcTime.of(endTime));
    } else if (endTime == null) {
      sql = Sql.CANDLES_FROM;
      args.addValue(UtcTime.of(startTime));
    } else {
      sql = Sql.CANDLES_BETWEEN;
      args.addValue(UtcTime.of(startTime)).addValue(UtcTime.of(endTime));
    }
    args.addValue(limit);
    return pool.preparedQuery(sql).execute(args).map(rowSet -> {
      List<Candle> out = new ArrayList<>(rowSet.size());
      for (Row row : rowSet) {
        out.add(candle(symbol, interval, row));
      }
      return out;
    });
  }

  /** Open time of the newest stored candle of {@code symbol}/{@code interval}. */
  public Future<Optional<Long>> latestOpenTime(String symbol, Interval interval) {
    return pool.preparedQuery(Sql.LATEST_OPEN_TIME).execute(Tuple.of(symbol, interval.code()))
        .map(rows -> Optional.ofNullable(rows.iterator().next().getLocalDateTime(0)).map(UtcTime::millis));
  }

  /** Open time of the newest stored candle of {@code symbol}/{@code interval} that opened before {@code before}. */
  public Future<Optional<Long>> latestOpenTimeBefore(String symbol, Interval interval, long before) {
    return pool.preparedQuery(Sql.LATEST_OPEN_TIME_BEFORE)
        .execute(Tuple.of(symbol, interval.code(), UtcTime.of(before)))
        .map(rows -> Optional.ofNullable(rows.iterator().next().getLocalDateTime(0)).map(UtcTime::millis));
  }

  /** Succeeds once PostgreSQL answered a query. */
  public Future<Void> ping() {
    return pool.query(Sql.PING).execute().mapEmpty();
  }

  private static List<Candle> lastPerKeySorted(List<Candle> candles) {
    Map<Key, Candle> last = new LinkedHashMap<>();
    for (Candle c : candles) {
      last.put(new Key(c.symbol(), c.interval().code(), c.openTime()), c);
    }
    // one global order: concurrent upserts then lock rows in the same order and cannot deadlock
    List<Key> keys = new ArrayList<>(last.keySet());
    keys.sort(KEY_ORDER);
    List<Candle> rows = new ArrayList<>(keys.size());
    keys.forEach(k -> rows.add(last.get(k)));
    return rows;
  }

  private Future<Void> resolveTokens(Set<String> symbols) {
    String[] missing = symbols.stream().filter(s -> !tokenIds.containsKey(s)).toArray(String[]::new);
    if (missing.length == 0) {
      return Future.succeededFuture();
    }
    Tuple names = Tuple.tuple().addValue(missing);
    return pool.preparedQuery(Sql.INSERT_TOKENS).execute(names)
        .compose(v -> pool.preparedQuery(Sql.SELECT_TOKENS).execute(names))
        .compose(rows -> {
          for (Row row : rows) {
            tokenIds.put(row.getString("name"), row.getInteger("id"));
          }
          for (String s : missing) {
            if (!tokenIds.containsKey(s)) {
              return Future.failedFuture(new IllegalStateException("token " + s + " was not created"));
            }
          }
          return Future.succeededFuture();
        });
  }

  /** A token row deleted behind our back fails the foreign key; look the ids up again next time. */
  private void forgetTokensIfStale(Throwable err) {
    if (err instanceof PgException pg && "23503".equals(pg.getSqlState())) {
      tokenIds.clear();
    }
  }

  private Future<Integer> writeChunks(List<Candle> rows) {
    List<List<Candle>> chunks = new ArrayList<>();
    for (int i = 0; i < rows.size(); i += chunkSize) {
      chunks.add(rows.subList(i, Math.min(rows.size(), i + chunkSize)));
    }
    // keys are distinct across chunks, so the chunks may be written in any order and at the same time
    AtomicInteger next = new AtomicInteger();
    AtomicLong written = new AtomicLong();
    AtomicBoolean failed = new AtomicBoolean();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < Math.min(parallelism, chunks.size()); i++) {
      lanes.add(lane(chunks, next, written, failed));
    }
    // join, not all: a failure is reported only once no statement of this call is still running
    return Future.join(lanes).map(v -> (int) written.get());
  }

  private Future<Void> lane(List<List<Candle>> chunks, AtomicInteger next, AtomicLong written, AtomicBoolean failed) {
    int i = next.getAndIncrement();
    if (i >= chunks.size() || failed.get()) {
      return Future.succeededFuture();
    }
    return writeChunk(chunks.get(i))
        .onFailure(e -> failed.set(true))
        .compose(n -> {
          written.addAndGet(n);
          return lane(chunks, next, written, failed);
        });
  }

  /**
   * Rows newer than any this store has written for their series (the live path) are tried as a plain insert
   * first; if one exists after all (another writer), that insert fails as a whole and the upsert runs instead.
   */
  private Future<Integer> writeChunk(List<Candle> chunk) {
    Tuple columns = columns(chunk);
    Future<Integer> written;
    if (allNewerThanWritten(chunk)) {
      written = execute(Sql.INSERT_CANDLES, columns).recover(err -> isUniqueViolation(err)
          ? execute(Sql.UPSERT_CANDLES, columns).compose(n -> learnStoredNewest(chunk).map(n))
          : Future.failedFuture(err));
    } else {
      written = execute(Sql.UPSERT_CANDLES, columns);
    }
    return written.onSuccess(n -> rememberNewest(chunk));
  }

  /** Rows come sorted by series then open time, so the last row of each run is that series' newest. */
  private void rememberNewest(List<Candle> chunk) {
    for (int i = 0; i < chunk.size(); i++) {
      Candle c = chunk.get(i);
      if (i + 1 == chunk.size() || !sameSeries(c, chunk.get(i + 1))) {
        newestWritten.merge(series(c), c.openTime(), Math::max);
      }
    }
  }

  /** After a surprise conflict: what is really stored, so the next chunks do not run into it again. */
  private Future<Void> learnStoredNewest(List<Candle> chunk) {
    Map<String, Candle> seriesOf = new LinkedHashMap<>();
    chunk.forEach(c -> seriesOf.putIfAbsent(series(c), c));
    List<Future<Optional<Long>>> lookups = new ArrayList<>();
    seriesOf.forEach((key, c) -> lookups.add(latestOpenTime(c.symbol(), c.interval())
        .onSuccess(t -> t.ifPresent(ms -> newestWritten.merge(key, ms, Math::max)))));
    return Future.join(lookups).<Void>mapEmpty().otherwiseEmpty(); // only a hint: never fails the write
  }

  private Future<Integer> execute(String sql, Tuple columns) {
    return pool.preparedQuery(sql).execute(columns).map(SqlResult::rowCount);
  }

  /** The first row of each run is that series' oldest in the chunk. */
  private boolean allNewerThanWritten(List<Candle> chunk) {
    for (int i = 0; i < chunk.size(); i++) {
      Candle c = chunk.get(i);
      if (i == 0 || !sameSeries(c, chunk.get(i - 1))) {
        Long newest = newestWritten.get(series(c));
        if (newest == null || c.openTime() <= newest) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean sameSeries(Candle a, Candle b) {
    return a.interval() == b.interval() && a.symbol().equals(b.symbol());
  }

  private static String series(Candle c) {
    return c.symbol() + ' ' + c.interval().code();
  }

  private static boolean isUniqueViolation(Throwable err) {
    return err instanceof PgException pg && "23505".equals(pg.getSqlState());
  }

  private Tuple columns(List<Candle> chunk) {
    int n = chunk.size();
    Integer[] token = new Integer[n];
    String[] interval = new String[n];
    LocalDateTime[] open = new LocalDateTime[n];
    LocalDateTime[] close = new LocalDateTime[n];
    BigDecimal[][] dec = new BigDecimal[8][n];
    Long[] trades = new Long[n];
    for (int i = 0; i < n; i++) {
      Candle c = chunk.get(i);
      token[i] = tokenIds.get(c.symbol());
      interval[i] = c.interval().code();
      open[i] = UtcTime.of(c.openTime());
      close[i] = UtcTime.of(c.closeTime());
      dec[0][i] = exact(c.open());
      dec[1][i] = exact(c.close());
      dec[2][i] = exact(c.high());
      dec[3][i] = exact(c.low());
      dec[4][i] = exact(c.volume());
      dec[5][i] = exact(c.quoteVolume());
      dec[6][i] = exact(c.takerBuyVolume());
      dec[7][i] = exact(c.takerBuyQuoteVolume());
      trades[i] = c.trades();
    }
    Tuple t = Tuple.tuple().addValue(token).addValue(interval).addValue(open).addValue(close);
    for (BigDecimal[] column : dec) {
      t.addValue(column);
    }
    return t.addValue(trades);
  }

  /** Same value, no trailing zeros: 0.10000000 is stored as 0.1. */
  private static BigDecimal exact(BigDecimal v) {
    return v.signum() == 0 ? BigDecimal.ZERO : v.stripTrailingZeros();
  }

  private static Candle candle(String symbol, Interval interval, Row r) {
    return new Candle(symbol, interval,
        UtcTime.millis(r.getLocalDateTime("date_open")),
        UtcTime.millis(r.getLocalDateTime("date_close")),
        r.getBigDecimal("price_open"),
        r.getBigDecimal("price_high"),
        r.getBigDecimal("price_low"),
        r.getBigDecimal("price_close"),
        r.getBigDecimal("volume"),
        r.getBigDecimal("quote_volume"),
        r.getBigDecimal("taker_buy_volume"),
        r.getBigDecimal("taker_buy_quote_volume"),
        r.getLong("num_trades"),
        Candle.NO_ID,
        Candle.NO_ID,
        true);
  }

  private record Key(String symbol, String interval, long openTime) {}
}
