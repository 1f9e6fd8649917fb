package io.candlebus.persistence;

import io.candlebus.domain.Candle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write path of closed candles: a bounded memory queue, then a disk {@link AsyncJournal}. Batches are written
 * one at a time, in arrival order, and a failed batch is retried with capped exponential backoff until it is
 * stored. A batch PostgreSQL refuses as bad data is split until the offending candle is isolated and rejected.
 *
 * <p>Order: when the memory queue is full, that candle and every later one go to the journal, behind what it
 * holds; the memory queue (older) is written first, then the journal segment by segment, each deleted only
 * after all its candles are stored; only when the journal is empty do candles use memory again. A stop writes
 * what it can in time and puts the rest in front of the journal.
 *
 * <p>Not thread-safe: use it from one Vert.x context (the persistence verticle's).
 */
final class CandleWriter {
  private static final Logger LOG = LoggerFactory.getLogger(CandleWriter.class);
  private static final long JOURNAL_RETRY_MS = 1_000;

  /**
   * @param flushThreshold write as soon as this many candles are pending
   * @param flushDelayMs otherwise write this long after the first pending candle arrived
   * @param maxBatch candles per write
   * @param maxPending memory queue bound; beyond it candles go to the journal
   * @param minBackoffMs first retry delay after a failure, doubled on each further failure
   * @param maxBackoffMs retry delay cap
   */
  record Settings(int flushThreshold, long flushDelayMs, int maxBatch, int maxPending, long minBackoffMs,
      long maxBackoffMs) {
    static final Settings DEFAULTS = new Settings(500, 50, 10_000, 200_000, 100, 10_000);

    Settings withMaxPending(int n) {
      return new Settings(flushThreshold, flushDelayMs, maxBatch, n, minBackoffMs, maxBackoffMs);
    }
  }

  private final Vertx vertx;
  private final Function<List<Candle>, Future<Integer>> sink;
  private final Settings settings;
  private final PersistenceMetrics metrics;
  private final AsyncJournal journal;

  private final ArrayDeque<Candle> queue = new ArrayDeque<>();
  /** Halves of a batch refused as bad data; written before anything newer. */
  private final ArrayDeque<List<Candle>> splits = new ArrayDeque<>();
  private List<Candle> inFlight; // also set while waiting to retry it
  private int memoryPending;
  private long firstQueuedNanos;
  private long flushTimer = -1;
  private long retryTimer = -1;
  private int failuresInRow;

  /** Candles for the journal not yet appended (newer than all it holds). */
  private List<Candle> toJournal = new ArrayList<>();
  private int appending;
  private Future<Void> appended = Future.succeededFuture();
  private boolean spilling;
  private CandleJournal.Segment segment; // being replayed; memory is empty meanwhile
  private final ArrayDeque<List<Candle>> segmentChunks = new ArrayDeque<>();
  private boolean journalBusy; // loading or committing a segment

  private Promise<Void> drained;
  private boolean closed;
  private boolean abandoned;

  CandleWriter(Vertx vertx, Function<List<Candle>, Future<Integer>> sink, Settings settings,
      PersistenceMetrics metrics, AsyncJournal journal) {
    this.vertx = vertx;
    this.sink = sink;
    this.settings = settings;
    this.metrics = metrics;
    this.journal = journal;
    spilling = journal.size() > 0;
    schedule(); // a journal left by an earlier run is replayed first
  }

  /** Candles accepted and not yet stored: in memory, on their way to the journal, or in it. */
  long pending() {
    return memoryPending + toJournal.size() + appending + journal.size();
  }

  /** Candles in the journal. */
  long journaled() {
    return journal.size();
  }

  /** Queues a valid candle, in memory or, when memory is full or the journal is in use, in the journal. */
  void offer(Candle candle) {
    if (drained != null && drained.future().isComplete()) {
      metrics.dropped.increment();
      LOG.error("candle offered after the writer stopped, not stored: {}", CandleCheck.brief(candle));
      return;
    }
    if (spilling || closed || memoryPending >= settings.maxPending()) {
      if (!spilling) {
        spilling = true;
        LOG.warn("candle write queue full ({} pending): newer candles go to the disk journal", memoryPending);
      }
      metrics.journaled.increment();
      toJournal.add(candle);
      appendSoon();
      return;
    }
    if (queue.isEmpty()) {
      firstQueuedNanos = System.nanoTime();
    }
    queue.add(candle);
    memoryPending++;
    schedule();
  }

  /** PostgreSQL answers again: retry the waiting batch now rather than when its backoff ends. */
  void retryNow() {
    if (retryTimer >= 0 && inFlight != null) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
      write(inFlight);
    } else {
      schedule();
    }
  }

  /**
   * Stops accepting candles into memory and writes what is pending; if writes are failing, or still after
   * {@code timeoutMs}, what is left in memory goes in front of the journal. Completes once nothing is left in
   * memory.
   */
  Future<Void> drain(long timeoutMs) {
    closed = true;
    if (drained == null) {
      drained = Promise.promise();
      long giveUp = vertx.setTimer(timeoutMs, id -> spillMemory());
      drained.future().onComplete(v -> vertx.cancelTimer(giveUp));
      cancelFlushTimer();
      if (failuresInRow > 0) {
        spillMemory();
      } else {
        flush();
      }
    }
    return drained.future();
  }

  private void appendSoon() {
    if (appending > 0 || toJournal.isEmpty()) {
      return;
    }
    List<Candle> batch = toJournal;
    toJournal = new ArrayList<>();
    appending = batch.size();
    appended = journal.append(batch);
    appended.onComplete(ar -> {
      appending = 0;
      if (ar.failed()) {
        LOG.error("appending {} candles to the journal failed, retrying: {}", batch.size(), ar.cause().toString());
        batch.addAll(toJournal);
        toJournal = batch;
        vertx.setTimer(JOURNAL_RETRY_MS, id -> appendSoon());
        return;
      }
      appendSoon();
      schedule();
    });
  }

  private void schedule() {
    if (inFlight != null || journalBusy || abandoned) {
      return; // picked up when the current step completes
    }
    if (queue.isEmpty()) {
      cancelFlushTimer();
      flush();
      return;
    }
    long waited = System.nanoTime() - firstQueuedNanos;
    long left = settings.flushDelayMs() - waited / 1_000_000;
    if (!splits.isEmpty() || queue.size() >= settings.flushThreshold() || closed || left <= 0) {
      cancelFlushTimer();
      flush();
    } else if (flushTimer < 0) {
      flushTimer = vertx.setTimer(Math.max(1, left), id -> {
        flushTimer = -1;
        flush();
      });
    }
  }

  private void flush() {
    if (inFlight != null || journalBusy || abandoned) {
      return;
    }
    List<Candle> batch = splits.poll();
    if (batch == null && !queue.isEmpty()) {
      int n = Math.min(queue.size(), settings.maxBatch());
      batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(queue.poll());
      }
      firstQueuedNanos = System.nanoTime(); // the rest, if any, is at least a full batch: flushed next anyway
    }
    if (batch == null && segment != null && !closed) {
      batch = segmentChunks.poll();
      if (batch == null) {
        commitSegment();
        return;
      }
    }
    if (batch != null) {
      write(batch);
    } else if (journal.size() > 0 && !closed) {
      loadSegment();
    } else {
      segment = null; // a stop leaves an unfinished segment on disk: replayed next time
      segmentChunks.clear();
      endSpillingIfEmpty();
      checkDrained();
    }
  }

  private void loadSegment() {
    journalBusy = true;
    journal.oldest().onComplete(ar -> {
      journalBusy = false;
      if (ar.failed()) {
        LOG.error("reading the journal failed, retrying: {}", ar.cause().toString());
        vertx.setTimer(JOURNAL_RETRY_MS, id -> schedule());
        return;
      }
      ar.result().ifPresent(s -> {
        segment = s;
        for (int i = 0; i < s.candles().size(); i += settings.maxBatch()) {
          segmentChunks.add(s.candles().subList(i, Math.min(s.candles().size(), i + settings.maxBatch())));
        }
        LOG.info("replaying {} journaled candles", s.candles().size());
      });
      schedule();
    });
  }

  private void commitSegment() {
    journalBusy = true;
    CandleJournal.Segment done = segment;
    journal.commit(done).onComplete(ar -> {
      journalBusy = false;
      if (ar.failed()) {
        LOG.error("deleting a replayed journal segment failed, retrying: {}", ar.cause().toString());
        vertx.setTimer(JOURNAL_RETRY_MS, id -> schedule());
        return;
      }
      segment = null;
      schedule();
    });
  }

  private void endSpillingIfEmpty() {
    if (spilling && !closed && journal.size() == 0 && toJournal.isEmpty() && appending == 0) {
      spilling = false;
      LOG.info("the journal is replayed: closed candles use the memory queue again");
    }
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
      if (abandoned || inFlight != batch) {
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
    if (segment == null) {
      memoryPending -= batch.size();
    }
    metrics.stored.increment(batch.size());
    schedule();
  }

  private void failed(List<Candle> batch, Throwable err) {
    metrics.failures.increment();
    if (isBadData(err)) {
      inFlight = null;
      if (batch.size() == 1) {
        if (segment == null) {
          memoryPending--;
        }
        metrics.rejected.increment();
        LOG.error("PostgreSQL refused candle {}: {}", CandleCheck.brief(batch.get(0)), err.getMessage());
      } else {
        int half = batch.size() / 2;
        splits.addFirst(batch.subList(half, batch.size()));
        splits.addFirst(batch.subList(0, half));
      }
      schedule();
      return;
    }
    if (closed) {
      spillMemory(); // stopping while PostgreSQL fails: keep the rest on disk rather than wait
      return;
    }
    long delay = Math.min(settings.maxBackoffMs(), settings.minBackoffMs() << Math.min(failuresInRow, 20));
    failuresInRow++;
    if (failuresInRow == 1 || failuresInRow % 10 == 0) {
      LOG.warn("writing {} candles failed (attempt {}), retrying in {} ms: {}", batch.size(), failuresInRow, delay,
          err.toString());
    }
    retryTimer = vertx.setTimer(delay, id -> {
      retryTimer = -1;
      if (inFlight == batch) {
        write(batch);
      }
    });
  }

  /** Errors that retrying cannot fix: the data itself (SQLSTATE classes 22 and 23, except a stale token id). */
  static boolean isBadData(Throwable err) {
    if (err instanceof IllegalArgumentException) {
      return true;
    }
    if (err instanceof PgException pg && pg.getSqlState() != null) {
      String state = pg.getSqlState();
      return state.startsWith("22") || (state.startsWith("23") && !"23503".equals(state));
    }
    return false;
  }

  /**
   * At a stop: memory (in-flight batch, splits, queue: all older than the journal) goes in front of the journal,
   * the not yet appended candles behind it. A segment being replayed stays on disk as it is.
   */
  private void spillMemory() {
    if (abandoned || drained == null || drained.future().isComplete()) {
      return;
    }
    abandoned = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    cancelFlushTimer();
    List<Candle> front = new ArrayList<>(memoryPending);
    if (segment == null) {
      if (inFlight != null) {
        front.addAll(inFlight);
      }
      splits.forEach(front::addAll);
    }
    front.addAll(queue);
    queue.clear();
    splits.clear();
    inFlight = null;
    memoryPending = 0;
    metrics.journaled.increment(front.size());
    if (!front.isEmpty()) {
      LOG.warn("stopping with {} candles not stored: they go in front of the disk journal", front.size());
    }
    journal.prepend(front).recover(e -> {
      LOG.error("could not journal {} candles at stop, they are lost: {}", front.size(), e.toString());
      metrics.dropped.increment(front.size());
      return Future.succeededFuture();
    }).onComplete(v -> appendRestThenFinish());
  }

  private void appendRestThenFinish() {
    if (appending > 0) {
      appended.onComplete(v -> appendRestThenFinish()); // runs after appendSoon's own completion handler
      return;
    }
    List<Candle> rest = toJournal;
    toJournal = new ArrayList<>();
    Future<Void> last = rest.isEmpty() ? Future.succeededFuture() : journal.append(rest);
    last.onComplete(ar -> {
      if (ar.failed()) {
        LOG.error("could not journal {} candles at stop, they are lost: {}", rest.size(), ar.cause().toString());
        metrics.dropped.increment(rest.size());
      }
      drained.tryComplete();
    });
  }

  private void checkDrained() {
    if (drained != null && !abandoned && inFlight == null && queue.isEmpty() && splits.isEmpty()
        && !journalBusy) {
      // nothing in memory: what still waits for the journal is appended, then the writer is done
      abandoned = true;
      appendRestThenFinish();
    }
  }

  private void cancelFlushTimer() {
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
  }
}
