package io.candlebus.persistence;

import static io.candlebus.testing.Await.await;
import static io.candlebus.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Addresses;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.config.ConfigLoader;
import io.candlebus.testing.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A value PostgreSQL refuses (a NUL in text) that reaches the store is the request's fault: answered
 * {@link PersistenceVerticle#BAD_REQUEST} (a 400 over HTTP), and PostgreSQL is not taken for away.
 */
@ExtendWith(VertxExtension.class)
class StoreRefusalTest {

  @Test
  void aNulInTextIsABadRequestNotAnOutage(Vertx vertx, @TempDir Path dir) {
    String url = "postgresql://postgres:postgres@127.0.0.1:" + TestPostgres.port() + "/" + TestPostgres.newDatabase();
    CandlebusConfig config = ConfigLoader.fromJson(ConfigLoader.builtInDefaults().put("data.dir", dir.toString())
        .put("pg.url", url), "test", Map.of());
    await(vertx.deployVerticle(new PersistenceVerticle(config, new SimpleMeterRegistry())));
    await(vertx.eventBus().request(Addresses.DB_PING, null)); // migrated and answering

    Throwable refused = failure(vertx.eventBus().request(Addresses.DB_USER_FIND,
        new JsonObject().put("username", "alice\u0000")));
    assertThat(refused).isInstanceOfSatisfying(ReplyException.class,
        r -> assertThat(r.failureCode()).isEqualTo(PersistenceVerticle.BAD_REQUEST));
    assertThat(refused.getMessage()).startsWith("a value PostgreSQL cannot hold");
    // and the next request is answered as usual
    assertThat(await(vertx.eventBus().<JsonObject>request(Addresses.DB_USER_FIND,
        new JsonObject().put("username", "alice"))).body().isEmpty()).isTrue();
    await(vertx.eventBus().request(Addresses.DB_PING, null));
  }
}
