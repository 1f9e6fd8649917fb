package io.candlebus.candles;

import io.candlebus.domain.Trade;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A trade's quantity and exact quote amount (price × qty) as unscaled integers, computed once per trade and
 * reused by every interval. Values that do not fit take the BigDecimal path ({@code fast == false}).
 */
final class TradeNumbers {
  boolean fast;
  long qtyUnscaled;
  int qtyScale;
  long quoteHi;
  long quoteLo;
  int quoteScale;
  BigDecimal quote;

  void prepare(Trade t) {
    BigInteger p = t.price().unscaledValue();
    BigInteger q = t.qty().unscaledValue();
    fast = p.bitLength() <= 63 && q.bitLength() <= 63;
    if (fast) {
      long pu = p.longValue();
      qtyUnscaled = q.longValue();
      qtyScale = t.qty().scale();
      quoteHi = Math.multiplyHigh(pu, qtyUnscaled);
      quoteLo = pu * qtyUnscaled;
      quoteScale = t.price().scale() + qtyScale;
      quote = null;
    } else {
      quote = t.price().multiply(t.qty());
    }
  }
}
