package io.candlebus.persistence;

import io.candlebus.domain.Candle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write queue of closed candles: batches them, keeps at most one write in flight, in arrival order, and
 * retries a failed batch with capped exponential backoff until it is stored. A batch PostgreSQL refuses as bad
 * data is split until the offending candle is isolated and rejected, so one bad candle never blocks the rest.
 *
 * <p>Not thread-safe: use it from one Vert.x context (the persistence verticle's).
 */
final class CandleWriter {
  private static final Logger LOG = LoggerFactory.getLogger(CandleWriter.class);

  /**
   * @param flushThreshold write as soon as this many candles are pending
   * @param flushDelayMs otherwise write this long after the first pending candle arrived
   * @param maxBatch candles per write
   * @param maxPending queue bound; beyond it candles go to the overflow
   * @param minBackoffMs first retry delay after a failure, doubled on each further failure
   * @param maxBackoffMs retry delay cap
   */
  record Settings(int flushThreshold, long flushDelayMs, int maxBatch, int maxPending, long minBackoffMs,
      long maxBackoffMs) {
    static final Settings DEFAULTS = new Settings(500, 50, 10_000, 200_000, 100, 10_000);
  }

  private final Vertx vertx;
  private final Function<List<Candle>, Future<Integer>> sink;
  private final Settings settings;
  private final PersistenceMetrics metrics;
  private final Consumer<Candle> overflow;

  private final ArrayDeque<Candle> queue = new ArrayDeque<>();
  /** Halves of a batch refused as bad data; written before anything newer. */
  private final ArrayDeque<List<Candle>> splits = new ArrayDeque<>();
  private List<Candle> inFlight; // also set while waiting to retry it
  private int pending;
  private long firstQueuedNanos;
  private long flushTimer = -1;
  private long retryTimer = -1;
  private int failuresInRow;
  private Promise<Void> drained;
  private boolean closed;
  private boolean abandoned;

  CandleWriter(Vertx vertx, Function<List<Candle>, Future<Integer>> sink, Settings settings,
      PersistenceMetrics metrics, Consumer<Candle> overflow) {
    this.vertx = vertx;
    this.sink = sink;
    this.settings = settings;
    this.metrics = metrics;
    this.overflow = overflow;
  }

  /** Candles accepted and not yet stored, including the batch being written. */
  int pending() {
    return pending;
  }

  /** Queues a valid candle; false (and the candle handed to the overflow) when the queue is full or closed. */
  boolean offer(Candle candle) {
    if (closed || pending >= settings.maxPending()) {
      overflow.accept(candle);
      return false;
    }
    if (queue.isEmpty()) {
      firstQueuedNanos = System.nanoTime();
    }
    queue.add(candle);
    pending++;
    schedule();
    return true;
  }

  /**
   * Stops accepting candles and writes what is pending. Completes when all is stored or after
   * {@code timeoutMs}; whatever is left then is counted as dropped and logged.
   */
  Future<Void> drain(long timeoutMs) {
    closed = true;
    if (drained == null) {
      drained = Promise.promise();
      long giveUp = vertx.setTimer(timeoutMs, id -> giveUp());
      drained.future().onComplete(v -> vertx.cancelTimer(giveUp));
      cancelFlushTimer();
      flush();
    }
    return drained.future();
  }

  private void schedule() {
    if (inFlight != null) {
      return; // picked up when the current write completes
    }
    long waited = System.nanoTime() - firstQueuedNanos;
    long left = settings.flushDelayMs() - waited / 1_000_000;
    if (!splits.isEmpty() || queue.size() >= settings.flushThreshold() || closed || (!queue.isEmpty() && left <= 0)) {
      cancelFlushTimer();
      flush();
    } else if (!queue.isEmpty() && flushTimer < 0) {
      flushTimer = vertx.setTimer(Math.max(1, left), id -> {
        flushTimer = -1;
        flush();
      });
    }
  }

  private void flush() {
    if (inFlight != null) {
      return;
    }
    List<Candle> batch = splits.poll();
    if (batch == null) {
      if (queue.isEmpty()) {
        checkDrained();
        return;
      }
      int n = Math.min(queue.size(), settings.maxBatch());
      batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(queue.poll());
      }
      firstQueuedNanos = System.nanoTime(); // the rest, if any, is at least a full batch: flushed next anyway
    }
    write(batch);
  }

  private void write(List<Candle> batch) {
    inFlight = batch;
    Future<Integer> result;
    try {
      result = sink.apply(batch);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (abandoned) {
        return;
      } else if (ar.succeeded()) {
        written(batch);
      } else {
        failed(batch, ar.cause());
      }
    });
  }

  private void written(List<Candle> batch) {
    if (failuresInRow > 0) {
      LOG.info("candle writes succeed again after {} failed attempts", failuresInRow);
    }
    failuresInRow = 0;
    inFlight = null;
    pending -= batch.size();
    metrics.stored.increment(batch.size());
    schedule();
    checkDrained();
  }

  private void failed(List<Candle> batch, Throwable err) {
    metrics.failures.increment();
    if (isBadData(err)) {
      inFlight = null;
      if (batch.size() == 1) {
        pending--;
        metrics.rejected.increment();
        LOG.error("PostgreSQL refused candle {}: {}", CandleCheck.brief(batch.get(0)), err.getMessage());
      } else {
        int half = batch.size() / 2;
        splits.addFirst(batch.subList(half, batch.size()));
        splits.addFirst(batch.subList(0, half));
      }
      schedule();
      checkDrained();
      return;
    }
    long delay = Math.min(settings.maxBackoffMs(), settings.minBackoffMs() << Math.min(failuresInRow, 20));
    failuresInRow++;
    LOG.warn("writing {} candles failed (attempt {}), retrying in {} ms: {}", batch.size(), failuresInRow, delay,
        err.toString());
    retryTimer = vertx.setTimer(delay, id -> {
      retryTimer = -1;
      if (inFlight == batch) {
        write(batch);
      }
    });
  }

  /** Errors that retrying cannot fix: the data itself (SQLSTATE classes 22 and 23, except a stale token id). */
  private static boolean isBadData(Throwable err) {
    if (err instanceof IllegalArgumentException) {
      return true;
    }
    if (err instanceof PgException pg && pg.getSqlState() != null) {
      String state = pg.getSqlState();
      return state.startsWith("22") || (state.startsWith("23") && !"23503".equals(state));
    }
    return false;
  }

  private void checkDrained() {
    if (drained != null && inFlight == null && queue.isEmpty() && splits.isEmpty()) {
      drained.tryComplete();
    }
  }

  private void giveUp() {
    if (drained.future().isComplete()) {
      return;
    }
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    LOG.error("stopping with {} candles not stored: PostgreSQL did not take them in time", pending);
    metrics.dropped.increment(pending);
    abandoned = true;
    queue.clear();
    splits.clear();
    pending = 0;
    drained.tryComplete();
  }

  private void cancelFlushTimer() {
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
  }
}
