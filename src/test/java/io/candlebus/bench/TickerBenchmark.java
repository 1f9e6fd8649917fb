package io.candlebus.bench;

import io.candlebus.tickers.TickerBoard;
import io.candlebus.tickers.TickerParser;
import io.candlebus.tickers.TickerWindow;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The all-market board on one thread. One operation = one {@code !miniTicker@arr} frame of 1 500 markets, as the
 * combined stream wraps it (about 230 KB), parsed and merged into the board: Binance sends at most one such frame
 * a second, so the target is 1 op/s on one core (issue 11). The 60 frames are one simulated minute with rising
 * event times; when they wrap the board starts empty, so every merge takes its value (never the cheap refusal).
 * {@code parseOnly} shows the parser's share.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class TickerBenchmark {
  static final int MARKETS = 1_500;
  static final int FRAMES = 60;

  private String[] frames;
  private int next;
  private TickerBoard board;

  @Setup
  public void generate() {
    SplittableRandom r = new SplittableRandom(11);
    String[] quotes = {"USDT", "BTC", "ETH", "FDUSD", "TRY"};
    BigDecimal[] price = new BigDecimal[MARKETS];
    for (int m = 0; m < MARKETS; m++) {
      price[m] = BigDecimal.valueOf(1 + r.nextInt(5_000_000), 4);
    }
    frames = new String[FRAMES];
    long e = 1_767_225_600_000L;
    for (int f = 0; f < FRAMES; f++) {
      StringBuilder b = new StringBuilder(MARKETS * 160).append("{\"stream\":\"!miniTicker@arr\",\"data\":[");
      for (int m = 0; m < MARKETS; m++) {
        price[m] = price[m].multiply(BigDecimal.valueOf(999 + r.nextInt(3), 3)).setScale(8, RoundingMode.HALF_UP);
        String c = price[m].toPlainString();
        if (m > 0) {
          b.append(',');
        }
        b.append("{\"e\":\"24hrMiniTicker\",\"E\":").append(e + f * 1_000L + r.nextInt(50))
            .append(",\"s\":\"").append(String.format("C%04d", m)).append(quotes[m % quotes.length])
            .append("\",\"c\":\"").append(c).append("\",\"o\":\"").append(c).append("\",\"h\":\"").append(c)
            .append("\",\"l\":\"").append(c).append("\",\"v\":\"").append(r.nextInt(10_000_000)).append(".12345000")
            .append("\",\"q\":\"").append(r.nextInt(1_000_000_000)).append(".87654321\"}");
      }
      frames[f] = b.append("]}").toString();
    }
    board = new TickerBoard(TickerWindow.H24);
  }

  private String nextFrame() {
    if (next == FRAMES) {
      next = 0;
      board = new TickerBoard(TickerWindow.H24);
    }
    return frames[next++];
  }

  @Benchmark
  public int parseAndMerge() {
    return board.merge(TickerParser.streamFrame(nextFrame()).tickers());
  }

  @Benchmark
  public void parseOnly(Blackhole bh) {
    bh.consume(TickerParser.streamFrame(nextFrame()));
  }
}
