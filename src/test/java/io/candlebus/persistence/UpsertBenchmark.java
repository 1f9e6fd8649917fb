package io.candlebus.persistence;

import ch.qos.logback.classic.Level;
import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.LoggerFactory;

/**
 * Candle upserts per second through {@link CandleStore} against the embedded PostgreSQL as candlebus runs it
 * (fsync and synchronous_commit on). Not a JUnit test:
 *
 * <pre>
 * mvn -q -Pbench test-compile exec:exec -Dbench.main=io.candlebus.persistence.UpsertBenchmark \
 *     -Dbench.args="200000 [batch=10000] [chunk=2000] [parallel=2] [sync=on|off]"
 * </pre>
 *
 * <p>{@code batch}: candles per {@code upsert} call (calls run one after the other, as the writer does);
 * {@code chunk}: rows per statement; {@code parallel}: statements of one call in flight; {@code sync=off} sets
 * {@code synchronous_commit = off} for the benchmark's database.
 */
public final class UpsertBenchmark {
  private static final String[] SYMBOLS = {"BTCUSDT", "ETHUSDT", "BNBUSDT", "SOLUSDT"};
  private static final Interval[] INTERVALS = {Interval.M1, Interval.M5, Interval.M15, Interval.H1, Interval.D1};

  private static long postmasterPid;

  private UpsertBenchmark() {}

  public static void main(String[] args) throws Exception {
    // without a logback.xml the console gets every DEBUG line of Netty and Vert.x
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    Map<String, String> opt = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      opt.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    int batch = Integer.parseInt(opt.getOrDefault("batch", "10000"));
    int chunk = Integer.parseInt(opt.getOrDefault("chunk", Integer.toString(CandleStore.DEFAULT_CHUNK)));
    int parallel = Integer.parseInt(opt.getOrDefault("parallel", Integer.toString(CandleStore.DEFAULT_PARALLELISM)));
    boolean syncOff = "off".equals(opt.get("sync"));

    Path dir = Files.createTempDirectory("candlebus-bench");
    Vertx vertx = Vertx.vertx();
    EmbeddedDatabase db = EmbeddedDatabase.start(vertx, dir.resolve("pg")).await();
    try {
      postmasterPid = Long.parseLong(Files.readAllLines(db.dataDirectory().resolve("postmaster.pid")).get(0).trim());
      if (syncOff) {
        Pool admin = PgPools.create(vertx, db.connectOptions(), 1);
        admin.query("ALTER DATABASE postgres SET synchronous_commit = off").execute().await();
        admin.close().await();
      }
      Pool pool = PgPools.create(vertx, db.connectOptions());
      Schema.migrate(pool).await();
      CandleStore store = new CandleStore(pool, chunk, parallel);

      System.out.printf("candle upserts: %d rows, %d per upsert call, %d rows per statement, %d statements "
          + "in flight, synchronous_commit=%s, %d symbols x %d intervals%n", n, batch, chunk, parallel,
          syncOff ? "off" : "on", SYMBOLS.length, INTERVALS.length);
      run(store, "warm-up (not counted)", candles(100_000, 7, 0), batch);
      List<Candle> rows = candles(n, 1, 0);
      run(store, "insert new rows", rows, batch);
      run(store, "update every row", candles(n, 1, 1), batch);
      run(store, "re-upsert unchanged", candles(n, 1, 1), batch);
      pool.close().await();
    } finally {
      db.stop(vertx).await();
      vertx.close().await();
    }
  }

  private static void run(CandleStore store, String what, List<Candle> rows, int batch) {
    double jvm0 = jvmCpuSeconds();
    double pg0 = postgresCpuSeconds();
    long start = System.nanoTime();
    long written = 0;
    for (int i = 0; i < rows.size(); i += batch) {
      written += store.upsert(rows.subList(i, Math.min(rows.size(), i + batch))).await();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("  %-22s %8d candles in %6.2f s = %8.0f candles/s (%d rows written; CPU s: JVM %.2f, "
        + "postgres %.2f)%n", what, rows.size(), seconds, rows.size() / seconds, written, jvmCpuSeconds() - jvm0,
        postgresCpuSeconds() - pg0);
  }

  private static double jvmCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }

  /** User+system CPU of our postmaster and its children (Linux /proc; 0 elsewhere). */
  private static double postgresCpuSeconds() {
    Optional<ProcessHandle> postmaster = ProcessHandle.of(postmasterPid);
    if (postmaster.isEmpty()) {
      return 0;
    }
    long ticks = 0;
    List<ProcessHandle> tree = new ArrayList<>(postmaster.get().descendants().toList());
    tree.add(postmaster.get());
    for (ProcessHandle p : tree) {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
      } catch (IOException | RuntimeException goneOrNotLinux) {
        // a backend that exited meanwhile, or no /proc
      }
    }
    return ticks / 100.0; // USER_HZ
  }

  /** {@code n} distinct keys spread over the symbols and intervals; {@code version} changes every value. */
  private static List<Candle> candles(int n, long seed, int version) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Candle> out = new ArrayList<>(n);
    int series = SYMBOLS.length * INTERVALS.length;
    // each seed its own stretch of time, the warm-up's (seed 7) before the measured one's (seed 1)
    long start = 1_600_000_000_000L / 86_400_000L * 86_400_000L - (seed - 1) * 100_000_000_000L;
    for (int i = 0; i < n; i++) {
      String symbol = SYMBOLS[i % SYMBOLS.length];
      Interval interval = INTERVALS[(i / SYMBOLS.length) % INTERVALS.length];
      long open = interval.openTime(start) + (long) (i / series) * interval.approxMillis();
      BigDecimal price = BigDecimal.valueOf(2_000_000 + rnd.nextInt(8_000_000) + version, 2); // 20000.00-99999.99
      BigDecimal volume = BigDecimal.valueOf(rnd.nextLong(1, 10_000_000_000L), 8);
      BigDecimal quote = price.multiply(volume);
      out.add(new Candle(symbol, interval, open, interval.closeTime(open), price, price.add(BigDecimal.ONE),
          price.subtract(BigDecimal.ONE), price.add(new BigDecimal("0.37")), volume, quote,
          volume.movePointLeft(1), quote.movePointLeft(1), rnd.nextInt(1, 5000), Candle.NO_ID, Candle.NO_ID, true));
    }
    return out;
  }
}
