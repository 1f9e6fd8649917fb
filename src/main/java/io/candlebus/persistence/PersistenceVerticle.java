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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns PostgreSQL for a node: starts the embedded server when no URL is configured, migrates the schema, stores
 * closed candles from {@code candles.closed} through a {@link CandleWriter} (memory queue, then a disk journal
 * under {@code <data.dir>/journal}) and answers the {@code persistence.*} requests. An external PostgreSQL that
 * is unreachable at start does not stop the node: connecting and migrating are retried in the background while
 * candles wait. Failed replies carry {@link #BAD_REQUEST}, {@link #STORE_FAILED} or {@link #UNAVAILABLE}.
 */
public final class PersistenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PersistenceVerticle.class);
  public static final int BAD_REQUEST = 400;
  public static final int STORE_FAILED = 500;
  public static final int UNAVAILABLE = 503;
  /** System property: the memory queue bound (candles) before candles go to the disk journal. */
  public static final String MAX_PENDING_PROPERTY = "candlebus.writeQueueMax";
  /** How long stop() keeps trying to store what is pending before it journals the rest. */
  static final long DRAIN_TIMEOUT_MS = 10_000;
  private static final long MIN_RECONNECT_MS = 250;
  private static final long MAX_RECONNECT_MS = 5_000;
  /** While PostgreSQL is down, how often to check whether it is back. */
  private static final long PROBE_MS = 1_000;

  private final CandlebusConfig config;
  private final MeterRegistry registry;
  private final CandleWriter.Settings settings;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final Outage outage = new Outage();
  /** Per "SYMBOL interval": open time of the first candle received live by this deployment. */
  private final Map<String, Long> firstLive = new HashMap<>();
  private EmbeddedDatabase embedded;
  private AsyncJournal journal;
  private Pool pool;
  private CandleStore store;
  private CandleWriter writer;
  private PersistenceMetrics metrics;
  private boolean migrated;
  private boolean stopping;
  private int connectAttempts;
  private long timer = -1;

  public PersistenceVerticle(CandlebusConfig config, MeterRegistry registry) {
    this(config, registry, CandleWriter.Settings.DEFAULTS.withMaxPending(
        Integer.getInteger(MAX_PENDING_PROPERTY, CandleWriter.Settings.DEFAULTS.maxPending())));
  }

  PersistenceVerticle(CandlebusConfig config, MeterRegistry registry, CandleWriter.Settings settings) {
    this.config = config;
    this.registry = registry;
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx, Candle.class, CandleBatch.class);
    metrics = new PersistenceMetrics(registry, () -> writer == null ? 0 : writer.pending(),
        () -> journal == null ? 0 : journal.size());
    return AsyncJournal.open(vertx, config.dataDir().resolve("journal"))
        .compose(j -> {
          journal = j;
          return connectOptions();
        })
        .compose(options -> {
          pool = PgPools.create(vertx, options);
          store = new CandleStore(pool);
          writer = new CandleWriter(vertx, this::write, settings, metrics, journal);
          register();
          return Schema.migrate(pool).transform(ar -> {
            if (ar.succeeded()) {
              connected(ar.result());
              return Future.succeededFuture();
            } else if (embedded != null) {
              return Future.failedFuture(ar.cause()); // our own server that does not answer: fatal, as before
            }
            outage.failed(ar.cause());
            LOG.error("PostgreSQL unreachable at start ({}): running without it, closed candles wait in memory "
                + "and the journal; retrying in the background", ar.cause().toString());
            retryConnect();
            return Future.succeededFuture();
          });
        })
        .recover(err -> {
          stopping = true;
          metrics.close();
          return release().transform(v -> Future.failedFuture(err));
        });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    List<Future<Void>> unregistered = new ArrayList<>();
    consumers.forEach(c -> unregistered.add(c.unregister()));
    return Future.join(unregistered)
        .transform(v -> writer == null ? Future.succeededFuture() : writer.drain(DRAIN_TIMEOUT_MS))
        .transform(v -> release())
        .onComplete(v -> metrics.close());
  }

  /** The journal, the pool and the embedded server, each released even if another fails. */
  private Future<Void> release() {
    Future<Void> journaled = journal == null ? Future.succeededFuture() : journal.close();
    return journaled.transform(v -> pool == null ? Future.<Void>succeededFuture() : pool.close())
        .transform(v -> embedded == null ? Future.<Void>succeededFuture() : embedded.stop(vertx));
  }

  private void register() {
    consumers.add(vertx.eventBus().localConsumer(Addresses.CANDLES_CLOSED, this::handleClosedCandle));
    consumers.add(vertx.eventBus().localConsumer(Addresses.DB_CANDLES_UPSERT, this::handleUpsert));
    consumers.add(vertx.eventBus().consumer(Addresses.DB_CANDLES_QUERY, this::handleQuery));
    consumers.add(vertx.eventBus().consumer(Addresses.DB_CANDLES_LATEST, this::handleLatest));
    consumers.add(vertx.eventBus().consumer(Addresses.DB_PING, this::handlePing));
    UserRequests users = new UserRequests(new UserStore(pool), this::unavailable, this::observe);
    consumers.addAll(users.register(vertx.eventBus()));
    consumers.addAll(new AlertRequests(new AlertStore(pool), users).register(vertx.eventBus()));
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

  private void retryConnect() {
    long delay = Math.min(MAX_RECONNECT_MS, MIN_RECONNECT_MS << Math.min(connectAttempts++, 10));
    timer = vertx.setTimer(delay, id -> Schema.migrate(pool).onComplete(ar -> {
      if (stopping) {
        return;
      } else if (ar.succeeded()) {
        connected(ar.result());
      } else {
        outage.failed(ar.cause());
        if (connectAttempts % 20 == 0) {
          LOG.warn("PostgreSQL still unreachable after {} attempts: {}", connectAttempts, ar.cause().toString());
        }
        retryConnect();
      }
    }));
  }

  private void connected(int version) {
    migrated = true;
    outage.recovered();
    LOG.info("persistence ready: schema version {}; {} candles in the journal", version, journal.size());
    writer.retryNow();
  }

  /** Why PostgreSQL cannot be used now, or null. */
  private String unavailable() {
    return migrated && !outage.down() ? null : outage.describe(writer.pending(), writer.journaled());
  }

  /** Notes a failed statement; a connection failure starts an outage, probed until PostgreSQL answers. */
  private void observe(Throwable err) {
    if (migrated && Outage.isConnectionFailure(err)) {
      boolean wasDown = outage.down();
      outage.failed(err);
      if (!wasDown) {
        LOG.error("PostgreSQL unreachable: {}; closed candles wait in memory and the journal", err.toString());
        probe();
      }
    }
  }

  private void probe() {
    timer = vertx.setTimer(PROBE_MS, id -> store.ping().onComplete(ar -> {
      if (stopping) {
        return;
      } else if (ar.succeeded()) {
        outage.recovered();
        LOG.info("PostgreSQL answers again; {} candles waiting", writer.pending());
        writer.retryNow();
      } else {
        outage.failed(ar.cause());
        probe();
      }
    }));
  }

  private Future<Integer> write(List<Candle> batch) {
    if (!migrated) {
      return Future.failedFuture(new IllegalStateException("PostgreSQL not connected yet"));
    }
    return store.upsert(batch).onComplete(ar -> {
      if (ar.failed()) {
        observe(ar.cause());
      }
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
    firstLive.putIfAbsent(candle.symbol() + " " + candle.interval().code(), candle.openTime());
    writer.offer(candle);
  }

  private void reject(String why) {
    metrics.rejected.increment();
    LOG.warn("closed candle refused, not stored: {}", why);
  }

  private void handleUpsert(Message<Object> msg) {
    if (!(msg.body() instanceof CandleBatch batch)) {
      msg.fail(BAD_REQUEST, "expected a CandleBatch");
      return;
    }
    if (refusedWhileDown(msg)) {
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
          fail(msg, bad ? BAD_REQUEST : STORE_FAILED, "", err);
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
    if (refusedWhileDown(msg)) {
      return;
    }
    store.query(q.symbol(), q.interval(), q.startTime(), q.endTime(), q.limit())
        .onSuccess(candles -> {
          JsonArray out = new JsonArray(new ArrayList<>(candles.size()));
          candles.forEach(c -> out.add(MarketJson.candle(c)));
          msg.reply(out);
        })
        .onFailure(err -> fail(msg, STORE_FAILED, "query failed: ", err));
  }

  /**
   * The newest stored open time; with {@code "beforeLive": true} the newest older than the first candle this
   * node received live for the series, so live or journaled candles stored meanwhile cannot hide a gap.
   */
  private void handleLatest(Message<Object> msg) {
    CandleRequests.Series s;
    try {
      s = CandleRequests.series(msg.body());
    } catch (IllegalArgumentException e) {
      msg.fail(BAD_REQUEST, e.getMessage());
      return;
    }
    if (refusedWhileDown(msg)) {
      return;
    }
    boolean beforeLive = msg.body() instanceof JsonObject j && Boolean.TRUE.equals(j.getValue("beforeLive"));
    Long live = beforeLive ? firstLive.get(s.symbol() + " " + s.interval().code()) : null;
    (live == null ? store.latestOpenTime(s.symbol(), s.interval())
        : store.latestOpenTimeBefore(s.symbol(), s.interval(), live))
        .onSuccess(t -> msg.reply(t.map(ms -> new JsonObject().put("openTime", ms)).orElseGet(JsonObject::new)))
        .onFailure(err -> fail(msg, STORE_FAILED, "query failed: ", err));
  }

  private void handlePing(Message<Object> msg) {
    if (refusedWhileDown(msg)) {
      return;
    }
    store.ping()
        .onSuccess(v -> msg.reply(new JsonObject()))
        .onFailure(err -> {
          if (Outage.isOverload(err)) {
            msg.reply(new JsonObject().put("busy", true)); // it answers, all connections at work: still ready
          } else {
            fail(msg, STORE_FAILED, "", err);
          }
        });
  }

  /** While PostgreSQL is down, requests are answered at once with the reason instead of waiting for timeouts. */
  private boolean refusedWhileDown(Message<Object> msg) {
    String down = unavailable();
    if (down != null) {
      msg.fail(UNAVAILABLE, down);
      return true;
    }
    return false;
  }

  /**
   * A connection failure is answered as UNAVAILABLE with the outage's reason; a request beyond the pool's wait
   * queue as UNAVAILABLE too (try again), without an outage.
   */
  private void fail(Message<Object> msg, int code, String prefix, Throwable err) {
    observe(err);
    if (code == STORE_FAILED && Outage.isOverload(err)) {
      msg.fail(UNAVAILABLE, "PostgreSQL is busy, try again: " + err.getMessage());
    } else if (code == STORE_FAILED && Outage.isConnectionFailure(err)) {
      String down = unavailable();
      msg.fail(UNAVAILABLE, down != null ? down : "PostgreSQL does not answer: " + err.getMessage());
    } else {
      msg.fail(code, prefix + err.getMessage());
    }
  }
}
