package io.candlebus.simulator;

import io.candlebus.domain.Trade;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The deterministic aggTrades of one symbol: consecutive agg ids, 1-3 individual trades each with consecutive
 * trade ids, non-decreasing times. Trades are generated lazily as simulated time advances and kept in compact
 * arrays; once more than {@code maxTrades} are held, the oldest are dropped a block at a time. Queries for
 * dropped ids or times answer from the oldest trade still held ({@link #firstAggId()}). A block's arrays start
 * small and double as trades arrive, so a quiet symbol costs kilobytes, not a full block (1.7 MB at the default
 * cap): 1 500 symbols fit in a test JVM.
 *
 * <p>Thread-safe: one writer at a time generates, readers never block. Readers work on an immutable snapshot
 * (chunk list and size, published through a volatile field) so a long REST query cannot stall the stream.
 * Prices and quantities come out with scale 8, exactly as Binance prints them ("50405.91000000").
 */
public final class TradeHistory {
  private static final long PRICE_UNIT = 1_000_000L;  // ticks of 0.01 -> units of 1e-8
  private static final long QTY_UNIT = 1_000L;        // steps of 0.00001 -> units of 1e-8
  private static final int FIRST_CHUNK_CAPACITY = 64;

  private final String symbol;
  private final TradeGenerator gen;
  private final int maxTrades;
  private final int chunkBits;
  private final Object writeLock = new Object();
  private volatile View view;

  /** Trades held are indexes 0..size-1 from agg id {@code baseAggId}; evicted* describe what was dropped. */
  private record View(List<Chunk> chunks, long baseAggId, int size, long generatedUntil, long firstTime,
      long evictedUntil, long evictedLastPrice) {}

  private static final class Chunk {
    final long[] time;
    final long[] firstTradeId;
    final int[] price;
    final int[] qty;
    final byte[] count;
    final boolean[] buyerMaker;

    Chunk(int n) {
      time = new long[n];
      firstTradeId = new long[n];
      price = new int[n];
      qty = new int[n];
      count = new byte[n];
      buyerMaker = new boolean[n];
    }

    int capacity() {
      return time.length;
    }

    /** A copy with room for {@code n} trades holding this one's first {@code used}. */
    Chunk grown(int n, int used) {
      Chunk c = new Chunk(n);
      System.arraycopy(time, 0, c.time, 0, used);
      System.arraycopy(firstTradeId, 0, c.firstTradeId, 0, used);
      System.arraycopy(price, 0, c.price, 0, used);
      System.arraycopy(qty, 0, c.qty, 0, used);
      System.arraycopy(count, 0, c.count, 0, used);
      System.arraycopy(buyerMaker, 0, c.buyerMaker, 0, used);
      return c;
    }
  }

  /**
   * The trades held at one moment, read by agg id without building {@link Trade}s: what the rolling ticker
   * windows read. Every id from {@link #first()} to {@link #last()} can be read; others cannot.
   */
  final class Raw {
    private final View v;

    private Raw(View v) {
      this.v = v;
    }

    long first() {
      return v.baseAggId;
    }

    long last() {
      return v.baseAggId + v.size - 1;
    }

    long time(long aggId) {
      int i = index(aggId);
      return chunk(v, i).time[i & mask()];
    }

    /** Price in ticks of 0.01. */
    int priceTicks(long aggId) {
      int i = index(aggId);
      return chunk(v, i).price[i & mask()];
    }

    /** Quantity in steps of 0.00001. */
    int qtySteps(long aggId) {
      int i = index(aggId);
      return chunk(v, i).qty[i & mask()];
    }

    private int index(long aggId) {
      long i = aggId - v.baseAggId;
      if (i < 0 || i >= v.size) {
        throw new IndexOutOfBoundsException("agg id " + aggId + " not held (" + first() + ".." + last() + ")");
      }
      return (int) i;
    }
  }

  TradeHistory(String symbol, long seed, double rate, long historyStart, int maxTrades) {
    this.symbol = symbol;
    this.gen = new TradeGenerator(seed, symbol, rate, historyStart);
    this.maxTrades = maxTrades;
    int chunk = Integer.highestOneBit(Math.max(256, Math.min(65_536, maxTrades / 8)));
    this.chunkBits = Integer.numberOfTrailingZeros(chunk);
    gen.next();
    this.view = new View(List.of(), gen.tAggId, 0, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, -1);
  }

  public String symbol() {
    return symbol;
  }

  /** Oldest agg id held (the first ever, unless older ones were dropped). */
  public long firstAggId() {
    return view.baseAggId;
  }

  /** Newest agg id generated so far; {@code firstAggId() - 1} when there is none yet. */
  public long lastAggId() {
    View v = view;
    return v.baseAggId + v.size - 1;
  }

  public int size() {
    return view.size;
  }

  /** Every trade with time <= this has been generated. */
  public long generatedUntil() {
    return view.generatedUntil;
  }

  /** Time of the very first trade of the history, {@link Long#MAX_VALUE} before there is one. */
  public long firstTradeTime() {
    return view.firstTime;
  }

  /** Trades from this time on are all held; {@link Long#MIN_VALUE} while nothing was dropped. */
  public long completeFrom() {
    View v = view;
    return v.evictedUntil == Long.MIN_VALUE ? Long.MIN_VALUE : v.evictedUntil + 1;
  }

  /** Held trades with fromTimeIncl <= time <= toTimeIncl, oldest first. */
  public List<Trade> between(long fromTimeIncl, long toTimeIncl) {
    View v = view;
    int from = lowerBound(v, fromTimeIncl);
    int to = toTimeIncl == Long.MAX_VALUE ? v.size : lowerBound(v, toTimeIncl + 1);
    return collect(v, from, to);
  }

  /** Up to {@code limit} trades from agg id {@code aggId} on (from the oldest held if it was dropped). */
  public List<Trade> fromId(long aggId, int limit) {
    View v = view;
    long start = Math.max(0, aggId - v.baseAggId);
    if (start >= v.size) {
      return List.of();
    }
    return collect(v, (int) start, (int) Math.min(v.size, start + limit));
  }

  /** Up to {@code limit} trades with time >= fromTimeIncl, oldest first. */
  public List<Trade> fromTime(long fromTimeIncl, long toTimeIncl, int limit) {
    View v = view;
    int from = lowerBound(v, fromTimeIncl);
    int to = toTimeIncl == Long.MAX_VALUE ? v.size : lowerBound(v, toTimeIncl + 1);
    return collect(v, from, Math.min(to, from + limit));
  }

  /** The {@code limit} most recent trades with time <= toTimeIncl, oldest first. */
  public List<Trade> latest(long toTimeIncl, int limit) {
    View v = view;
    int to = toTimeIncl == Long.MAX_VALUE ? v.size : lowerBound(v, toTimeIncl + 1);
    return collect(v, Math.max(0, to - limit), to);
  }

  /** Price of the last trade before {@code time}, also when that trade was dropped from memory. */
  public Optional<BigDecimal> priceBefore(long time) {
    View v = view;
    int i = lowerBound(v, time) - 1;
    if (i >= 0) {
      return Optional.of(price(chunk(v, i).price[i & mask()]));
    }
    return v.evictedLastPrice < 0 ? Optional.empty() : Optional.of(price(v.evictedLastPrice));
  }

  /** The most recent trade, if any. */
  public Optional<Trade> last() {
    View v = view;
    return v.size == 0 ? Optional.empty() : Optional.of(trade(v, v.size - 1));
  }

  /** The trades held now, for reads by agg id. */
  Raw raw() {
    return new Raw(view);
  }

  /** A price in ticks of 0.01 as Binance prints it (scale 8). */
  static BigDecimal priceOfTicks(long ticks) {
    return price(ticks);
  }

  /** A quantity in steps of 0.00001 as Binance prints it (scale 8). */
  static BigDecimal qtyOfSteps(long steps) {
    return BigDecimal.valueOf(steps * QTY_UNIT, 8);
  }

  /** Agg id of the first held trade with time >= {@code time}; {@code lastAggId() + 1} if there is none yet. */
  long aggIdAtOrAfter(long time) {
    View v = view;
    return v.baseAggId + lowerBound(v, time);
  }

  /** Hands every held trade with fromTimeIncl <= time <= toTimeIncl to {@code sink}, in order. */
  void forEachBetween(long fromTimeIncl, long toTimeIncl, Consumer<Trade> sink) {
    View v = view;
    int to = toTimeIncl == Long.MAX_VALUE ? v.size : lowerBound(v, toTimeIncl + 1);
    for (int i = lowerBound(v, fromTimeIncl); i < to; i++) {
      sink.accept(trade(v, i));
    }
  }

  /**
   * Hands trades from agg id {@code fromAggId} with time <= maxTime, in order, to {@code sink}; returns the agg
   * id after the last one handed over (so the caller can continue from it).
   */
  long feed(long fromAggId, long maxTime, Consumer<Trade> sink) {
    View v = view;
    int i = (int) Math.max(0, fromAggId - v.baseAggId);
    long next = Math.max(fromAggId, v.baseAggId);
    for (; i < v.size; i++) {
      if (chunk(v, i).time[i & mask()] > maxTime) {
        break;
      }
      sink.accept(trade(v, i));
      next = v.baseAggId + i + 1;
    }
    return next;
  }

  /** Generates every trade with time <= {@code time}. Deterministic whatever the sequence of calls. */
  void advanceTo(long time) {
    synchronized (writeLock) {
      View v = view;
      if (time <= v.generatedUntil) {
        return;
      }
      List<Chunk> chunks = v.chunks;
      long base = v.baseAggId;
      int size = v.size;
      long firstTime = v.firstTime;
      long evictedUntil = v.evictedUntil;
      long evictedPrice = v.evictedLastPrice;
      int chunkSize = 1 << chunkBits;
      boolean copied = false;  // chunks is still the published (immutable) list until it is copied
      while (gen.tTime <= time) {
        int k = size >> chunkBits;
        int j = size & mask();
        if (k == chunks.size() || j == chunks.get(k).capacity()) {
          if (!copied) {
            chunks = new ArrayList<>(chunks);
            copied = true;
          }
          if (k == chunks.size()) {
            chunks.add(new Chunk(Math.min(chunkSize, FIRST_CHUNK_CAPACITY)));
          } else {
            // readers of older views keep the old arrays, which hold every trade those views show
            chunks.set(k, chunks.get(k).grown(Math.min(chunkSize, 2 * j), j));
          }
        }
        Chunk c = chunks.get(k);
        c.time[j] = gen.tTime;
        c.firstTradeId[j] = gen.tFirstTradeId;
        c.price[j] = gen.tPrice;
        c.qty[j] = gen.tQty;
        c.count[j] = (byte) gen.tCount;
        c.buyerMaker[j] = gen.tBuyerMaker;
        size++;
        firstTime = Math.min(firstTime, gen.tTime);
        gen.next();
        if (size - chunkSize >= maxTrades) {
          Chunk dropped = chunks.get(0);
          evictedUntil = dropped.time[chunkSize - 1];
          evictedPrice = dropped.price[chunkSize - 1];
          chunks = new ArrayList<>(chunks.subList(1, chunks.size()));
          copied = true;
          base += chunkSize;
          size -= chunkSize;
        }
      }
      view = new View(List.copyOf(chunks), base, size, time, firstTime, evictedUntil, evictedPrice);
    }
  }

  private int mask() {
    return (1 << chunkBits) - 1;
  }

  private Chunk chunk(View v, int index) {
    return v.chunks.get(index >> chunkBits);
  }

  /** First index whose time is >= t (size if none). */
  private int lowerBound(View v, long t) {
    int lo = 0;
    int hi = v.size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (chunk(v, mid).time[mid & mask()] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private List<Trade> collect(View v, int from, int to) {
    List<Trade> out = new ArrayList<>(Math.max(0, to - from));
    for (int i = from; i < to; i++) {
      out.add(trade(v, i));
    }
    return out;
  }

  private Trade trade(View v, int i) {
    Chunk c = chunk(v, i);
    int j = i & mask();
    long first = c.firstTradeId[j];
    return new Trade(symbol, v.baseAggId + i, price(c.price[j]), BigDecimal.valueOf(c.qty[j] * QTY_UNIT, 8),
        first, first + c.count[j] - 1, c.time[j], c.buyerMaker[j], c.time[j]);
  }

  private static BigDecimal price(long ticks) {
    return BigDecimal.valueOf(ticks * PRICE_UNIT, 8);
  }
}
