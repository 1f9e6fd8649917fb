package io.candlebus.simulator;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Trade;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/** Binance's wire shapes for trades and klines, with decimals printed with 8 places as Binance does. */
final class BinanceJson {
  private BinanceJson() {}

  /** 8 decimal places; the simulator's values always fit exactly (price 2 dp x qty 5 dp = 7 dp). */
  static String dec8(BigDecimal v) {
    return v.setScale(8, RoundingMode.DOWN).toPlainString();
  }

  static JsonObject aggTradeEvent(Trade t, long eventTime) {
    return new JsonObject()
        .put("e", "aggTrade")
        .put("E", eventTime)
        .put("s", t.symbol())
        .mergeIn(aggTradeRest(t));
  }

  /**
   * The {@code @trade} events of one aggTrade: one per trade id {@code f..l}, at its price, the quantity split
   * so that the parts add up to it exactly (equal parts of 1e-8 units, the last one taking the rest).
   */
  static List<String> tradeEvents(Trade t, long eventTime) {
    int n = (int) t.tradeCount();
    long units = t.qty().movePointRight(8).longValueExact();
    long part = units / n;
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long q = i < n - 1 ? part : units - part * (n - 1);
      out.add(new JsonObject().put("e", "trade").put("E", eventTime).put("s", t.symbol())
          .put("t", t.firstTradeId() + i).put("p", dec8(t.price())).put("q", dec8(BigDecimal.valueOf(q, 8)))
          .put("T", t.time()).put("m", t.buyerMaker()).put("M", true).encode());
    }
    return out;
  }

  /** One element of GET /api/v3/aggTrades. */
  static JsonObject aggTradeRest(Trade t) {
    return new JsonObject()
        .put("a", t.aggId())
        .put("p", dec8(t.price()))
        .put("q", dec8(t.qty()))
        .put("f", t.firstTradeId())
        .put("l", t.lastTradeId())
        .put("T", t.time())
        .put("m", t.buyerMaker())
        .put("M", true);
  }

  static JsonObject klineEvent(Candle c, long eventTime) {
    JsonObject k = new JsonObject()
        .put("t", c.openTime())
        .put("T", c.closeTime())
        .put("s", c.symbol())
        .put("i", c.interval().code())
        .put("f", c.firstTradeId())
        .put("L", c.lastTradeId())
        .put("o", dec8(c.open()))
        .put("c", dec8(c.close()))
        .put("h", dec8(c.high()))
        .put("l", dec8(c.low()))
        .put("v", dec8(c.volume()))
        .put("n", c.trades())
        .put("x", c.closed())
        .put("q", dec8(c.quoteVolume()))
        .put("V", dec8(c.takerBuyVolume()))
        .put("Q", dec8(c.takerBuyQuoteVolume()))
        .put("B", "0");
    return new JsonObject().put("e", "kline").put("E", eventTime).put("s", c.symbol()).put("k", k);
  }

  /** One row of GET /api/v3/klines: the 12-entry array layout. */
  static JsonArray klineRow(Candle c) {
    return new JsonArray()
        .add(c.openTime())
        .add(dec8(c.open()))
        .add(dec8(c.high()))
        .add(dec8(c.low()))
        .add(dec8(c.close()))
        .add(dec8(c.volume()))
        .add(c.closeTime())
        .add(dec8(c.quoteVolume()))
        .add(c.trades())
        .add(dec8(c.takerBuyVolume()))
        .add(dec8(c.takerBuyQuoteVolume()))
        .add("0");
  }

  static JsonObject error(int code, String msg) {
    return new JsonObject().put("code", code).put("msg", msg);
  }
}
