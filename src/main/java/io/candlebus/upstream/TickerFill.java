package io.candlebus.upstream;

import io.candlebus.tickers.TickerBoard;
import io.candlebus.tickers.TickerParser;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the 24 h board over REST once its stream is live: one {@code /api/v3/ticker/24hr} of every market (weight
 * 80), then each market still missing — all of them when that call was refused or too heavy for this node's
 * budget — one at a time ({@code symbol=}, weight 2), longest-missing first, until the board is complete. Every call
 * goes through the node's one weight limiter, and the single fills only while less than
 * {@value #REST_SHARE_PERCENT}% of the budget is used, so the backfill and the order books keep the rest. The board
 * merges by exchange time, so a snapshot older than the frames that arrived meanwhile changes none of them.
 */
final class TickerFill {
  private static final Logger log = LoggerFactory.getLogger(TickerFill.class);
  static final int REST_SHARE_PERCENT = 50;
  static final long RETRY_MS = 1_000;
  static final long PROGRESS_LOG_MS = 5_000;

  private final Vertx vertx;
  private final BinanceRest rest;
  private final TickerBoard board;
  private final MeterRegistry registry;
  private boolean snapshotWanted;
  private boolean snapshotting;
  private boolean snapshotDone;
  private boolean filling;
  private boolean stopped;
  private long startedAt;
  private long lastProgressLog;
  private boolean completeLogged;
  private boolean retryPending;

  TickerFill(Vertx vertx, BinanceRest rest, TickerBoard board, MeterRegistry registry) {
    this.vertx = vertx;
    this.rest = rest;
    this.board = board;
    this.registry = registry;
  }

  /** The stream is live (again): take one all-market snapshot, then fill what is missing. */
  void streamLive() {
    snapshotWanted = true;
    snapshot();
  }

  /** exchangeInfo listed new markets: fill them (after the snapshot, if one is still to come). */
  void marketsChanged() {
    completeLogged = completeLogged && board.complete();
    fill();
  }

  void stop() {
    stopped = true;
  }

  private void snapshot() {
    if (stopped || snapshotting || !snapshotWanted) {
      return;
    }
    snapshotWanted = false;
    startedAt = System.currentTimeMillis();
    if (rest.limiter().budget() < 2 * BinanceRest.WEIGHT_TICKER_ALL) {
      log.info("tickers: the all-market snapshot (weight {}) is too heavy for this node's budget of {}: filling "
          + "markets one at a time", BinanceRest.WEIGHT_TICKER_ALL, rest.limiter().budget());
      snapshotDone = true;
      fill();
      return;
    }
    snapshotting = true;
    registry.counter("candlebus_tickers_rest_total", "kind", "all").increment();
    rest.ticker24hrAll().onComplete(ar -> {
      snapshotting = false;
      snapshotDone = true;
      if (stopped) {
        return;
      }
      if (ar.succeeded()) {
        TickerParser.Parsed p = TickerParser.rest24hr(ar.result());
        int taken = board.merge(p.tickers());
        registry.counter("candlebus_tickers_snapshot_refused_values_total").increment(p.tickers().size() - taken);
        log.info("tickers: snapshot of {} markets in {} ms, {} newer than the stream's values{}", p.tickers().size(),
            System.currentTimeMillis() - startedAt, taken, p.skipped().isEmpty() ? ""
                : ", " + p.skipped().size() + " entries unusable");
      } else {
        log.warn("tickers: the all-market snapshot failed ({}): filling markets one at a time",
            ar.cause().getMessage());
      }
      snapshot(); // the stream went down and up again meanwhile
      fill();
    });
  }

  private void fill() {
    if (stopped || filling || !snapshotDone || snapshotting) {
      return;
    }
    var next = board.missing(1);
    if (next.isEmpty()) {
      if (board.complete() && !completeLogged) {
        completeLogged = true;
        log.info("tickers: board complete, {} of {} markets, {} ms after the stream went live", board.covered(),
            board.marketCount(), System.currentTimeMillis() - startedAt);
      }
      return;
    }
    long now = System.currentTimeMillis();
    RestWeightLimiter limiter = rest.limiter();
    if (limiter.used(now) + BinanceRest.WEIGHT_TICKER_ONE > limiter.budget() * REST_SHARE_PERCENT / 100
        || limiter.blockedUntil() > now) {
      later(RETRY_MS);
      return;
    }
    String symbol = next.get(0);
    filling = true;
    registry.counter("candlebus_tickers_rest_total", "kind", "single").increment();
    rest.ticker24hr(symbol).onComplete(ar -> {
      filling = false;
      if (stopped) {
        return;
      }
      if (ar.succeeded()) {
        board.merge(TickerParser.rest24hr(ar.result()).tickers().stream().filter(t -> t.symbol().equals(symbol))
            .toList());
        if (board.get(symbol) == null) {
          board.requeue(symbol); // answered, but not with a usable value
        }
        progress();
        fill();
      } else if (ar.cause() instanceof BinanceApiException e && e.status() == 400) {
        board.giveUp(symbol); // -1121 Invalid symbol: listed, but no ticker to fetch
        registry.counter("candlebus_tickers_unfillable_total").increment();
        log.warn("tickers: Binance has no ticker for {} ({}); left off the board until the stream names it",
            symbol, e.getMessage());
        fill();
      } else {
        log.warn("tickers: {} could not be filled ({}); it goes to the back of the queue", symbol,
            ar.cause().getMessage());
        board.requeue(symbol);
        later(RETRY_MS);
      }
    });
  }

  /** One retry timer at a time, however many reasons there were to try again. */
  private void later(long ms) {
    if (!retryPending) {
      retryPending = true;
      vertx.setTimer(ms, t -> {
        retryPending = false;
        fill();
      });
    }
  }

  private void progress() {
    long now = System.currentTimeMillis();
    if (now - lastProgressLog >= PROGRESS_LOG_MS) {
      lastProgressLog = now;
      log.info("tickers: {} of {} markets", String.format("%,d", board.covered()).replace(',', ' '),
          String.format("%,d", board.marketCount()).replace(',', ' '));
    }
  }
}
