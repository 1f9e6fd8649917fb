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
    AsyncJournal journal = journal(vertx);
    CandleWriter writer = onContext(ctx, () -> new CandleWriter(vertx, recordingStore(), settings,
        new PersistenceMetrics(meters, () -> 0), journal));
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
    AsyncJournal journal = journal(vertx);
    CandleWriter writer = onContext(ctx, () -> new CandleWriter(vertx, recordingStore(),
        new CandleWriter.Settings(500, 10, 1_000, 200_000, 20, 100), new PersistenceMetrics(meters, () -> 0),
        journal));
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

  @Test
  void beyondTheQueueBoundCandlesWaitInTheJournalAndAreWrittenOnceInOrder(Vertx vertx) throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Context ctx = vertx.getOrCreateContext();
    AsyncJournal journal = journal(vertx);
    List<List<Candle>> stored = new CopyOnWriteArrayList<>();
    closeDatabase();
    CandleWriter writer = onContext(ctx, () -> new CandleWriter(vertx, b -> store.upsert(b).onSuccess(n -> stored.add(b)),
        new CandleWriter.Settings(500, 10, 4, 3, 20, 100), new PersistenceMetrics(meters, () -> 0), journal));
    List<Candle> candles = new ArrayList<>(TestCandles.series("BTCUSDT", T0, 8));
    candles.add(TestCandles.withClose(candles.get(6), "7.77")); // corrects a journaled window
    candles.add(TestCandles.withClose(candles.get(0), "1.11")); // corrects a window waiting in memory

    onContext(ctx, () -> offer(writer, candles));
    Await.until(vertx, Duration.ofSeconds(30), "7 candles are in the journal and writes fail",
        () -> Future.succeededFuture(journal.size() == 7 && meters.counter("candlebus.store.failures").count() >= 1));
    assertThat(meters.counter("candlebus.candles.journaled").count()).isEqualTo(7);
    assertThat(segmentFiles()).isNotEmpty();
    TestPostgres.execute("postgres", "ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");
    onContext(ctx, () -> {
      writer.retryNow();
      return null;
    });

    Await.until(vertx, Duration.ofSeconds(30), "all 10 are stored and the journal is empty",
        () -> Future.succeededFuture(meters.counter("candlebus.candles.stored").count() == 10 && journal.size() == 0));
    List<Candle> written = new ArrayList<>();
    stored.forEach(written::addAll);
    assertThat(written).as("each written once, in arrival order").isEqualTo(candles);
    List<Candle> rows = await(store.query("BTCUSDT", Interval.M1, null, null, 100));
    assertThat(rows).hasSize(8);
    assertThat(rows.get(0).close()).isEqualByComparingTo("1.11");
    assertThat(rows.get(6).close()).isEqualByComparingTo("7.77");
    assertThat(segmentFiles()).as("replayed segments are deleted").isEmpty();
    assertThat(await(onContextFuture(ctx, () -> Future.succeededFuture(writer.pending())))).isZero();
    assertThat(meters.counter("candlebus.candles.dropped").count()).isZero();
  }

  @Test
  void aStopDuringAnOutagePutsMemoryInFrontOfTheJournalForTheNextRun(Vertx vertx) throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Context ctx = vertx.getOrCreateContext();
    AsyncJournal journal = journal(vertx);
    closeDatabase();
    CandleWriter.Settings settings = new CandleWriter.Settings(500, 10, 1_000, 3, 20, 100);
    CandleWriter writer = onContext(ctx, () -> new CandleWriter(vertx, store::upsert, settings,
        new PersistenceMetrics(meters, () -> 0), journal));
    List<Candle> candles = TestCandles.series("ETHUSDT", T0, 6);
    onContext(ctx, () -> offer(writer, candles));
    Await.until(vertx, Duration.ofSeconds(30), "3 in the journal and writes fail",
        () -> Future.succeededFuture(journal.size() == 3 && meters.counter("candlebus.store.failures").count() >= 1));

    await(onContextFuture(ctx, () -> writer.drain(20_000)));
    assertThat(journal.size()).as("memory went to the journal too").isEqualTo(6);
    assertThat(meters.counter("candlebus.candles.dropped").count()).isZero();
    await(journal.close());

    // the next run: same directory, PostgreSQL back
    TestPostgres.execute("postgres", "ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");
    AsyncJournal reopened = journal(vertx);
    List<List<Candle>> stored = new CopyOnWriteArrayList<>();
    SimpleMeterRegistry meters2 = new SimpleMeterRegistry();
    onContext(ctx, () -> new CandleWriter(vertx, b -> store.upsert(b).onSuccess(n -> stored.add(b)), settings,
        new PersistenceMetrics(meters2, () -> 0), reopened));
    Await.until(vertx, Duration.ofSeconds(30), "the journal is replayed",
        () -> Future.succeededFuture(meters2.counter("candlebus.candles.stored").count() == 6 && reopened.size() == 0));
    List<Candle> written = new ArrayList<>();
    stored.forEach(written::addAll);
    assertThat(written).isEqualTo(candles);
    assertThat(segmentFiles()).isEmpty();
  }

  private void closeDatabase() {
    TestPostgres.execute("postgres", "ALTER DATABASE " + db + " ALLOW_CONNECTIONS false");
    TestPostgres.execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
        + db + "'");
  }

  private List<Path> segmentFiles() throws java.io.IOException {
    try (var s = java.nio.file.Files.list(dir.resolve("journal"))) {
      return s.filter(p -> p.toString().endsWith(CandleJournal.SUFFIX)).toList();
    }
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
