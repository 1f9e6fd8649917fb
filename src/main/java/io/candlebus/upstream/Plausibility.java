package io.candlebus.upstream;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Trade;
import io.candlebus.upstream.StreamEvent.KlineEvent;
import io.candlebus.upstream.StreamEvent.Malformed;
import io.candlebus.upstream.StreamEvent.TradeEvent;

/**
 * Values a well-formed frame can carry but Binance never sends. A trade with an absurd id or time would open a
 * huge hole or hide real trades as duplicates, so such frames are refused here, before trade-id continuity.
 */
final class Plausibility {
  /** 2017-01-01: before Binance existed. */
  static final long EARLIEST = 1_483_228_800_000L;
  /** 2100-01-01. */
  static final long LATEST = 4_102_444_800_000L;
  /** A trade cannot happen after the event reporting it; a little slack for rounding. */
  static final long MAX_AHEAD_OF_EVENT_MS = 1_000;

  private Plausibility() {}

  static StreamEvent check(StreamEvent event) {
    if (event instanceof TradeEvent t) {
      String problem = problem(t.trade());
      return problem == null ? event : new Malformed("absurd_value", problem);
    }
    if (event instanceof KlineEvent k) {
      String problem = problem(k.kline(), k.eventTime());
      return problem == null ? event : new Malformed("absurd_value", problem);
    }
    return event;
  }

  private static String problem(Trade t) {
    if (!symbolOk(t.symbol())) {
      return "symbol " + t.symbol();
    }
    if (t.aggId() < 0) {
      return "aggregate id " + t.aggId();
    }
    if (!timeOk(t.time()) || !timeOk(t.eventTime()) || t.time() > t.eventTime() + MAX_AHEAD_OF_EVENT_MS) {
      return "time " + t.time() + " / event time " + t.eventTime();
    }
    boolean invalidated = t.firstTradeId() == -1 && t.lastTradeId() == -1 && t.price().signum() == 0
        && t.qty().signum() == 0;
    if (invalidated) {
      return null; // Binance's own marker for an invalidated duplicate (2022-04-12): skipped later, not absurd
    }
    if (t.price().signum() <= 0 || t.qty().signum() <= 0) {
      return "price " + t.price() + " qty " + t.qty();
    }
    if (t.firstTradeId() < 0 || t.lastTradeId() < t.firstTradeId()) {
      return "trade ids " + t.firstTradeId() + ".." + t.lastTradeId();
    }
    return null;
  }

  private static String problem(Candle k, long eventTime) {
    if (!symbolOk(k.symbol())) {
      return "symbol " + k.symbol();
    }
    if (!timeOk(k.openTime()) || !timeOk(eventTime)) {
      return "kline time " + k.openTime() + " / event time " + eventTime;
    }
    if (k.open().signum() < 0 || k.close().signum() < 0 || k.low().signum() < 0 || k.high().compareTo(k.low()) < 0
        || k.volume().signum() < 0 || k.quoteVolume().signum() < 0 || k.takerBuyVolume().signum() < 0
        || k.takerBuyQuoteVolume().signum() < 0 || k.trades() < 0) {
      return "kline values o " + k.open() + " h " + k.high() + " l " + k.low() + " c " + k.close() + " v "
          + k.volume() + " n " + k.trades();
    }
    return null;
  }

  /** Binance's symbols are upper case (some are non-ASCII); a lower-case one is not Binance's. */
  private static boolean symbolOk(String s) {
    if (s.isEmpty() || s.length() > 40) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 128 ? c >= 'a' && c <= 'z' : Character.isLowerCase(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean timeOk(long t) {
    return t >= EARLIEST && t <= LATEST;
  }
}
