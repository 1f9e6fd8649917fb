package io.candlebus.depth;

import java.util.List;

/**
 * One symbol's book as it stood at a 100 ms tick: {@code time} is the tick (UTC epoch ms, local receive clock),
 * bids and asks best first.
 */
public record DepthRow(String symbol, long time, long updateId, long eventTime, List<Level> bids,
    List<Level> asks) {
  public DepthRow {
    bids = List.copyOf(bids);
    asks = List.copyOf(asks);
  }
}
