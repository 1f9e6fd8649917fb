package io.candlebus.depth;

import java.util.List;

/** {@code GET /api/v3/depth}: the book at update id {@code lastUpdateId}, best levels first. */
public record DepthSnapshot(long lastUpdateId, List<Level> bids, List<Level> asks) {

  public DepthSnapshot {
    bids = List.copyOf(bids);
    asks = List.copyOf(asks);
  }
}
