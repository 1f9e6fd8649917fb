package io.candlebus.simulator;

/**
 * SplitMix64, written out here rather than taken from the JDK so that the trade history of a seed can never
 * change with a JDK version: its output is fixed by these few lines.
 */
final class SplitMix64 {
  private long state;

  SplitMix64(long seed) {
    this.state = seed;
  }

  /** A seed for one symbol: the same (seed, symbol) always gives the same stream, others differ. */
  static long seedFor(long seed, String symbol) {
    long h = 1125899906842597L;
    for (int i = 0; i < symbol.length(); i++) {
      h = 31 * h + symbol.charAt(i);
    }
    return new SplitMix64(seed ^ new SplitMix64(h).nextLong()).nextLong();
  }

  long nextLong() {
    long z = (state += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [0, 1). */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound), bound > 0; the modulo bias is irrelevant for a simulation. */
  int nextInt(int bound) {
    return (int) ((nextLong() >>> 1) % bound);
  }
}
