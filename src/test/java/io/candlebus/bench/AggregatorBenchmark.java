package io.candlebus.bench;

import io.candlebus.candles.CandleAggregator;
import io.candlebus.candles.Provenance;
import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.candlebus.domain.Trade;
import io.candlebus.upstream.BinanceStreamParser;
import io.candlebus.upstream.StreamEvent;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Upstream hot path on one thread: parse combined aggTrade frames and build candles for all 16 intervals.
 * One operation = one aggTrade. Target: at least 1 000 000 aggTrades/s on one core (docs/BENCHMARKS.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class AggregatorBenchmark {
  static final int TRADES = 200_000;

  private String[] frames;
  private Trade[] trades;
  private final BinanceStreamParser parser = new BinanceStreamParser();
  private CandleAggregator aggregator;

  @Setup
  public void generate() {
    // BTCUSDT-like: 8-decimal prices and quantities, ~20 ms apart, 1-3 trades per aggTrade
    SplittableRandom r = new SplittableRandom(42);
    frames = new String[TRADES];
    trades = new Trade[TRADES];
    long price = 5_040_591L; // cents
    long time = 1_621_016_760_000L;
    long tradeId = 833_199_005L;
    for (int i = 0; i < TRADES; i++) {
      price += r.nextInt(-5, 6);
      time += r.nextInt(0, 41);
      long first = tradeId;
      tradeId += r.nextInt(1, 4);
      String p = (price / 100) + "." + String.format("%02d", price % 100) + "000000";
      String q = "0." + String.format("%08d", r.nextInt(1, 100_000_000));
      boolean m = r.nextBoolean();
      frames[i] = "{\"stream\":\"btcusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":" + (time + 1)
          + ",\"s\":\"BTCUSDT\",\"a\":" + (400_000_000L + i) + ",\"p\":\"" + p + "\",\"q\":\"" + q + "\",\"f\":"
          + first + ",\"l\":" + (tradeId - 1) + ",\"T\":" + time + ",\"m\":" + m + ",\"M\":true}}";
      trades[i] = ((StreamEvent.TradeEvent) parser.parse(frames[i])).trade();
    }
  }

  /**
   * A fresh aggregator in its steady state: the windows it joined mid-way already seeded by Binance's kline
   * updates, as happens within seconds of a start.
   */
  @Setup(Level.Invocation)
  public void freshAggregator() {
    aggregator = new CandleAggregator("BTCUSDT", Interval.all(), 2_000);
    CandleAggregator.Sink none = (c, p) -> { };
    Trade first = trades[0];
    aggregator.onTrade(first, none);
    for (Interval i : Interval.all()) {
      Candle update = aggregator.current(i);
      aggregator.onBinanceKline(update, none);
      if (aggregator.currentProvenance(i) != Provenance.SEEDED) {
        throw new IllegalStateException("not seeded: " + i);
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(TRADES - 1)
  public void parseAndAggregate(Blackhole bh) {
    CandleAggregator.Sink sink = (c, p) -> bh.consume(c);
    for (int i = 1; i < TRADES; i++) {
      StreamEvent e = parser.parse(frames[i]);
      bh.consume(aggregator.onTrade(((StreamEvent.TradeEvent) e).trade(), sink));
    }
  }

  @Benchmark
  @OperationsPerInvocation(TRADES - 1)
  public void aggregateOnly(Blackhole bh) {
    CandleAggregator.Sink sink = (c, p) -> bh.consume(c);
    for (int i = 1; i < TRADES; i++) {
      bh.consume(aggregator.onTrade(trades[i], sink));
    }
  }

  @Benchmark
  @OperationsPerInvocation(TRADES)
  public void parseOnly(Blackhole bh) {
    for (String frame : frames) {
      bh.consume(parser.parse(frame));
    }
  }
}
