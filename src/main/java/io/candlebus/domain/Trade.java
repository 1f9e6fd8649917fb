package io.candlebus.domain;

import java.math.BigDecimal;

/**
 * One Binance aggregate trade: the fills of one taker order at one price.
 *
 * @param symbol upper-case symbol, e.g. BTCUSDT
 * @param aggId Binance's aggregate trade id ({@code a})
 * @param price exact price as sent
 * @param qty exact base quantity as sent
 * @param firstTradeId first individual trade id ({@code f})
 * @param lastTradeId last individual trade id ({@code l}); the aggregate holds {@code l - f + 1} trades
 * @param time trade time ({@code T}), epoch ms UTC
 * @param buyerMaker {@code m}: true when the buyer was the maker, i.e. the taker sold
 * @param eventTime stream event time ({@code E}); for trades from REST, the trade time
 */
public record Trade(
    String symbol,
    long aggId,
    BigDecimal price,
    BigDecimal qty,
    long firstTradeId,
    long lastTradeId,
    long time,
    boolean buyerMaker,
    long eventTime) {

  /** Number of individual trades in this aggregate. */
  public long tradeCount() {
    return lastTradeId - firstTradeId + 1;
  }

  /**
   * Binance marks invalidated duplicate records with {@code p="0", q="0", f=-1, l=-1} (changelog 2022-04-12);
   * such records, and any with a non-positive price or quantity, never enter a candle.
   */
  public boolean isValid() {
    return firstTradeId >= 0
        && lastTradeId >= firstTradeId
        && price != null
        && qty != null
        && price.signum() > 0
        && qty.signum() > 0;
  }
}
