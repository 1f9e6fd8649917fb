package io.candlebus.upstream;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Trade;

/** What one upstream text frame turned out to be. */
public sealed interface StreamEvent {

  /** An aggTrade. */
  record TradeEvent(Trade trade) implements StreamEvent {}

  /** A kline update ({@code closed} = Binance's {@code x}) and the frame's event time. */
  record KlineEvent(Candle kline, long eventTime) implements StreamEvent {}

  /** Binance will close the connection soon: reconnect. */
  record ShutdownEvent(long eventTime) implements StreamEvent {}

  /** The answer to one of our control messages (SUBSCRIBE, ...): a result, or an error code. */
  record ControlReply(String id, Integer errorCode, String message) implements StreamEvent {}

  /** A well-formed event of a kind we do not use (depth, tickers, ...). */
  record Ignored(String kind) implements StreamEvent {}

  /** A frame that could not be used; {@code kind} is the counter label, {@code detail} for the log. */
  record Malformed(String kind, String detail) implements StreamEvent {}
}
