package io.candlebus.persistence;

import io.candlebus.testing.Await;
import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.candlebus.testing.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The write queue against a real database: the writes it issues are recorded on their way to the store. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class CandleWriterTest {
  private static final long T0 = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();

  @TempDir
  Path dir;
  private String db;
  private Pool pool;
  private CandleStore store;
  private final List<List<Candle>> writes = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  @BeforeEach
  void database(Vertx vertx) {
    db = TestPostgres.newDatabase();
    pool = PgPools.create(vertx, PgPools.fromUrl(
        "postgresql://postgres:postgres@127.0.0.1:" + TestPostgres.port() + "/" + db));
    await(Schema.migrate(pool));
    store = new CandleStore(pool);
  }

  @AfterEach
  void reopen() {
    TestPostgres.execute("postgres", "ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");
  }

  /** The real store, with every write it receives recorded. */
  private Function<List<Candle>, Future<Integer>> recordingStore() {
    return batch -> {
      writes.add(List.copyOf(batch));
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      return store.upsert(batch).onComplete(ar -> inFlight.decrementAndGet());
    };
  }

  @Test
  void oneWriteAtATimeInArrivalOrderAndInBatches(Vertx vertx) {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    CandleWriter.Settings settings = new CandleWriter.Settings(500, 50, 1_000, 200_000, 20, 200);
    Context ctx = vertx.getOrCreateContext();
    CandleWriter writer = onContext(ctx, () -> new CandleWriter(vertx, recordingStore(), settings,
        new PersistenceMetrics(meters, () -> 0), journal(vertx)));
    List<Candle> candles = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      candles.add(TestCandles.candle("BTCUSDT", Interval.M1, T0 + i * 60_000L, i % 7));
    }

    // offered in slices from the context, as consumer messages would arrive, so writes overlap new arrivals
    for (int i = 0; i < candles.size(); i += 250) {
      List<Candle> slice = candles.subList(i, i + 250);
      onContext(ctx, () -> offer(writer, slice));
    }

    Await.until(vertx, Duration.ofSeconds(30), "all candles are stored",
        () -> Future.succeededFuture(meters.counter("candlebus.candles.stored").count() == 5_000));
    assertThat(maxInFlight.get()).isEqualTo(1);
    List<Candle> written = new ArrayList<>();
    writes.forEach(written::addAll);
    assertThat(written).as("each candle written once, in arrival order").isEqualTo(candles);
    assertThat(writes).allSatisfy(w -> assertThat(w).hasSizeLessThanOrEqualTo(1_000));
    assertThat(writes.size()).as("batched, not one write per candle").isLessThan(50);
    assertThat(await(store.query("BTCUSDT", Interval.M1, null, null, 10_000))).hasSize(5_000);
  }

  @Test
  void aFailedBatchIsRetriedWholeBeforeAnythingNewer(Vertx vertx) {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Context ctx = vertx.getOrCreateContext();
    CandleWriter writer = onContext(ctx, () -> new CandleWriter(vertx, recordingStore(),
        new CandleWriter.Settings(500, 10, 1_000, 200_000, 20, 100), new PersistenceMetrics(meters, () -> 0),
        journal(vertx)));
    List<Candle> first = TestCandles.series("ETHUSDT", T0, 3);
    List<Candle> later = TestCandles.series("ETHUSDT", T0 + 3 * 60_000L, 4);
    TestPostgres.execute("postgres", "ALTER DATABASE " + db + " ALLOW_CONNECTIONS false");
    TestPostgres.execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
        + db + "'");

    onContext(ctx, () -> offer(writer, first));
    Await.until(vertx, Duration.ofSeconds(30), "the first batch failed twice",
        () -> Future.succeededFuture(meters.counter("candlebus.store.failures").count() >= 2));
    onContext(ctx, () -> offer(writer, later));
    TestPostgres.execute("postgres", "ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");

    Await.until(vertx, Duration.ofSeconds(30), "all 7 are stored",
        () -> Future.succeededFuture(meters.counter("candlebus.candles.stored").count() == 7));
    int failures = (int) meters.counter("candlebus.store.failures").count();
    assertThat(writes.subList(0, failures + 1)).as("the same batch until it succeeded").containsOnly(first);
    assertThat(writes.subList(failures + 1, writes.size())).containsExactly(later);
    assertThat(await(onContextFuture(ctx, () -> Future.succeededFuture(writer.pending())))).isZero();
  }

  private AsyncJournal journal(Vertx vertx) {
    return await(AsyncJournal.open(vertx, dir.resolve("journal")));
  }

  private static int offer(CandleWriter writer, List<Candle> candles) {
    candles.forEach(writer::offer);
    return candles.size();
  }

  private static <T> T onContext(Context ctx, Callable<T> action) {
    return await(onContextFuture(ctx, () -> {
      try {
        return Future.succeededFuture(action.call());
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }));
  }

  private static <T> Future<T> onContextFuture(Context ctx, Supplier<Future<T>> action) {
    Promise<T> p = Promise.promise();
    ctx.runOnContext(v -> action.get().onComplete(p));
    return p.future();
  }
}
