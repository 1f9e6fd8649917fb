package io.candlebus.persistence;

import static io.candlebus.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(180)
class EmbeddedDatabaseTest {

  @Test
  void dataSurvivesAStopAndStartInTheSameDirectory(Vertx vertx, @TempDir Path dir) {
    Path data = dir.resolve("pg");
    Candle candle = TestCandles.candle("BTCUSDT", Interval.M1, 1_577_836_800_000L, 3);

    EmbeddedDatabase first = await(EmbeddedDatabase.start(vertx, data));
    try {
      Pool pool = PgPools.create(vertx, first.connectOptions());
      await(Schema.migrate(pool));
      await(new CandleStore(pool).upsert(List.of(candle)));
      assertThat(setting(pool, "listen_addresses")).isEqualTo("127.0.0.1");
      assertThat(setting(pool, "fsync")).as("zonky's -F is overridden").isEqualTo("on");
      assertThat(setting(pool, "synchronous_commit")).isEqualTo("on");
      await(pool.close());
    } finally {
      await(first.stop(vertx));
    }
    assertThat(data.resolve("postmaster.pid")).doesNotExist();

    EmbeddedDatabase second = await(EmbeddedDatabase.start(vertx, data));
    try {
      Pool pool = PgPools.create(vertx, second.connectOptions());
      assertThat(await(Schema.migrate(pool))).isEqualTo(Schema.MIGRATIONS.size());
      List<Candle> stored = await(new CandleStore(pool).query("BTCUSDT", Interval.M1, null, null, 10));
      assertThat(stored).singleElement().satisfies(c -> assertThat(c.sameValues(candle)).isTrue());
      await(pool.close());
    } finally {
      await(second.stop(vertx));
    }
  }

  @Test
  void aSecondServerOnADirectoryInUseIsRefused(Vertx vertx, @TempDir Path dir) {
    EmbeddedDatabase db = await(EmbeddedDatabase.start(vertx, dir.resolve("pg")));
    try {
      assertThatThrownBy(() -> await(EmbeddedDatabase.start(vertx, dir.resolve("x/../pg"))))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("already in use");
      Pool pool = PgPools.create(vertx, db.connectOptions());
      assertThat(await(pool.query("SELECT 1").execute()).rowCount()).as("the first one still serves").isEqualTo(1);
      await(pool.close());
    } finally {
      await(db.stop(vertx));
    }
  }

  @Test
  void aServerOrphanedByAKilledJvmDoesNotPreventTheNextStart(Vertx vertx, @TempDir Path dir) throws Exception {
    Path data = dir.resolve("pg");
    Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), KilledJvmChild.class.getName(), data.toString())
        .redirectErrorStream(true).start();
    ProcessHandle orphan = null;
    try {
      String ready = readyLine(child).get(120, TimeUnit.SECONDS);
      assertThat(ready).startsWith("READY ");
      long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
      orphan = ProcessHandle.of(pid).orElseThrow();

      child.destroyForcibly(); // SIGKILL: no shutdown hook runs, the postmaster stays
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(StalePostmaster.running(orphan)).as("the scenario: postmaster outlived its JVM").isTrue();

      EmbeddedDatabase db = await(EmbeddedDatabase.start(vertx, data));
      try {
        assertThat(StalePostmaster.running(orphan)).as("the orphan was shut down").isFalse();
        Pool pool = PgPools.create(vertx, db.connectOptions());
        String marker = await(pool.query("SELECT v FROM marker").execute()).iterator().next().getString(0);
        assertThat(marker).isEqualTo("written before the kill");
        await(pool.close());
      } finally {
        await(db.stop(vertx));
      }
    } finally {
      child.destroyForcibly();
      if (orphan != null && orphan.isAlive()) {
        orphan.destroyForcibly(); // only if the code under test failed to stop it
      }
    }
  }

  /** Completes with the child's READY line; drains the rest of its output so it never blocks on a full pipe. */
  private static CompletableFuture<String> readyLine(Process child) {
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        StringBuilder tail = new StringBuilder();
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (line.startsWith("READY ")) {
            ready.complete(line);
          }
          tail.append(line).append('\n');
          if (tail.length() > 20_000) {
            tail.delete(0, tail.length() - 10_000);
          }
        }
        ready.completeExceptionally(new AssertionError("child exited before READY:\n" + tail));
      } catch (Exception e) {
        ready.completeExceptionally(e);
      }
    }, "killed-jvm-child-output");
    reader.setDaemon(true);
    reader.start();
    return ready;
  }

  private static String setting(Pool pool, String name) {
    return await(pool.query("SHOW " + name).execute()).iterator().next().getString(0);
  }
}
