package io.candlebus.persistence;

import io.candlebus.testing.Await;
import static io.candlebus.testing.Await.await;
import static io.candlebus.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Addresses;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.config.ConfigLoader;
import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.candlebus.testing.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(90)
class PersistenceVerticleTest {
  private static final long T0 = Instant.parse("2025-06-01T00:00:00Z").toEpochMilli();
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir
  Path dataDir;
  private String db;
  private String url;
  private Pool direct;

  @BeforeEach
  void database(Vertx vertx) {
    db = TestPostgres.newDatabase();
    url = "postgresql://postgres:postgres@127.0.0.1:" + TestPostgres.port() + "/" + db;
    direct = PgPools.create(vertx, PgPools.fromUrl(url));
  }

  @AfterEach
  void reopen() {
    TestPostgres.execute("postgres", "ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");
  }

  @Test
  void closedCandlesAreStoredInArrivalOrder(Vertx vertx) {
    MeterRegistry meters = new SimpleMeterRegistry();
    deploy(vertx, url, meters, CandleWriter.Settings.DEFAULTS);
    List<Candle> candles = TestCandles.series("BTCUSDT", T0, 1200);
    Candle correction = TestCandles.withClose(candles.get(5), "42.42"); // arrives after a batch held the original

    candles.forEach(c -> vertx.eventBus().send(Addresses.CANDLES_CLOSED, c, LOCAL));
    vertx.eventBus().send(Addresses.CANDLES_CLOSED, correction, LOCAL);

    Await.until(vertx, DEADLINE, "1201 candles are stored",
        () -> Future.succeededFuture(meters.counter("candlebus.candles.stored").count() == 1201));
    JsonArray stored = await(query(vertx, new JsonObject().put("limit", 2000)));
    assertThat(stored).hasSize(1200);
    assertThat(stored.getJsonObject(5).getString("close")).isEqualTo("42.42");
    assertThat(stored.getJsonObject(1199).getLong("openTime")).isEqualTo(candles.get(1199).openTime());
    assertThat(meters.get("candlebus.candles.pending").gauge().value()).isZero();
    assertThat(meters.counter("candlebus.store.failures").count()).isZero();
  }

  @Test
  void upsertRepliesWithTheRowsWrittenOnceStored(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, url, new SimpleMeterRegistry(), CandleWriter.Settings.DEFAULTS);
    CandleBatch batch = new CandleBatch(TestCandles.series("ETHUSDT", T0, 3));
    Checkpoint replies = ctx.checkpoint(2);

    vertx.eventBus().<Integer>request(Addresses.DB_CANDLES_UPSERT, batch, LOCAL)
        .compose(first -> {
          ctx.verify(() -> assertThat(first.body()).isEqualTo(3));
          return new CandleStore(direct).query("ETHUSDT", Interval.M1, null, null, 10);
        })
        .compose(rows -> {
          ctx.verify(() -> assertThat(rows).as("stored before the reply").hasSize(3));
          replies.flag();
          return vertx.eventBus().<Integer>request(Addresses.DB_CANDLES_UPSERT, batch, LOCAL);
        })
        .onComplete(ctx.succeeding(again -> ctx.verify(() -> {
          assertThat(again.body()).as("identical rows: nothing written").isZero();
          replies.flag();
        })));
  }

  @Test
  void badUpsertsAreRefusedWith400(Vertx vertx) {
    deploy(vertx, url, new SimpleMeterRegistry(), CandleWriter.Settings.DEFAULTS);
    Candle good = TestCandles.candle("BTCUSDT", Interval.M1, T0, 1);
    Candle bad = new Candle("BTCUSDT", Interval.M1, T0 + 60_000, T0 + 119_999, good.open(), good.high(), good.low(),
        null, good.volume(), good.quoteVolume(), good.takerBuyVolume(), good.takerBuyQuoteVolume(), 1, -1, -1, true);

    assertThat(replyFailure(vertx.eventBus().request(Addresses.DB_CANDLES_UPSERT,
        new CandleBatch(List.of(good, bad)), LOCAL)))
        .satisfies(e -> assertThat(e.failureCode()).isEqualTo(PersistenceVerticle.BAD_REQUEST))
        .hasMessageContaining("missing price");
    assertThat(replyFailure(vertx.eventBus().request(Addresses.DB_CANDLES_UPSERT, "not a batch")).failureCode())
        .isEqualTo(PersistenceVerticle.BAD_REQUEST);
    assertThat(await(query(vertx, new JsonObject()))).as("nothing of the refused batch").isEmpty();
  }

  @Test
  void queryLatestAndPingAnswer(Vertx vertx) {
    deploy(vertx, url, new SimpleMeterRegistry(), CandleWriter.Settings.DEFAULTS);
    await(vertx.eventBus().request(Addresses.DB_CANDLES_UPSERT,
        new CandleBatch(TestCandles.series("BTCUSDT", T0, 10)), LOCAL));

    JsonArray window = await(query(vertx, new JsonObject().put("startTime", T0 + 120_000).put("limit", 3)));
    assertThat(window).hasSize(3);
    JsonObject c = window.getJsonObject(0);
    assertThat(c.getLong("openTime")).isEqualTo(T0 + 120_000);
    assertThat(c.getLong("closeTime")).isEqualTo(T0 + 179_999);
    assertThat(c.getString("symbol")).isEqualTo("BTCUSDT");
    assertThat(c.getString("interval")).isEqualTo("1m");
    assertThat(c.getString("open")).isEqualTo("100.52");
    assertThat(c.getBoolean("closed")).isTrue();
    assertThat(await(query(vertx, new JsonObject().put("endTime", T0 + 60_000).put("limit", 5)))).hasSize(2);
    assertThat(await(query(vertx, new JsonObject()))).as("default limit").hasSize(10);

    assertThat(latest(vertx, "BTCUSDT", "1m")).isEqualTo(new JsonObject().put("openTime", T0 + 9 * 60_000));
    assertThat(latest(vertx, "BTCUSDT", "5m")).isEqualTo(new JsonObject());
    assertThat(await(vertx.eventBus().<JsonObject>request(Addresses.DB_PING, null)).body()).isEqualTo(new JsonObject());

    ReplyException badInterval = replyFailure(vertx.eventBus().request(Addresses.DB_CANDLES_QUERY,
        new JsonObject().put("symbol", "BTCUSDT").put("interval", "2m")));
    assertThat(badInterval.failureCode()).isEqualTo(PersistenceVerticle.BAD_REQUEST);
    assertThat(badInterval).hasMessageContaining("interval");
    assertThat(replyFailure(query(vertx, new JsonObject().put("limit", 0))).getMessage()).contains("limit");
    assertThat(replyFailure(query(vertx, new JsonObject().put("startTime", "yesterday"))).getMessage())
        .contains("startTime");
    assertThat(replyFailure(vertx.eventBus().request(Addresses.DB_CANDLES_LATEST, new JsonObject())).failureCode())
        .isEqualTo(PersistenceVerticle.BAD_REQUEST);
  }

  @Test
  void theFirstAdminIsCreatedOnlyWhileThereIsNoUser(Vertx vertx) {
    deploy(vertx, url, new SimpleMeterRegistry(), CandleWriter.Settings.DEFAULTS);
    assertThat(any(vertx)).as("a new database has no user").isFalse();
    assertThat(await(vertx.eventBus().<JsonObject>request(Addresses.DB_USER_ADMIN,
        new JsonObject().put("passwordHash", "h1"))).body().getBoolean("created")).isTrue();
    assertThat(any(vertx)).isTrue();
    assertThat(await(vertx.eventBus().<JsonObject>request(Addresses.DB_USER_ADMIN,
        new JsonObject().put("passwordHash", "h2"))).body().getBoolean("created")).as("once only").isFalse();
  }

  private static boolean any(Vertx vertx) {
    return await(vertx.eventBus().<JsonObject>request(Addresses.DB_USER_ANY, new JsonObject())).body()
        .getBoolean("any");
  }

  @Test
  void aSecondNodeMigratingTheSameDatabaseIsHarmless(Vertx vertx) {
    deploy(vertx, url, new SimpleMeterRegistry(), CandleWriter.Settings.DEFAULTS);
    String second = deploy(vertx, url, new SimpleMeterRegistry(), CandleWriter.Settings.DEFAULTS);
    await(vertx.undeploy(second));

    assertThat(await(direct.query("SELECT count(*) FROM exchange.schema_version").execute()).iterator().next()
        .getLong(0)).as("each migration recorded once").isEqualTo(Schema.MIGRATIONS.size());
    assertThat(await(vertx.eventBus().request(Addresses.DB_PING, null)).body()).isEqualTo(new JsonObject());
  }

  @Test
  void candlesWaitOutAnOutageAndBeyondTheQueueBoundInTheJournal(Vertx vertx) {
    MeterRegistry meters = new SimpleMeterRegistry();
    deploy(vertx, url, meters, new CandleWriter.Settings(500, 10, 5_000, 5, 20, 200));
    TestPostgres.execute("postgres", "ALTER DATABASE " + db + " ALLOW_CONNECTIONS false");
    TestPostgres.execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
        + db + "'");
    List<Candle> candles = TestCandles.series("BTCUSDT", T0, 8);

    candles.forEach(c -> vertx.eventBus().send(Addresses.CANDLES_CLOSED, c, LOCAL));

    Await.until(vertx, DEADLINE, "writes fail twice and 3 candles are in the journal",
        () -> Future.succeededFuture(meters.counter("candlebus.store.failures").count() >= 2
            && meters.get("candlebus.journal.candles").gauge().value() == 3));
    ReplyException down = replyFailure(vertx.eventBus().request(Addresses.DB_PING, null));
    assertThat(down.failureCode()).isEqualTo(PersistenceVerticle.UNAVAILABLE);
    assertThat(down).hasMessageContaining("PostgreSQL unreachable since")
        .hasMessageContaining("8 candles waiting (3 in the journal)");
    assertThat(replyFailure(query(vertx, new JsonObject())).failureCode()).isEqualTo(PersistenceVerticle.UNAVAILABLE);
    assertThat(meters.counter("candlebus.candles.journaled").count()).isEqualTo(3);
    assertThat(meters.counter("candlebus.candles.dropped").count()).isZero();
    assertThat(meters.get("candlebus.candles.pending").gauge().value()).isEqualTo(8);

    TestPostgres.execute("postgres", "ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");
    Await.until(vertx, DEADLINE, "all 8 candles are stored and the journal is empty",
        () -> Future.succeededFuture(meters.counter("candlebus.candles.stored").count() == 8
            && meters.get("candlebus.journal.candles").gauge().value() == 0));
    List<Candle> stored = await(new CandleStore(direct).query("BTCUSDT", Interval.M1, null, null, 100));
    assertThat(stored).extracting(Candle::openTime)
        .containsExactly(candles.stream().map(Candle::openTime).toArray(Long[]::new));
    Await.until(vertx, DEADLINE, "ping answers again",
        () -> vertx.eventBus().request(Addresses.DB_PING, null).map(m -> true).otherwise(false));
  }

  @Test
  void aCandlePostgresRefusesIsIsolatedAndTheRestStored(Vertx vertx) {
    MeterRegistry meters = new SimpleMeterRegistry();
    deploy(vertx, url, meters, CandleWriter.Settings.DEFAULTS);
    List<Candle> candles = new ArrayList<>(TestCandles.series("BTCUSDT", T0, 6));
    // valid in Java, too large for PostgreSQL's numeric (more than 131072 digits before the point)
    candles.set(3, TestCandles.withVolume(candles.get(3), new BigDecimal("1E+200000")));
    Candle noTime = new Candle("BTCUSDT", Interval.M1, -5, 10, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE,
        BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, 1, 1, 1, true);
    candles.add(noTime);

    candles.forEach(c -> vertx.eventBus().send(Addresses.CANDLES_CLOSED, c, LOCAL));

    Await.until(vertx, DEADLINE, "5 stored, 2 rejected", () -> Future.succeededFuture(
        meters.counter("candlebus.candles.stored").count() == 5
            && meters.counter("candlebus.candles.rejected").count() == 2));
    assertThat(await(new CandleStore(direct).query("BTCUSDT", Interval.M1, null, null, 100)))
        .extracting(Candle::openTime).doesNotContain(candles.get(3).openTime(), -5L).hasSize(5);
    assertThat(meters.get("candlebus.candles.pending").gauge().value()).isZero();
  }

  @Test
  void stopStoresWhatIsStillPending(Vertx vertx) {
    MeterRegistry meters = new SimpleMeterRegistry();
    String id = deploy(vertx, url, meters, new CandleWriter.Settings(10_000, 600_000, 5_000, 200_000, 20, 200));
    TestCandles.series("SOLUSDT", T0, 10).forEach(c -> vertx.eventBus().send(Addresses.CANDLES_CLOSED, c, LOCAL));
    Await.until(vertx, DEADLINE, "10 candles are pending",
        () -> Future.succeededFuture(meters.get("candlebus.candles.pending").gauge().value() == 10));
    assertThat(meters.counter("candlebus.candles.stored").count()).as("held back by the long delay").isZero();

    await(vertx.undeploy(id));

    assertThat(await(new CandleStore(direct).query("SOLUSDT", Interval.M1, null, null, 100))).hasSize(10);
  }

  @Test
  void metricsHaveTheirPrometheusNames(Vertx vertx) {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    deploy(vertx, url, prometheus, CandleWriter.Settings.DEFAULTS);
    await(vertx.eventBus().request(Addresses.DB_CANDLES_UPSERT,
        new CandleBatch(TestCandles.series("BTCUSDT", T0, 2)), LOCAL));

    String scrape = prometheus.scrape();
    assertThat(scrape).contains("candlebus_candles_stored_total 2.0", "candlebus_store_failures_total 0.0",
        "candlebus_candles_pending 0.0");
  }

  @Test
  void withoutAUrlItRunsAndStopsItsEmbeddedServer(Vertx vertx, @TempDir Path dataDir) {
    String id = deploy(vertx, null, new SimpleMeterRegistry(), CandleWriter.Settings.DEFAULTS, dataDir);
    assertThat(await(vertx.eventBus().<Integer>request(Addresses.DB_CANDLES_UPSERT,
        new CandleBatch(TestCandles.series("BTCUSDT", T0, 4)), LOCAL)).body()).isEqualTo(4);
    assertThat(dataDir.resolve("pg/postmaster.pid")).exists();

    await(vertx.undeploy(id));

    assertThat(dataDir.resolve("pg/postmaster.pid")).as("server stopped").doesNotExist();
  }

  @Test
  void itStartsWithoutPostgresJournalsAndCatchesUpWhenItAnswers(Vertx vertx) {
    TestPostgres.execute("postgres", "ALTER DATABASE " + db + " ALLOW_CONNECTIONS false");
    MeterRegistry meters = new SimpleMeterRegistry();
    deploy(vertx, url, meters, new CandleWriter.Settings(500, 10, 5_000, 2, 20, 200));
    List<Candle> candles = TestCandles.series("ETHUSDT", T0, 6);

    candles.forEach(c -> vertx.eventBus().send(Addresses.CANDLES_CLOSED, c, LOCAL));
    Await.until(vertx, DEADLINE, "4 candles are in the journal",
        () -> Future.succeededFuture(meters.get("candlebus.journal.candles").gauge().value() == 4));
    ReplyException down = replyFailure(vertx.eventBus().request(Addresses.DB_PING, null));
    assertThat(down.failureCode()).isEqualTo(PersistenceVerticle.UNAVAILABLE);
    assertThat(down).hasMessageContaining("PostgreSQL unreachable since");
    assertThat(replyFailure(vertx.eventBus().request(Addresses.DB_USER_FIND,
        new JsonObject().put("username", "admin"))).failureCode()).isEqualTo(PersistenceVerticle.UNAVAILABLE);

    TestPostgres.execute("postgres", "ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");
    Await.until(vertx, DEADLINE, "migrated, and all 6 stored",
        () -> Future.succeededFuture(meters.counter("candlebus.candles.stored").count() == 6));
    assertThat(await(new CandleStore(direct).query("ETHUSDT", Interval.M1, null, null, 100)))
        .extracting(Candle::openTime).containsExactly(candles.stream().map(Candle::openTime).toArray(Long[]::new));
    assertThat(await(vertx.eventBus().request(Addresses.DB_PING, null)).body()).isEqualTo(new JsonObject());
  }

  @Test
  void anUnreachableUrlIsReportedWithoutItsPassword(Vertx vertx) throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    MeterRegistry meters = new SimpleMeterRegistry();
    String id = deploy(vertx, "postgresql://postgres:secret@127.0.0.1:" + closedPort + "/nowhere", meters,
        CandleWriter.Settings.DEFAULTS);

    ReplyException down = replyFailure(vertx.eventBus().request(Addresses.DB_PING, null));
    assertThat(down.failureCode()).isEqualTo(PersistenceVerticle.UNAVAILABLE);
    assertThat(down).hasMessageContaining("Connection refused").hasMessageNotContaining("secret");
    await(vertx.undeploy(id));
    assertThat(meters.find("candlebus.candles.pending").gauge()).as("nothing left registered").isNull();
  }

  private String deploy(Vertx vertx, String pgUrl, MeterRegistry meters, CandleWriter.Settings settings) {
    return deploy(vertx, pgUrl, meters, settings, dataDir);
  }

  private String deploy(Vertx vertx, String pgUrl, MeterRegistry meters, CandleWriter.Settings settings,
      Path dataDir) {
    JsonObject json = ConfigLoader.builtInDefaults().put("data.dir", dataDir.toString());
    if (pgUrl != null) {
      json.put("pg.url", pgUrl);
    }
    CandlebusConfig config = ConfigLoader.fromJson(json, "test", Map.of());
    return await(vertx.deployVerticle(new PersistenceVerticle(config, meters, settings)));
  }

  private static Future<JsonArray> query(Vertx vertx, JsonObject extra) {
    JsonObject q = new JsonObject().put("symbol", "BTCUSDT").put("interval", "1m").mergeIn(extra);
    return vertx.eventBus().<JsonArray>request(Addresses.DB_CANDLES_QUERY, q).map(Message::body);
  }

  private static JsonObject latest(Vertx vertx, String symbol, String interval) {
    return await(vertx.eventBus().<JsonObject>request(Addresses.DB_CANDLES_LATEST,
        new JsonObject().put("symbol", symbol).put("interval", interval))).body();
  }

  private static ReplyException replyFailure(Future<?> f) {
    Throwable t = failure(f);
    assertThat(t).isInstanceOf(ReplyException.class);
    return (ReplyException) t;
  }
}
