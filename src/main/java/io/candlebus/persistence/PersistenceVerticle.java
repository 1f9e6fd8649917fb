package io.candlebus.persistence;

import io.candlebus.Addresses;
import io.candlebus.LocalCodec;
import io.candlebus.MarketJson;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.domain.Candle;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns PostgreSQL for a node: starts the embedded server when no URL is configured, migrates the schema, stores
 * closed candles from {@code candles.closed} through a {@link CandleWriter} and answers the
 * {@code persistence.*} requests. Failed replies carry {@link #BAD_REQUEST}, {@link #STORE_FAILED} or
 * {@link #UNAVAILABLE} as the failure code.
 */
public final class PersistenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PersistenceVerticle.class);
  public static final int BAD_REQUEST = 400;
  public static final int STORE_FAILED = 500;
  public static final int UNAVAILABLE = 503;
  /** How long stop() keeps trying to store what is pending. */
  static final long DRAIN_TIMEOUT_MS = 10_000;

  private final CandlebusConfig config;
  private final MeterRegistry registry;
  private final CandleWriter.Settings settings;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private EmbeddedDatabase embedded;
  private Pool pool;
  private CandleStore store;
  private CandleWriter writer;
  private PersistenceMetrics metrics;
  private long overflowed;

  public PersistenceVerticle(CandlebusConfig config, MeterRegistry registry) {
    this(config, registry, CandleWriter.Settings.DEFAULTS);
  }

  PersistenceVerticle(CandlebusConfig config, MeterRegistry registry, CandleWriter.Settings settings) {
    this.config = config;
    this.registry = registry;
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx, Candle.class, CandleBatch.class);
    metrics = new PersistenceMetrics(registry, () -> writer == null ? 0 : writer.pending());
    return connectOptions()
        .compose(options -> {
          pool = PgPools.create(vertx, options);
          return Schema.migrate(pool);
        })
        .map(version -> {
          store = new CandleStore(pool);
          writer = new CandleWriter(vertx, store::upsert, settings, metrics, this::overflow);
          consumers.add(vertx.eventBus().localConsumer(Addresses.CANDLES_CLOSED, this::handleClosedCandle));
          consumers.add(vertx.eventBus().localConsumer(Addresses.DB_CANDLES_UPSERT, this::handleUpsert));
          consumers.add(vertx.eventBus().consumer(Addresses.DB_CANDLES_QUERY, this::handleQuery));
          consumers.add(vertx.eventBus().consumer(Addresses.DB_CANDLES_LATEST, this::handleLatest));
          consumers.add(vertx.eventBus().consumer(Addresses.DB_PING, this::handlePing));
          consumers.addAll(new UserRequests(new UserStore(pool)).register(vertx.eventBus()));
          LOG.info("persistence ready: schema version {}", version);
          return version;
        })
        .recover(err -> {
          metrics.close();
          return release().transform(v -> Future.failedFuture(err));
        });
  }

  @Override
  public Future<?> stop() {
    List<Future<Void>> unregistered = new ArrayList<>();
    consumers.forEach(c -> unregistered.add(c.unregister()));
    return Future.join(unregistered)
        .transform(v -> writer == null ? Future.succeededFuture() : writer.drain(DRAIN_TIMEOUT_MS))
        .transform(v -> release())
        .onComplete(v -> metrics.close());
  }

  /** The pool and the embedded server, each released even if the other fails. */
  private Future<Void> release() {
    Future<Void> closed = pool == null ? Future.succeededFuture() : pool.close();
    return closed.transform(v -> embedded == null ? Future.<Void>succeededFuture() : embedded.stop(vertx));
  }

  private Future<PgConnectOptions> connectOptions() {
    Optional<String> url = config.pgUrl();
    if (url.isPresent()) {
      try {
        return Future.succeededFuture(PgPools.fromUrl(url.get()));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
    }
    return EmbeddedDatabase.start(vertx, config.dataDir().resolve("pg")).map(db -> {
      embedded = db;
      return db.connectOptions();
    });
  }

  private void handleClosedCandle(Message<Object> msg) {
    if (!(msg.body() instanceof Candle candle)) {
      reject("not a Candle: " + msg.body());
      return;
    }
    Optional<String> problem = CandleCheck.problem(candle);
    if (problem.isPresent()) {
      reject(problem.get() + CandleCheck.describe(candle));
      return;
    }
    writer.offer(candle);
  }

  private void reject(String why) {
    metrics.rejected.increment();
    LOG.warn("closed candle refused, not stored: {}", why);
  }

  /** Queue full: counted and logged. A disk journal can take these candles instead (a later issue). */
  private void overflow(Candle candle) {
    metrics.dropped.increment();
    if (overflowed++ % 10_000 == 0) {
      LOG.error("candle write queue full ({} pending): dropped {} candles so far, latest {}",
          writer.pending(), overflowed, CandleCheck.brief(candle));
    }
  }

  private void handleUpsert(Message<Object> msg) {
    if (!(msg.body() instanceof CandleBatch batch)) {
      msg.fail(BAD_REQUEST, "expected a CandleBatch");
      return;
    }
    store.upsert(batch.candles())
        .onSuccess(rows -> {
          metrics.stored.increment(batch.candles().size());
          msg.reply(rows);
        })
        .onFailure(err -> {
          boolean bad = err instanceof IllegalArgumentException;
          if (!bad) {
            metrics.failures.increment();
            LOG.warn("storing a batch of {} candles failed: {}", batch.candles().size(), err.toString());
          }
          msg.fail(bad ? BAD_REQUEST : STORE_FAILED, err.getMessage());
        });
  }

  private void handleQuery(Message<Object> msg) {
    CandleRequests.Query q;
    try {
      q = CandleRequests.query(msg.body());
    } catch (IllegalArgumentException e) {
      msg.fail(BAD_REQUEST, e.getMessage());
      return;
    }
    store.query(q.symbol(), q.interval(), q.startTime(), q.endTime(), q.limit())
        .onSuccess(candles -> {
          JsonArray out = new JsonArray(new ArrayList<>(candles.size()));
          candles.forEach(c -> out.add(MarketJson.candle(c)));
          msg.reply(out);
        })
        .onFailure(err -> msg.fail(STORE_FAILED, "query failed: " + err.getMessage()));
  }

  private void handleLatest(Message<Object> msg) {
    CandleRequests.Series s;
    try {
      s = CandleRequests.series(msg.body());
    } catch (IllegalArgumentException e) {
      msg.fail(BAD_REQUEST, e.getMessage());
      return;
    }
    store.latestOpenTime(s.symbol(), s.interval())
        .onSuccess(t -> msg.reply(t.map(ms -> new JsonObject().put("openTime", ms)).orElseGet(JsonObject::new)))
        .onFailure(err -> msg.fail(STORE_FAILED, "query failed: " + err.getMessage()));
  }

  private void handlePing(Message<Object> msg) {
    store.ping()
        .onSuccess(v -> msg.reply(new JsonObject()))
        .onFailure(err -> msg.fail(UNAVAILABLE, "PostgreSQL does not answer: " + err.getMessage()));
  }
}
