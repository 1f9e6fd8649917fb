package io.candlebus;

import io.candlebus.config.CandlebusConfig;
import io.candlebus.config.ConfigLoader;
import io.candlebus.domain.Trade;
import io.candlebus.persistence.EmbeddedDatabase;
import io.candlebus.persistence.PgPools;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code soak [--minutes M] [--seed S] [--symbols K]}: candlebus against the simulator (60x speed) for M real
 * minutes while random faults hit it: dropped connections, silence, holes in the stream, serverShutdown, 429s
 * and malformed frames. Then compares what was published and stored with the simulator's history: prints trades
 * lost and duplicated (both must be 0), holes filled, reconnects, rotations, and 1m candles that differ from
 * Binance's. Exit code 0 only when nothing was lost, doubled or different.
 */
final class Soak {
  private static final long FAULT_MIN_MS = 2_000;
  private static final long FAULT_MAX_MS = 6_000;

  record Options(double minutes, long seed, int symbols) {}

  private final Options o;
  private final PrintStream out;
  private final Map<String, Integer> faults = new LinkedHashMap<>();

  Soak(Options o, PrintStream out) {
    this.o = o;
    this.out = out;
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    double minutes = 10;
    long seed = 1;
    int symbols = 3;
    try {
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(args[i] + " needs a value");
        }
        switch (args[i]) {
          case "--minutes" -> minutes = Double.parseDouble(args[i + 1]);
          case "--seed" -> seed = Long.parseLong(args[i + 1]);
          case "--symbols" -> symbols = Integer.parseInt(args[i + 1]);
          default -> throw new IllegalArgumentException("unknown argument \"" + args[i] + "\"");
        }
      }
      if (!(minutes > 0 && minutes <= 24 * 60) || symbols < 1 || symbols > 20) {
        throw new IllegalArgumentException("--minutes must be in (0, 1440] and --symbols in 1..20");
      }
    } catch (IllegalArgumentException e) {
      err.println("candlebus: soak: " + e.getMessage());
      return Lifecycle.EXIT_USAGE;
    }
    try {
      return new Soak(new Options(minutes, seed, symbols), out).execute();
    } catch (Exception e) {
      err.println("candlebus: soak failed: " + e);
      return Lifecycle.EXIT_FAILED;
    }
  }

  int execute() throws Exception {
    Path dir = Files.createTempDirectory("candlebus-soak");
    List<String> symbols = new ArrayList<>();
    for (int i = 0; i < o.symbols(); i++) {
      symbols.add("SOAK" + (char) ('A' + i) + "USDT");
    }
    PrometheusMeterRegistry registry = Gateway.newRegistry();
    Vertx vertx = Gateway.newVertx(registry);
    try {
      BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols(symbols).withSpeed(60)
          .withRate(1).withHistoryMinutes(30).withSeed(o.seed()));
      vertx.deployVerticle(sim).await(60, TimeUnit.SECONDS);
      Map<String, List<Long>> published = new HashMap<>();
      for (String s : symbols) {
        List<Long> ids = new ArrayList<>();
        published.put(s, ids);
        vertx.eventBus().<JsonObject>consumer(Addresses.trade(s), m -> {
          synchronized (ids) {
            ids.add(m.body().getLong("tradeId"));
          }
        });
      }
      Map<String, String> env = new HashMap<>(Map.of("CANDLEBUS_HTTP_PORT", "0", "CANDLEBUS_HTTP_HOST",
          "127.0.0.1", "CANDLEBUS_BINANCE_WS_URL", sim.wsBaseUrl(), "CANDLEBUS_BINANCE_REST_URL",
          sim.restBaseUrl(), "CANDLEBUS_SYMBOLS", String.join(",", symbols), "CANDLEBUS_INTERVALS", "1m,5m",
          "CANDLEBUS_HISTORY_LIMIT", "10", "CANDLEBUS_DATA_DIR", dir.toString(),
          // Binance's 24 h and 30 s made short, so rotations and silence resolve within the run
          "CANDLEBUS_UPSTREAM_MAX_AGE_MS", "45000", "CANDLEBUS_UPSTREAM_SILENCE_MS", "5000"));
      CandlebusConfig config = ConfigLoader.fromJson(ConfigLoader.builtInDefaults(), "soak", env);
      Gateway gateway = Gateway.deploy(vertx, false, config, registry).await(120, TimeUnit.SECONDS);
      gateway.backfillDone().await(120, TimeUnit.SECONDS);
      out.printf("soak: %d symbols at 60x, %.1f min of random faults (seed %d)%n", symbols.size(), o.minutes(),
          o.seed());
      injectFaults(sim, symbols);
      settle(sim, symbols, published);
      int differing = compareCandles(dir, vertx, sim, symbols);
      gateway.close().await(60, TimeUnit.SECONDS);
      return report(sim, symbols, published, registry, differing);
    } finally {
      vertx.close().await(60, TimeUnit.SECONDS);
      Demo.deleteQuietly(dir);
    }
  }

  private void injectFaults(BinanceSimulator sim, List<String> symbols) throws Exception {
    Random r = new Random(o.seed());
    long end = System.currentTimeMillis() + (long) (o.minutes() * 60_000);
    while (System.currentTimeMillis() < end) {
      Thread.sleep(Math.min(Math.max(0, end - System.currentTimeMillis()),
          FAULT_MIN_MS + r.nextInt((int) (FAULT_MAX_MS - FAULT_MIN_MS))));
      String symbol = symbols.get(r.nextInt(symbols.size()));
      String fault = switch (r.nextInt(7)) {
        case 0 -> {
          sim.dropAll().await(10, TimeUnit.SECONDS);
          yield "drop";
        }
        case 1 -> {
          sim.silenceOpenConnections().await(10, TimeUnit.SECONDS);
          yield "silence";
        }
        case 2 -> {
          sim.serverShutdown(3_000).await(10, TimeUnit.SECONDS);
          yield "serverShutdown";
        }
        case 3 -> {
          sim.restFault(r.nextBoolean() ? 429 : 418, 1 + r.nextInt(3), 1);
          sim.skipNextTrades(symbol, 1 + r.nextInt(200)).await(10, TimeUnit.SECONDS);
          yield "rest-fault+skip";
        }
        case 4 -> {
          sim.injectMalformed(100 + r.nextInt(900), r.nextLong()).await(10, TimeUnit.SECONDS);
          yield "malformed";
        }
        default -> {
          sim.skipNextTrades(symbol, 1 + r.nextInt(500)).await(10, TimeUnit.SECONDS);
          yield "skip";
        }
      };
      faults.merge(fault, 1, Integer::sum);
    }
  }

  /** Faults over: waits (bounded) until every symbol's published trades reach what the exchange had by now. */
  private void settle(BinanceSimulator sim, List<String> symbols, Map<String, List<Long>> published)
      throws InterruptedException {
    Map<String, Long> target = new HashMap<>();
    symbols.forEach(s -> target.put(s, sim.history(s).lastAggId()));
    long deadline = System.currentTimeMillis() + 90_000;
    while (System.currentTimeMillis() < deadline) {
      boolean caughtUp = true;
      for (String s : symbols) {
        List<Long> ids = published.get(s);
        synchronized (ids) {
          caughtUp &= !ids.isEmpty() && ids.get(ids.size() - 1) >= target.get(s);
        }
      }
      if (caughtUp) {
        return;
      }
      Thread.sleep(200);
    }
    out.println("soak: WARNING: not caught up within 90 s after the faults");
  }

  /** Stored 1m candles that differ from the simulator's REST klines (Binance's, as a faultless run stores). */
  private int compareCandles(Path dir, Vertx vertx, BinanceSimulator sim, List<String> symbols) throws Exception {
    Pool pool = PgPools.create(vertx, EmbeddedDatabase.running(dir.resolve("pg")).orElseThrow());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    int differing = 0;
    int checked = 0;
    try {
      for (String s : symbols) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery("SELECT extract(epoch FROM p.date_open) * 1000 AS t, price_open, price_high, price_low, "
                + "price_close, volume, quote_volume, num_trades FROM exchange.price_history p JOIN exchange.token k "
                + "ON k.id = p.token_id WHERE k.name = $1 AND p.\"interval\" = '1m' ORDER BY p.date_open")
            .execute(Tuple.of(s)).await(60, TimeUnit.SECONDS).forEach(rows::add);
        Map<Long, JsonArray> binance = new HashMap<>();
        long start = rows.isEmpty() ? 0 : rows.get(0).getBigDecimal("t").longValue();
        while (true) {
          String body = http.send(HttpRequest.newBuilder(URI.create(sim.restBaseUrl() + "/api/v3/klines?symbol=" + s
              + "&interval=1m&limit=1000&startTime=" + start)).build(), HttpResponse.BodyHandlers.ofString()).body();
          JsonArray page = new JsonArray(body);
          page.forEach(k -> binance.put(((JsonArray) k).getLong(0), (JsonArray) k));
          if (page.size() < 1000) {
            break;
          }
          start = page.getJsonArray(page.size() - 1).getLong(0) + 1;
        }
        long previous = -1;
        for (Row r : rows) {
          long t = r.getBigDecimal("t").longValue();
          JsonArray b = binance.get(t);
          boolean same = b != null && (previous < 0 || t == previous + 60_000)
              && r.getBigDecimal("price_open").compareTo(new BigDecimal(b.getString(1))) == 0
              && r.getBigDecimal("price_high").compareTo(new BigDecimal(b.getString(2))) == 0
              && r.getBigDecimal("price_low").compareTo(new BigDecimal(b.getString(3))) == 0
              && r.getBigDecimal("price_close").compareTo(new BigDecimal(b.getString(4))) == 0
              && r.getBigDecimal("volume").compareTo(new BigDecimal(b.getString(5))) == 0
              && r.getBigDecimal("quote_volume").compareTo(new BigDecimal(b.getString(7))) == 0
              && r.getLong("num_trades").equals(b.getLong(8));
          if (!same) {
            if (differing++ < 5) {
              out.printf("soak: differs: %s 1m %d (previous %d) stored o=%s h=%s l=%s c=%s v=%s q=%s n=%d | Binance %s%n", s, t, previous,
                  r.getBigDecimal("price_open"), r.getBigDecimal("price_high"), r.getBigDecimal("price_low"),
                  r.getBigDecimal("price_close"), r.getBigDecimal("volume"), r.getBigDecimal("quote_volume"), r.getLong("num_trades"),
                  b == null ? "none" : b.encode());
            }
          }
          previous = t;
          checked++;
        }
      }
    } finally {
      pool.close();
    }
    out.printf("soak: 1m candles stored and checked against Binance's: %d%n", checked);
    return differing;
  }

  private int report(BinanceSimulator sim, List<String> symbols, Map<String, List<Long>> published,
      PrometheusMeterRegistry registry, int differing) {
    long lost = 0;
    long duplicates = 0;
    long total = 0;
    for (String s : symbols) {
      List<Long> ids;
      synchronized (published.get(s)) {
        ids = new ArrayList<>(published.get(s));
      }
      Set<Long> distinct = new HashSet<>(ids);
      duplicates += ids.size() - distinct.size();
      long first = ids.stream().mapToLong(Long::longValue).min().orElse(0);
      long last = ids.stream().mapToLong(Long::longValue).max().orElse(-1);
      for (Trade t : sim.history(s).fromId(first, (int) Math.max(0, last - first + 1))) {
        if (t.aggId() <= last && !distinct.contains(t.aggId())) {
          lost++;
        }
      }
      total += distinct.size();
    }
    out.printf("soak: faults injected: %s%n", faults);
    out.printf("soak: trades published %d, lost %d, duplicates %d%n", total, lost, duplicates);
    out.printf("soak: holes filled from REST %.0f (%.0f trades), unfilled %.0f; reconnects %.0f; rotations %.0f; "
            + "malformed frames skipped %.0f%n", sum(registry, "candlebus_upstream_gaps_total", "result", "filled"),
        sum(registry, "candlebus_upstream_gap_trades_total", "result", "filled"),
        sum(registry, "candlebus_upstream_gaps_total", "result", "unfilled")
            + sum(registry, "candlebus_upstream_gaps_total", "result", "partly_filled"),
        sum(registry, "candlebus_upstream_disconnects_total"), sum(registry, "candlebus_upstream_rotations_total"),
        sum(registry, "candlebus_upstream_malformed_total"));
    out.printf("soak: Binance's closed klines vs ours: match %.0f, mismatch %.0f, adopted %.0f, unmatched %.0f%n",
        sum(registry, "candlebus_kline_checks_total", "result", "match"),
        sum(registry, "candlebus_kline_checks_total", "result", "mismatch"),
        sum(registry, "candlebus_kline_checks_total", "result", "adopted"),
        sum(registry, "candlebus_kline_checks_total", "result", "unmatched"));
    out.printf("soak: 1m candles different from Binance's: %d%n", differing);
    boolean ok = lost == 0 && duplicates == 0 && differing == 0 && total > 0;
    out.println("soak: " + (ok ? "PASS" : "FAIL"));
    return ok ? 0 : Lifecycle.EXIT_FAILED;
  }

  private static double sum(PrometheusMeterRegistry registry, String name, String... tags) {
    return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
  }
}
