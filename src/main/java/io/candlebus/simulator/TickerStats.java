package io.candlebus.simulator;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One symbol's statistics over a window {@code (closeTime - width, closeTime]}, exact, and their wire shapes: the
 * {@code !miniTicker@arr} item, the {@code !ticker_<w>@arr} item and the FULL / MINI objects of
 * {@code /api/v3/ticker/24hr}. Decimals print as every other simulator number ({@link BinanceJson#dec8}); the
 * change percent with 3 places (half up), as Binance prints it ("-1.234").
 *
 * @param openTime closeTime - width
 * @param open first trade in the window (the last price before it when the window has no trade)
 * @param lastQty quantity of the last trade in the window; 0 when it has none
 * @param prevClose price of the last trade before the window; 0 when there is none
 * @param firstId first agg id in the window; -1 when it has no trade (as lastId)
 */
record TickerStats(String symbol, long openTime, long closeTime, BigDecimal open, BigDecimal high, BigDecimal low,
    BigDecimal close, BigDecimal lastQty, BigDecimal volume, BigDecimal quoteVolume, BigDecimal prevClose,
    long count, long firstId, long lastId) {

  /** Best bid and ask (price, quantity) for the FULL form. */
  record Top(BigDecimal bidPrice, BigDecimal bidQty, BigDecimal askPrice, BigDecimal askQty) {}

  BigDecimal priceChange() {
    return close.subtract(open);
  }

  String priceChangePercent() {
    if (open.signum() == 0) {
      return "0.000";
    }
    return priceChange().multiply(BigDecimal.valueOf(100)).divide(open, 3, RoundingMode.HALF_UP).toPlainString();
  }

  BigDecimal weightedAvgPrice() {
    return volume.signum() == 0 ? BigDecimal.ZERO : quoteVolume.divide(volume, 8, RoundingMode.DOWN);
  }

  /** An item of {@code !miniTicker@arr}. */
  JsonObject miniTickerEvent() {
    return new JsonObject()
        .put("e", "24hrMiniTicker")
        .put("E", closeTime)
        .put("s", symbol)
        .put("c", BinanceJson.dec8(close))
        .put("o", BinanceJson.dec8(open))
        .put("h", BinanceJson.dec8(high))
        .put("l", BinanceJson.dec8(low))
        .put("v", BinanceJson.dec8(volume))
        .put("q", BinanceJson.dec8(quoteVolume));
  }

  /** An item of {@code !ticker_<w>@arr}; {@code eventType} is "1hTicker", "4hTicker" or "1dTicker". */
  JsonObject rollingTickerEvent(String eventType) {
    return new JsonObject()
        .put("e", eventType)
        .put("E", closeTime)
        .put("s", symbol)
        .put("p", BinanceJson.dec8(priceChange()))
        .put("P", priceChangePercent())
        .put("o", BinanceJson.dec8(open))
        .put("h", BinanceJson.dec8(high))
        .put("l", BinanceJson.dec8(low))
        .put("c", BinanceJson.dec8(close))
        .put("w", BinanceJson.dec8(weightedAvgPrice()))
        .put("v", BinanceJson.dec8(volume))
        .put("q", BinanceJson.dec8(quoteVolume))
        .put("O", openTime)
        .put("C", closeTime)
        .put("F", firstId)
        .put("L", lastId)
        .put("n", count);
  }

  /** {@code type=MINI} of /api/v3/ticker/24hr. */
  JsonObject restMini() {
    return new JsonObject()
        .put("symbol", symbol)
        .put("openPrice", BinanceJson.dec8(open))
        .put("highPrice", BinanceJson.dec8(high))
        .put("lowPrice", BinanceJson.dec8(low))
        .put("lastPrice", BinanceJson.dec8(close))
        .put("volume", BinanceJson.dec8(volume))
        .put("quoteVolume", BinanceJson.dec8(quoteVolume))
        .put("openTime", openTime)
        .put("closeTime", closeTime)
        .put("firstId", firstId)
        .put("lastId", lastId)
        .put("count", count);
  }

  /** {@code type=FULL} (the default) of /api/v3/ticker/24hr; {@code top} null: the last price and 0 for both. */
  JsonObject restFull(Top top) {
    BigDecimal zero = BigDecimal.ZERO;
    return new JsonObject()
        .put("symbol", symbol)
        .put("priceChange", BinanceJson.dec8(priceChange()))
        .put("priceChangePercent", priceChangePercent())
        .put("weightedAvgPrice", BinanceJson.dec8(weightedAvgPrice()))
        .put("prevClosePrice", BinanceJson.dec8(prevClose))
        .put("lastPrice", BinanceJson.dec8(close))
        .put("lastQty", BinanceJson.dec8(lastQty))
        .put("bidPrice", BinanceJson.dec8(top == null ? close : top.bidPrice()))
        .put("bidQty", BinanceJson.dec8(top == null ? zero : top.bidQty()))
        .put("askPrice", BinanceJson.dec8(top == null ? close : top.askPrice()))
        .put("askQty", BinanceJson.dec8(top == null ? zero : top.askQty()))
        .put("openPrice", BinanceJson.dec8(open))
        .put("highPrice", BinanceJson.dec8(high))
        .put("lowPrice", BinanceJson.dec8(low))
        .put("volume", BinanceJson.dec8(volume))
        .put("quoteVolume", BinanceJson.dec8(quoteVolume))
        .put("openTime", openTime)
        .put("closeTime", closeTime)
        .put("firstId", firstId)
        .put("lastId", lastId)
        .put("count", count);
  }

  /** What Binance answers for one symbol that has never traded: zeros, ids -1. */
  static TickerStats never(String symbol, long closeTime, long width) {
    BigDecimal z = BigDecimal.ZERO.setScale(8);
    return new TickerStats(symbol, closeTime - width, closeTime, z, z, z, z, z, z, z, z, 0, -1, -1);
  }
}
