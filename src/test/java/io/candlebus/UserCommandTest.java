package io.candlebus;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.config.CandlebusConfig;
import io.candlebus.config.ConfigLoader;
import io.candlebus.persistence.EmbeddedDatabase;
import io.candlebus.testing.TestPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(CandlebusConfig config, String stdin, String... args) {
    out.reset();
    err.reset();
    return new UserCommand(config, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  private static CandlebusConfig config(Map<String, String> env) {
    return ConfigLoader.fromJson(ConfigLoader.builtInDefaults(), "test", env);
  }

  @Test
  void addListRemove() {
    CandlebusConfig c = config(Map.of("CANDLEBUS_PG_URL", TestPostgres.newDatabaseUrl()));
    assertThat(run(c, "a long enough secret\n", "add", "alice", "--password-stdin")).isZero();
    assertThat(out.toString()).contains("created user alice").doesNotContain("secret");
    assertThat(run(c, "another long secret\n", "add", "alice", "--password-stdin")).isZero();
    assertThat(out.toString()).contains("changed the password of user alice");
    assertThat(run(c, "a long enough secret\n", "add", "bob", "--password-stdin")).isZero();
    assertThat(run(c, "", "list")).isZero();
    assertThat(out.toString()).contains("alice\t", "bob\t").doesNotContain("pbkdf2");
    assertThat(run(c, "", "remove", "bob")).isZero();
    assertThat(run(c, "", "remove", "bob")).isEqualTo(1);
    assertThat(err.toString()).contains("no user bob");
    assertThat(run(c, "", "list")).isZero();
    assertThat(out.toString()).contains("alice").doesNotContain("bob");
  }

  @Test
  void badInputIsRefusedWithUsage() {
    CandlebusConfig c = config(Map.of("CANDLEBUS_PG_URL", TestPostgres.newDatabaseUrl()));
    assertThat(run(c, "short\n", "add", "carol", "--password-stdin")).isEqualTo(2);
    assertThat(err.toString()).contains("at least 8");
    assertThat(run(c, "long enough pass\n", "add", "bad name", "--password-stdin")).isEqualTo(2);
    assertThat(err.toString()).contains("bad username");
    assertThat(run(c, "", "add", "carol")).isEqualTo(2);
    assertThat(err.toString()).contains("usage");
    assertThat(run(c, "", "delete", "carol")).isEqualTo(2);
  }

  @Test
  void worksWhileAGatewayRunsOnTheEmbeddedServer(@TempDir Path dir) throws Exception {
    EmbeddedDatabase running = EmbeddedDatabase.startBlocking(dir.resolve("pg"));
    try {
      CandlebusConfig c = config(Map.of("CANDLEBUS_DATA_DIR", dir.toString()));
      assertThat(run(c, "a long enough secret\n", "add", "dave", "--password-stdin")).as(err.toString()).isZero();
      assertThat(run(c, "", "list")).isZero();
      assertThat(out.toString()).contains("dave");
    } finally {
      io.vertx.core.Vertx v = io.vertx.core.Vertx.vertx();
      running.stop(v).toCompletionStage().toCompletableFuture().get();
      v.close();
    }
  }
}
