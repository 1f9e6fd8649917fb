package io.candlebus.depth;

import java.util.List;

/** A 100 ms tick for the recorder: the rows of every book live at {@code time}; none for a book being rebuilt. */
public record DepthTick(long time, List<DepthRow> rows) {
  public DepthTick {
    rows = List.copyOf(rows);
  }
}
