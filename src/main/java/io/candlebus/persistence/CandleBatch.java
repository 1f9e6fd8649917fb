package io.candlebus.persistence;

import io.candlebus.domain.Candle;
import java.util.List;

/**
 * Candles to store at once, sent locally (LocalCodec) to {@code Addresses.DB_CANDLES_UPSERT}; the reply is the
 * number of rows inserted or changed, sent after they are stored.
 */
public record CandleBatch(List<Candle> candles) {
  public CandleBatch {
    candles = List.copyOf(candles);
  }
}
