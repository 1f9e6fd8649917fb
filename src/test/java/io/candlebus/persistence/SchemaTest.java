package io.candlebus.persistence;

import io.candlebus.testing.Await;
import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.domain.Interval;
import io.candlebus.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(60)
class SchemaTest {
  private final List<Pool> pools = new ArrayList<>();

  /** The newest schema version, and every version up to it. */
  private static final int LATEST = Schema.MIGRATIONS.get(Schema.MIGRATIONS.size() - 1).version();
  private static final Integer[] ALL = Schema.MIGRATIONS.stream().map(Schema.Migration::version)
      .toArray(Integer[]::new);

  @AfterEach
  void close() {
    pools.forEach(p -> await(p.close()));
  }

  @Test
  void migratingTwiceIsHarmless(Vertx vertx) {
    Pool pool = pool(vertx, TestPostgres.newDatabaseUrl());

    assertThat(await(Schema.migrate(pool))).isEqualTo(LATEST);
    await(new CandleStore(pool).upsert(List.of(TestCandles.candle("BTCUSDT", Interval.M1, 0, 1))));
    assertThat(await(Schema.migrate(pool))).isEqualTo(LATEST);

    assertThat(versions(pool)).containsExactly(ALL);
    assertThat(await(new CandleStore(pool).latestOpenTime("BTCUSDT", Interval.M1))).contains(0L);
  }

  @Test
  void nodesMigratingAtOnceApplyEachMigrationOnce(Vertx vertx) {
    String url = TestPostgres.newDatabaseUrl();
    List<Future<Integer>> runs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      runs.add(Schema.migrate(pool(vertx, url)));
    }

    await(Future.all(runs));

    runs.forEach(r -> assertThat(r.result()).isEqualTo(LATEST));
    assertThat(versions(pools.get(0))).containsExactly(ALL);
  }

  @Test
  void laterMigrationsApplyOnceOnTopOfEarlierOnes(Vertx vertx) {
    Pool pool = pool(vertx, TestPostgres.newDatabaseUrl());
    await(Schema.migrate(pool));
    List<Schema.Migration> next = new ArrayList<>(Schema.MIGRATIONS);
    next.add(new Schema.Migration(LATEST + 1, "extra", List.of(
        "CREATE TABLE exchange.extra (id serial PRIMARY KEY, name varchar UNIQUE NOT NULL)",
        "INSERT INTO exchange.extra (name) VALUES ('admin')")));

    assertThat(await(Schema.migrate(pool, next))).isEqualTo(LATEST + 1);
    assertThat(await(Schema.migrate(pool, next))).isEqualTo(LATEST + 1);

    assertThat(versions(pool)).endsWith(LATEST, LATEST + 1).hasSize(ALL.length + 1);
    assertThat(await(pool.query("SELECT count(*) FROM exchange.extra").execute()).iterator().next().getLong(0))
        .as("statements of an applied migration do not run again").isEqualTo(1);
  }

  @Test
  void failedMigrationLeavesNothingBehind(Vertx vertx) {
    Pool pool = pool(vertx, TestPostgres.newDatabaseUrl());
    List<Schema.Migration> broken = new ArrayList<>(Schema.MIGRATIONS);
    broken.add(new Schema.Migration(LATEST + 1, "broken", List.of("CREATE TABLE exchange.half (id int)", "SELECT nonsense")));

    assertThat(Await.failure(Schema.migrate(pool, broken))).hasMessageContaining("nonsense");

    assertThat(await(pool.query("SELECT to_regclass('exchange.price_history') IS NULL").execute()).iterator().next()
        .getBoolean(0)).as("one transaction: the earlier migrations rolled back too").isTrue();
    assertThat(await(Schema.migrate(pool))).isEqualTo(LATEST);
  }

  @Test
  void adoptsASeedTableWhosePricesWereTooNarrow(Vertx vertx) {
    String db = TestPostgres.newDatabase();
    TestPostgres.execute(db, "CREATE SCHEMA exchange; "
        + "CREATE TABLE exchange.token (id serial primary key, name varchar unique not null); "
        + "CREATE TABLE exchange.price_history (token_id int references exchange.token(id), \"interval\" varchar, "
        + "date_open timestamp, date_close timestamp, price_open numeric(10,6), price_close numeric(10,6), "
        + "price_high numeric(10,6), price_low numeric(10,6), volume numeric(10,6), quote_volume numeric, "
        + "taker_buy_volume numeric, taker_buy_quote_volume numeric, num_trades bigint, "
        + "primary key (token_id, \"interval\", date_open))");
    Pool pool = pool(vertx, "postgresql://postgres:postgres@127.0.0.1:" + TestPostgres.port() + "/" + db);

    await(Schema.migrate(pool));
    var btc = TestCandles.withClose(TestCandles.candle("BTCUSDT", Interval.M1, 0, 1), "69000.123456789");
    await(new CandleStore(pool).upsert(List.of(btc)));

    assertThat(await(new CandleStore(pool).query("BTCUSDT", Interval.M1, null, null, 1)).get(0).close())
        .isEqualByComparingTo("69000.123456789");
  }

  private Pool pool(Vertx vertx, String url) {
    Pool pool = PgPools.create(vertx, PgPools.fromUrl(url));
    pools.add(pool);
    return pool;
  }

  private static List<Integer> versions(Pool pool) {
    List<Integer> out = new ArrayList<>();
    for (Row r : await(pool.query("SELECT version FROM exchange.schema_version ORDER BY version").execute())) {
      out.add(r.getInteger(0));
    }
    return out;
  }
}
