package io.candlebus.simulator;

import io.candlebus.domain.Trade;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * Agg id ranges left out on purpose: skipped ones are missing from every stream, lost ones also from REST
 * aggTrades. Klines (stream and REST) always keep them: the trades happened, the client just never heard of them.
 * Ranges are added on the event loop and read from any thread.
 */
final class TradeFaults {
  private final Map<String, List<LongRange>> hidden = new ConcurrentHashMap<>();
  private final Map<String, List<LongRange>> lost = new ConcurrentHashMap<>();

  /**
   * Hides the next {@code count} ids from {@code firstNotStreamed} on, after any range already hidden, so that
   * two calls in a row leave out two different runs of trades.
   */
  LongRange hide(String symbol, long firstNotStreamed, int count, boolean alsoFromRest) {
    List<LongRange> h = hidden.computeIfAbsent(symbol, k -> new CopyOnWriteArrayList<>());
    long first = firstNotStreamed;
    for (LongRange r : h) {
      first = Math.max(first, r.last() + 1);
    }
    LongRange range = new LongRange(first, first + count - 1);
    h.add(range);
    if (alsoFromRest) {
      lost.computeIfAbsent(symbol, k -> new CopyOnWriteArrayList<>()).add(range);
    }
    return range;
  }

  boolean hiddenFromStream(String symbol, long aggId) {
    return in(hidden.get(symbol), aggId);
  }

  boolean lost(String symbol, long aggId) {
    return in(lost.get(symbol), aggId);
  }

  /**
   * The answer of a REST aggTrades query with the lost trades taken out and still up to {@code limit} trades:
   * {@code query} is asked for {@code limit} plus the number of lost ids, then cut to {@code limit} from the
   * start, or from the end when {@code newest} (the "latest trades" query).
   */
  List<Trade> withoutLost(String symbol, int limit, boolean newest, IntFunction<List<Trade>> query) {
    List<LongRange> l = lost.get(symbol);
    if (l == null || l.isEmpty()) {
      return query.apply(limit);
    }
    long extra = l.stream().mapToLong(LongRange::size).sum();
    List<Trade> kept = new ArrayList<>();
    for (Trade t : query.apply((int) Math.min(Integer.MAX_VALUE - limit, extra) + limit)) {
      if (!in(l, t.aggId())) {
        kept.add(t);
      }
    }
    int n = kept.size();
    return n <= limit ? kept : newest ? kept.subList(n - limit, n) : kept.subList(0, limit);
  }

  private static boolean in(List<LongRange> ranges, long aggId) {
    if (ranges == null) {
      return false;
    }
    for (LongRange r : ranges) {
      if (r.contains(aggId)) {
        return true;
      }
    }
    return false;
  }
}
