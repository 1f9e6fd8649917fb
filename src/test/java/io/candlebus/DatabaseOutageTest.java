package io.candlebus;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.persistence.PersistenceVerticle;
import io.candlebus.persistence.PgPools;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.Await;
import io.candlebus.testing.Http;
import io.candlebus.testing.RestartablePostgres;
import io.candlebus.testing.StoredCandles;
import io.candlebus.testing.HttpSession;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestUsers;
import io.candlebus.config.CandlebusConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL is away for a minute (an hour of exchange time) while candlebus runs, and candlebus is restarted
 * in the middle of it: every 1m candle still ends up stored once, equal to Binance's kline.
 */
@ExtendWith(VertxExtension.class)
@Timeout(240)
class DatabaseOutageTest {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final long MINUTE = 60_000;

  @Test
  void anOutageWithARestartLosesAndDoublesNothing(Vertx vertx, @TempDir Path dir) throws Exception {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT").withSpeed(60)
        .withRate(2).withHistoryMinutes(30).withSeed(23));
    await(vertx.deployVerticle(sim));
    String previousBound = System.setProperty(PersistenceVerticle.MAX_PENDING_PROPERTY, "2");
    try (RestartablePostgres pg = new RestartablePostgres(dir.resolve("pg")).start()) {
      Path data = dir.resolve("candlebus");
      CandlebusConfig config = TestConfigs.against(sim, pg.url(), data,
          Map.of("CANDLEBUS_INTERVALS", "1m", "CANDLEBUS_HISTORY_LIMIT", "10"));
      Path journal = data.resolve("journal");

      TestUsers.create(vertx, pg.url(), "alice");
      Gateway first = await(Gateway.deploy(vertx, config));
      await(first.backfillDone());
      waitForClosedCandles(vertx, first, 2);
      waitForReady(vertx, first, 200);
      HttpSession alice = HttpSession.login("http://127.0.0.1:" + first.httpPort(), "alice", TestUsers.PASSWORD);

      pg.stop();
      long outageStart = sim.now();
      HttpResponse<String> notReady = waitForReady(vertx, first, 503);
      assertThat(notReady.body()).contains("PostgreSQL unreachable since");
      HttpResponse<String> candles = alice.get("/api/candles?symbol=BTCUSDT&interval=1m");
      assertThat(candles.statusCode()).as("stored candles cannot be read meanwhile").isEqualTo(503);
      assertThat(candles.body()).contains("PostgreSQL");
      Await.until(vertx, PATIENCE, "20 exchange minutes pass and candles go to the journal", () ->
          Future.succeededFuture(sim.now() > outageStart + 20 * MINUTE && counter(first, "journaled") > 0));
      assertThat(Http.get(ready(first)).body()).containsPattern("\\d+ candles waiting \\(\\d+ in the journal\\)");
      await(first.close());
      assertThat(segments(journal)).as("what candlebus held is on disk").isNotEmpty();

      // restarted while PostgreSQL is still away: it starts, and says why it is not ready
      Gateway second = await(Gateway.deploy(vertx, config));
      assertThat(waitForReady(vertx, second, 503).body()).contains("PostgreSQL");
      Await.until(vertx, PATIENCE, "an hour of exchange time passes, live candles go behind the journal", () ->
          Future.succeededFuture(sim.now() > outageStart + 60 * MINUTE && counter(second, "journaled") > 0));
      assertThat(second.backfillDone().isComplete()).as("the backfill waits for PostgreSQL").isFalse();

      pg.start();
      long back = sim.now();
      Await.until(vertx, PATIENCE, "the journal is replayed", () -> Future.succeededFuture(
          journalGauge(second) == 0 && second.backfillDone().isComplete()));
      waitForReady(vertx, second, 200);
      assertThat(segments(journal)).as("no journal left").isEmpty();
      Pool pool = PgPools.create(vertx, PgPools.fromUrl(pg.url()));
      Await.until(vertx, PATIENCE, "live candles after the outage are stored", () -> pool
          .query("SELECT extract(epoch FROM max(date_open)) * 1000 AS t FROM exchange.price_history").execute()
          .map(rows -> rows.iterator().next().getBigDecimal("t").longValue() > back + 2 * MINUTE));

      Row stats = await(pool.query("SELECT count(*) AS n, count(DISTINCT date_open) AS d, "
          + "extract(epoch FROM min(date_open)) * 1000 AS lo, extract(epoch FROM max(date_open)) * 1000 AS hi "
          + "FROM exchange.price_history WHERE \"interval\" = '1m'").execute()).iterator().next();
      long rows = stats.getLong("n");
      long lo = stats.getBigDecimal("lo").longValue();
      long hi = stats.getBigDecimal("hi").longValue();
      assertThat(stats.getLong("d")).as("no window stored twice").isEqualTo(rows);
      assertThat(rows).as("no window missing from %d to %d", lo, hi).isEqualTo((hi - lo) / MINUTE + 1);
      assertThat(lo).as("from before the outage").isLessThan(outageStart - MINUTE);
      assertThat(hi).as("to after it").isGreaterThan(back);
      assertThat(rows).isGreaterThan(60);
      assertThat(StoredCandles.assertContiguousAndEqualToBinance(pool, sim, "BTCUSDT", "1m", MINUTE, lo))
          .isEqualTo(rows);

      assertThat(counter(second, "dropped")).isZero();
      await(second.close());
      await(pool.close());
    } finally {
      if (previousBound == null) {
        System.clearProperty(PersistenceVerticle.MAX_PENDING_PROPERTY);
      } else {
        System.setProperty(PersistenceVerticle.MAX_PENDING_PROPERTY, previousBound);
      }
    }
  }

  private static String ready(Gateway g) {
    return "http://127.0.0.1:" + g.httpPort() + "/ready";
  }

  private static HttpResponse<String> waitForReady(Vertx vertx, Gateway g, int status) {
    HttpResponse<String>[] last = new HttpResponse[1];
    Await.until(vertx, PATIENCE, "/ready answers " + status, () -> vertx.executeBlocking(() -> {
      last[0] = Http.get(ready(g));
      return last[0].statusCode() == status;
    }));
    return last[0];
  }

  private static double counter(Gateway g, String what) {
    Counter c = g.registry().find("candlebus.candles." + what).counter();
    return c == null ? 0 : c.count();
  }

  private static double journalGauge(Gateway g) {
    Gauge gauge = g.registry().find("candlebus.journal.candles").gauge();
    return gauge == null ? -1 : gauge.value();
  }

  private static void waitForClosedCandles(Vertx vertx, Gateway g, int n) {
    Await.until(vertx, PATIENCE, n + " candles built from trades", () -> {
      Counter c = g.registry().find("candlebus_candles_closed_total").tag("provenance", "complete").counter();
      return Future.succeededFuture(c != null && c.count() >= n);
    });
  }

  private static List<Path> segments(Path journal) throws IOException {
    if (!Files.exists(journal)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(journal)) {
      return s.filter(p -> p.toString().endsWith(".seg")).toList();
    }
  }
}
