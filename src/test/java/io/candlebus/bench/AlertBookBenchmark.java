package io.candlebus.bench;

import io.candlebus.alerts.AlertBook;
import io.candlebus.alerts.AlertSpec;
import io.candlebus.alerts.AlertSpec.Frequency;
import io.candlebus.alerts.AlertSpec.Kind;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Alert evaluation on the trade path, one thread (issue 13: target 1 000 000 trades/s with 100 000 alerts on one
 * symbol). 100 000 alerts on BTCUSDT, levels spread over ±5 % of the price in cents — a quarter each crossing up,
 * crossing down, above, below; every time with a 1 min cooldown — and a walk of 100 000 trades (one a millisecond)
 * of ±0–{@code step} cents: 3 is a quiet market (a crossing now and then), 50 a violent one (25 000 levels a
 * direction over ±2 500.00 and steps of 25 cents on average: about one level reached per trade, its alert then
 * cooling for a minute, 60 000 trades). One operation = one trade, fired alerts included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class AlertBookBenchmark {
  static final int ALERTS = 100_000;
  static final int TRADES = 100_000;
  static final String SYMBOL = "BTCUSDT";

  @Param({"3", "50"})
  public int step;

  private AlertBook book;
  private BigDecimal[] prices;
  private long time;
  private int next;

  @Setup
  public void fill() {
    SplittableRandom r = new SplittableRandom(13);
    book = new AlertBook();
    long mid = 5_000_000; // 50 000.00 in cents
    Kind[] kinds = Kind.values();
    for (int i = 0; i < ALERTS; i++) {
      Kind kind = kinds[i % 4];
      long cents = mid + r.nextLong(-250_000, 250_001);
      // above/below alerts away from the walk, or every trade would fire them after each cooldown
      if (kind == Kind.PRICE_ABOVE) {
        cents = mid + 60_000 + r.nextLong(200_000);
      } else if (kind == Kind.PRICE_BELOW) {
        cents = mid - 60_000 - r.nextLong(200_000);
      }
      book.put(AlertSpec.level(i, "user" + (i % 1_000), SYMBOL, kind, BigDecimal.valueOf(cents, 2),
          Frequency.EVERY));
    }
    prices = new BigDecimal[TRADES];
    long p = mid;
    for (int t = 0; t < TRADES; t++) {
      p += r.nextInt(-step, step + 1);
      prices[t] = BigDecimal.valueOf(p, 2);
    }
    time = 1_767_225_600_000L;
  }

  @Benchmark
  @OperationsPerInvocation(1)
  public void trade(Blackhole bh) {
    BigDecimal price = prices[next];
    next = next + 1 == TRADES ? 0 : next + 1;
    bh.consume(book.onTrade(SYMBOL, time++, price));
  }
}
