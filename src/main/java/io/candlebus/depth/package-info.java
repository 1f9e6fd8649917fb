/**
 * Order books, free of Vert.x: Binance's depth JSON parsed exactly ({@link io.candlebus.depth.DepthParser}), a
 * local book ({@link io.candlebus.depth.OrderBook}) and the snapshot-plus-diffs synchronisation that keeps it
 * right ({@link io.candlebus.depth.BookSync}).
 */
package io.candlebus.depth;
