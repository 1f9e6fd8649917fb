package io.candlebus.depth;

import java.util.List;

/**
 * A {@code depthUpdate} event of {@code <symbol>@depth[@100ms]}: the levels that changed between update ids
 * {@code firstId} ({@code U}) and {@code finalId} ({@code u}), at exchange time {@code eventTime} ({@code E}).
 */
public record DepthDiff(String symbol, long eventTime, long firstId, long finalId, List<Level> bids,
    List<Level> asks) {

  public DepthDiff {
    bids = List.copyOf(bids);
    asks = List.copyOf(asks);
  }
}
