package io.candlebus.upstream;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Gateway;
import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.candlebus.persistence.CandleStore;
import io.candlebus.persistence.PgPools;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.candlebus.testing.SharedData;
import io.candlebus.testing.TestConfigs;
import io.candlebus.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backfill on REAL data: the simulator serves the official data.binance.vision BTCUSDT 1m archives of
 * 2020-01-01..03 as /api/v3/klines (higher intervals derived from them); candlebus with a history limit of 4320
 * stores exactly those rows.
 */
@ExtendWith(VertxExtension.class)
class BackfillArchiveTest {
  private static final Path ARCHIVES = SharedData.real("binance_vision_BTCUSDT_1m_2020-01-01_03");
  private static final long JAN_1 = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
  private static final long JAN_4 = Instant.parse("2020-01-04T00:00:00Z").toEpochMilli();

  @Test
  void backfillStoresTheOfficialArchiveFieldByField(Vertx vertx, @TempDir Path dir) throws IOException {
    BinanceSimulator sim = new BinanceSimulator(SimulatorOptions.defaults().withSymbols("BTCUSDT")
        .withKlineArchiveDir(ARCHIVES).withStartTime(JAN_4).withHistoryMinutes(0).withRate(0.2)
        .withRequestWeightLimit(1200)); // Binance's limit in 2021, not the default 6000
    await(vertx.deployVerticle(sim));
    String db = TestPostgres.newDatabaseUrl();
    Gateway gateway = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, dir,
        Map.of("CANDLEBUS_INTERVALS", "1m,1h,1d", "CANDLEBUS_HISTORY_LIMIT", "4320"))));
    await(gateway.backfillDone());
    assertThat(gateway.registry().get("candlebus_rest_weight_limit").gauge().value())
        .as("the limit comes from exchangeInfo").isEqualTo(1200);
    assertThat(gateway.registry().find("candlebus_rest_rate_limited_total").counter()).isNull();

    Pool pool = PgPools.create(vertx, PgPools.fromUrl(db));
    CandleStore store = new CandleStore(pool);
    List<Candle> stored = await(store.query("BTCUSDT", Interval.M1, JAN_1, JAN_4 - 1, 10_000));
    List<String[]> archive = archiveRows();
    assertThat(archive).hasSize(4320);
    assertThat(stored).hasSize(4320);
    for (int i = 0; i < archive.size(); i++) {
      String[] a = archive.get(i);
      Candle c = stored.get(i);
      assertThat(c.openTime()).isEqualTo(Long.parseLong(a[0]));
      assertThat(c.closeTime()).isEqualTo(Long.parseLong(a[6]));
      assertThat(c.open()).isEqualByComparingTo(a[1]);
      assertThat(c.high()).isEqualByComparingTo(a[2]);
      assertThat(c.low()).isEqualByComparingTo(a[3]);
      assertThat(c.close()).isEqualByComparingTo(a[4]);
      assertThat(c.volume()).isEqualByComparingTo(a[5]);
      assertThat(c.quoteVolume()).isEqualByComparingTo(a[7]);
      assertThat(c.trades()).isEqualTo(Long.parseLong(a[8]));
      assertThat(c.takerBuyVolume()).isEqualByComparingTo(a[9]);
      assertThat(c.takerBuyQuoteVolume()).isEqualByComparingTo(a[10]);
    }

    List<Candle> days = await(store.query("BTCUSDT", Interval.D1, JAN_1, JAN_4 - 1, 10));
    assertThat(days).extracting(Candle::openTime).containsExactly(JAN_1, JAN_1 + 86_400_000L, JAN_1 + 172_800_000L);
    Candle jan1 = days.get(0);
    assertThat(jan1.open()).isEqualByComparingTo("7195.24");
    assertThat(jan1.high()).isEqualByComparingTo("7255");
    assertThat(jan1.low()).isEqualByComparingTo("7175.15");
    assertThat(jan1.close()).isEqualByComparingTo("7200.85");
    assertThat(jan1.volume()).isEqualByComparingTo(new BigDecimal("16792.388165"));
    assertThat(await(store.query("BTCUSDT", Interval.H1, JAN_1, JAN_4 - 1, 1000))).hasSize(72);
    await(gateway.close());
    await(pool.close());
  }

  private static List<String[]> archiveRows() throws IOException {
    List<String[]> rows = new ArrayList<>();
    for (String day : List.of("01", "02", "03")) {
      Path zip = ARCHIVES.resolve("BTCUSDT-1m-2020-01-" + day + ".zip");
      try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
        in.getNextEntry();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        String line;
        while ((line = r.readLine()) != null) {
          if (!line.isBlank()) {
            rows.add(line.split(","));
          }
        }
      }
    }
    return rows;
  }
}
