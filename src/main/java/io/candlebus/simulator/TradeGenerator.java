package io.candlebus.simulator;

/**
 * Draws one symbol's aggTrades in order from a seeded PRNG. Each call consumes a fixed number of draws, so the
 * n-th trade depends only on (seed, symbol, history start, rate), never on when it is asked for.
 *
 * <p>Prices are a random walk in ticks of 0.01 held within ±10% of a per-symbol base; quantities are in steps of
 * 0.00001 with a notional of up to about 5000 quote units, skewed to small; inter-arrival gaps are exponential
 * with mean 1000/rate ms, in whole ms (so several trades may share a millisecond).
 */
final class TradeGenerator {
  /** Prices are in ticks of 0.01: a price of 123.45 is 12345 ticks. */
  static final int PRICE_SCALE = 2;
  /** Quantities are in steps of 0.00001. */
  static final int QTY_SCALE = 5;

  private final SplitMix64 rng;
  private final double meanGapMs;
  private final long baseTicks;
  private final int maxStepTicks;
  private final long maxQtySteps;

  private long time;
  private long priceTicks;
  private long nextAggId;
  private long nextTradeId;

  /** The trade last drawn by {@link #next()}; fields are overwritten by the following call. */
  long tTime;
  int tPrice;
  int tQty;
  long tAggId;
  long tFirstTradeId;
  int tCount;
  boolean tBuyerMaker;

  TradeGenerator(long seed, String symbol, double rate, long historyStart) {
    this.rng = new SplitMix64(SplitMix64.seedFor(seed, symbol));
    this.meanGapMs = 1000.0 / rate;
    this.baseTicks = basePrice(symbol) * 100L;
    this.maxStepTicks = (int) Math.max(2, baseTicks / 100_000);
    // a notional of up to ~5000 quote units per aggTrade
    this.maxQtySteps = Math.max(10, Math.min(Integer.MAX_VALUE / 2, 5000L * 100_000L / basePrice(symbol)));
    this.time = historyStart;
    this.priceTicks = baseTicks;
    this.nextAggId = 1_000_000L + (rng.nextLong() >>> 1) % 9_000_000L;
    this.nextTradeId = nextAggId * 2 + (rng.nextLong() >>> 1) % 1_000L;
  }

  /** BTCUSDT ~50000, ETHUSDT ~3000, everything else ~10 (whole quote units). */
  static long basePrice(String symbol) {
    return switch (symbol) {
      case "BTCUSDT" -> 50_000L;
      case "ETHUSDT" -> 3_000L;
      default -> 10L;
    };
  }

  /** Draws the next trade into the {@code t*} fields. */
  void next() {
    double u = rng.nextDouble();
    long gap = (long) Math.floor(-StrictMath.log(1.0 - u) * meanGapMs);
    time += Math.max(0, gap);

    int step = rng.nextInt(2 * maxStepTicks + 1) - maxStepTicks;
    if (priceTicks > baseTicks + baseTicks / 10) {
      step = -Math.abs(step);
    } else if (priceTicks < baseTicks - baseTicks / 10) {
      step = Math.abs(step);
    }
    priceTicks = Math.max(1, priceTicks + step);

    double q = rng.nextDouble();
    long qty = 1 + (long) (q * q * q * maxQtySteps);
    int count = 1 + rng.nextInt(3);
    boolean buyerMaker = rng.nextLong() < 0;

    tTime = time;
    tPrice = (int) priceTicks;
    tQty = (int) qty;
    tAggId = nextAggId++;
    tFirstTradeId = nextTradeId;
    tCount = count;
    tBuyerMaker = buyerMaker;
    nextTradeId += count;
  }
}
