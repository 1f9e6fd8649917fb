package io.candlebus;

import io.candlebus.config.CandlebusConfig;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code demo}: the gateway against a built-in Binance simulator, offline. The simulator has six hours of trade
 * history, so the backfill finds candles, then trades live at 10 per second per symbol. The demo keeps nothing:
 * its PostgreSQL lives in a temporary directory removed at exit (and never in {@code CANDLEBUS_PG_URL}).
 */
public final class Demo {
  private static final Logger log = LoggerFactory.getLogger(Demo.class);
  static final double RATE = 10.0;
  static final int HISTORY_MINUTES = 360;

  private Demo() {}

  static int run(CandlebusConfig config) {
    Path dir;
    try {
      dir = Files.createTempDirectory("candlebus-demo");
    } catch (IOException e) {
      System.err.println("candlebus demo: cannot create a temporary directory: " + e.getMessage());
      return Lifecycle.EXIT_FAILED;
    }
    PrometheusMeterRegistry registry = Gateway.newRegistry();
    Vertx vertx = Gateway.newVertx(registry);
    BinanceSimulator simulator = new BinanceSimulator(SimulatorOptions.defaults()
        .withSymbols(config.symbols()).withRate(RATE).withHistoryMinutes(HISTORY_MINUTES));
    Future<Gateway> started = vertx.deployVerticle(simulator)
        .compose(id -> Gateway.deploy(vertx, true, demoConfig(config, simulator, dir), registry))
        .onSuccess(g -> {
          String url = "http://localhost:" + g.httpPort();
          log.info("demo running: simulated Binance at {}, candles at {}/api/candles?symbol={}&interval={}",
              simulator.restBaseUrl(), url, config.symbols().get(0), config.intervals().get(0));
        })
        .recover(e -> vertx.close().transform(ar -> Future.failedFuture(e)));
    int code = Lifecycle.runUntilStopped("candlebus demo", started,
        g -> g.close().onComplete(ar -> deleteQuietly(dir)));
    deleteQuietly(dir);
    return code;
  }

  static CandlebusConfig demoConfig(CandlebusConfig c, BinanceSimulator simulator, Path dataDir) {
    return new CandlebusConfig(c.httpPort(), c.httpHost(), c.publicOrigins(), URI.create(simulator.wsBaseUrl()),
        URI.create(simulator.restBaseUrl()), c.symbols(), c.intervals(), c.historyLimit(), Optional.empty(),
        dataDir, false, c.clusterMembers(), c.clusterHost(), c.clusterPort(), c.role(), c.upstreamMaxAgeMs(),
        c.upstreamSilenceMs(), c.httpInstances(),
        // the demo shows order books: the simulator's symbols unless depth.symbols names others
        c.depth().enabled() ? c.depth() : c.depth().withSymbols(c.symbols()), c.tickers(), c.webhookRetriesMs(),
        c.limits());
  }

  public static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      log.warn("could not remove the demo's data in {}: {}", dir, e.getMessage());
    }
  }
}
