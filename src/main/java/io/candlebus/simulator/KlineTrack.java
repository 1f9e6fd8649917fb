package io.candlebus.simulator;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The live kline of one {@code <symbol>@kline_<interval>} stream. Fed from the trade history by agg id, so the
 * final (x:true) kline of a window is computed from exactly the trades REST uses for it.
 *
 * <p>Timing follows simulated time: an update (x:false) when the open bar changed, at most every 2 s simulated
 * (1 s for 1s bars) and at most every 100 ms real; one x:true frame once the window's close time is 1 s simulated
 * in the past, also for windows without trades (flat at the previous close).
 */
final class KlineTrack {
  static final long CLOSE_DELAY_MS = 1_000L;
  static final long MIN_REAL_GAP_NANOS = 100_000_000L;

  private final TradeHistory history;
  private final Interval interval;
  private final long minSimGap;
  private long open;
  private long nextAggId;
  private BigDecimal previousClose;
  private KlineAccumulator acc = new KlineAccumulator();
  private boolean dirty;
  private long lastPushSim = Long.MIN_VALUE / 2;
  private long lastPushReal = Long.MIN_VALUE / 2;

  KlineTrack(TradeHistory history, Interval interval, long now) {
    this.history = history;
    this.interval = interval;
    this.minSimGap = interval == Interval.S1 ? 1_000L : 2_000L;
    this.open = interval.openTime(now);
    this.previousClose = history.priceBefore(open).orElse(null);
    this.nextAggId = history.aggIdAtOrAfter(open);
  }

  Interval interval() {
    return interval;
  }

  /** Frames due at simulated {@code now}: the x:true klines of windows that ended, then maybe an update. */
  List<Candle> advance(long now, long realNanos) {
    List<Candle> out = new ArrayList<>(1);
    while (true) {
      long close = interval.closeTime(open);
      long before = nextAggId;
      nextAggId = history.feed(nextAggId, Math.min(now, close), acc::add);
      dirty |= nextAggId != before;
      if (now < close + CLOSE_DELAY_MS) {
        break;
      }
      Candle last = acc.toCandle(history.symbol(), interval, open, previousClose, true);
      if (last != null) {
        out.add(last);
      }
      if (!acc.isEmpty()) {
        previousClose = acc.close();
      }
      open = interval.nextOpenTime(open);
      acc = new KlineAccumulator();
      dirty = false;
    }
    if (dirty && now - lastPushSim >= minSimGap && realNanos - lastPushReal >= MIN_REAL_GAP_NANOS) {
      out.add(acc.toCandle(history.symbol(), interval, open, previousClose, false));
      lastPushSim = now;
      lastPushReal = realNanos;
      dirty = false;
    }
    return out;
  }
}
