package io.candlebus.testing;

import static io.candlebus.testing.Await.await;

import io.candlebus.persistence.PgPools;
import io.candlebus.persistence.Schema;
import io.candlebus.persistence.UserStore;
import io.candlebus.web.PasswordHasher;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/** Creates users straight in a test database (as {@code candlebus user add} does). */
public final class TestUsers {
  public static final String PASSWORD = "correct horse battery staple";

  private TestUsers() {}

  public static void create(Vertx vertx, String pgUrl, String... usernames) {
    Pool pool = PgPools.create(vertx, PgPools.fromUrl(pgUrl));
    try {
      await(Schema.migrate(pool));
      UserStore store = new UserStore(pool);
      for (String u : usernames) {
        await(store.put(u, new PasswordHasher().hash(PASSWORD.toCharArray())));
      }
    } finally {
      await(pool.close());
    }
  }
}
