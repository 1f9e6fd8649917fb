package io.candlebus;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Decimals;
import io.candlebus.domain.Interval;
import io.candlebus.domain.Trade;
import io.candlebus.tickers.Ticker;
import io.candlebus.tickers.TickerBoard;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;

/** The message shapes of SPEC.md "Event bus": decimals as exact strings, times as epoch ms. */
public final class MarketJson {
  private MarketJson() {}

  /** A board entry: the market's statistics over its window, valid at exchange time {@code time}. */
  public static JsonObject ticker(TickerBoard.Row r) {
    Ticker t = r.ticker();
    JsonObject o = new JsonObject()
        .put("symbol", t.symbol())
        .put("window", t.window().code())
        .put("time", t.time())
        .put("last", Decimals.plain(t.last()))
        .put("open", Decimals.plain(t.open()))
        .put("high", Decimals.plain(t.high()))
        .put("low", Decimals.plain(t.low()))
        .put("change", Decimals.plain(t.change()))
        .put("changePercent", Decimals.plain(t.changePercent()))
        .put("volume", Decimals.plain(t.volume()))
        .put("quoteVolume", Decimals.plain(t.quoteVolume()));
    if (r.market() != null) {
      o.put("baseAsset", r.market().baseAsset()).put("quoteAsset", r.market().quoteAsset())
          .put("status", r.market().status());
    }
    return o;
  }

  public static JsonObject trade(Trade t) {
    return new JsonObject()
        .put("symbol", t.symbol())
        .put("tradeId", t.aggId())
        .put("firstTradeId", t.firstTradeId())
        .put("lastTradeId", t.lastTradeId())
        .put("price", Decimals.plain(t.price()))
        .put("qty", Decimals.plain(t.qty()))
        .put("time", t.time())
        .put("buyerMaker", t.buyerMaker());
  }

  /** A candle; trade ids are left out when unknown (stored rows and REST klines do not carry them). */
  public static JsonObject candle(Candle c) {
    JsonObject o = new JsonObject()
        .put("symbol", c.symbol())
        .put("interval", c.interval().code())
        .put("openTime", c.openTime())
        .put("closeTime", c.closeTime())
        .put("open", Decimals.plain(c.open()))
        .put("high", Decimals.plain(c.high()))
        .put("low", Decimals.plain(c.low()))
        .put("close", Decimals.plain(c.close()))
        .put("volume", Decimals.plain(c.volume()))
        .put("quoteVolume", Decimals.plain(c.quoteVolume()))
        .put("takerBuyVolume", Decimals.plain(c.takerBuyVolume()))
        .put("takerBuyQuoteVolume", Decimals.plain(c.takerBuyQuoteVolume()))
        .put("trades", c.trades());
    if (c.firstTradeId() != Candle.NO_ID || c.trades() == 0) {
      o.put("firstTradeId", c.firstTradeId()).put("lastTradeId", c.lastTradeId());
    }
    return o.put("closed", c.closed());
  }

  public static Candle candle(JsonObject o) {
    return new Candle(
        o.getString("symbol"),
        Interval.fromCode(o.getString("interval")).orElseThrow(),
        o.getLong("openTime"),
        o.getLong("closeTime"),
        new BigDecimal(o.getString("open")),
        new BigDecimal(o.getString("high")),
        new BigDecimal(o.getString("low")),
        new BigDecimal(o.getString("close")),
        new BigDecimal(o.getString("volume")),
        new BigDecimal(o.getString("quoteVolume")),
        new BigDecimal(o.getString("takerBuyVolume")),
        new BigDecimal(o.getString("takerBuyQuoteVolume")),
        o.getLong("trades"),
        o.getLong("firstTradeId", Candle.NO_ID),
        o.getLong("lastTradeId", Candle.NO_ID),
        o.getBoolean("closed", true));
  }

  public static JsonObject status(String state, long since, String reason) {
    return new JsonObject().put("state", state).put("since", since).put("reason", reason);
  }
}
