/**
 * The all-market ticker board, free of Vert.x: Binance's ticker frames and REST answers parsed into exact
 * {@link io.candlebus.tickers.Ticker}s, and the {@link io.candlebus.tickers.TickerBoard} that merges them so that
 * per market the value valid for the later exchange time wins, whatever order they arrive in.
 */
package io.candlebus.tickers;
