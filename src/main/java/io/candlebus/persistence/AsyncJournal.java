package io.candlebus.persistence;

import io.candlebus.domain.Candle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A {@link CandleJournal} used from an event loop: every call runs on a worker thread, in call order (ordered
 * {@code executeBlocking} of the caller's context), so an append, a replay read and a commit never overlap.
 */
final class AsyncJournal {
  private final Vertx vertx;
  private final CandleJournal journal;

  private AsyncJournal(Vertx vertx, CandleJournal journal) {
    this.vertx = vertx;
    this.journal = journal;
  }

  static Future<AsyncJournal> open(Vertx vertx, Path dir) {
    return open(vertx, dir, CandleJournal.DEFAULT_SEGMENT_CANDLES);
  }

  static Future<AsyncJournal> open(Vertx vertx, Path dir, int segmentCandles) {
    return vertx.executeBlocking(() -> new AsyncJournal(vertx, CandleJournal.open(dir, segmentCandles)));
  }

  /** Candles on disk; any thread. */
  long size() {
    return journal.size();
  }

  Future<Void> append(List<Candle> candles) {
    return vertx.executeBlocking(() -> {
      journal.append(candles);
      return null;
    });
  }

  Future<Void> prepend(List<Candle> candles) {
    return vertx.executeBlocking(() -> {
      journal.prepend(candles);
      return null;
    });
  }

  Future<Optional<CandleJournal.Segment>> oldest() {
    return vertx.executeBlocking(journal::oldest);
  }

  Future<Void> commit(CandleJournal.Segment segment) {
    return vertx.executeBlocking(() -> {
      journal.commit(segment);
      return null;
    });
  }

  Future<Void> close() {
    return vertx.executeBlocking(() -> {
      journal.close();
      return null;
    });
  }

  /** The blocking journal, for tests. */
  CandleJournal blocking() {
    return journal;
  }
}
