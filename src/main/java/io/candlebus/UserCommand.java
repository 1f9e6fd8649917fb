package io.candlebus;

import io.candlebus.config.CandlebusConfig;
import io.candlebus.persistence.EmbeddedDatabase;
import io.candlebus.persistence.PgPools;
import io.candlebus.persistence.Schema;
import io.candlebus.persistence.UserStore;
import io.candlebus.web.PasswordHasher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code user add NAME --password-stdin | user list | user remove NAME}: manages the users in PostgreSQL, the
 * configured server or the embedded one (also while the gateway runs on it).
 */
final class UserCommand {
  /** Usernames become event-bus addresses ({@code alerts.<username>}): keep them plain. */
  static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
  static final int MIN_PASSWORD = 8;

  private final CandlebusConfig config;
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;

  UserCommand(CandlebusConfig config, InputStream in, PrintStream out, PrintStream err) {
    this.config = config;
    this.in = in;
    this.out = out;
    this.err = err;
  }

  int run(String[] args) {
    if (args.length == 1 && args[0].equals("list")) {
      return withStore(store -> store.list().map(this::printList));
    }
    if (args.length == 2 && args[0].equals("remove") && USERNAME.matcher(args[1]).matches()) {
      return withStore(store -> store.remove(args[1]).map(removed -> {
        (removed ? out : err).println(removed ? "removed user " + args[1] : "no user " + args[1]);
        return removed ? 0 : Lifecycle.EXIT_FAILED;
      }));
    }
    if (args.length == 3 && args[0].equals("add") && args[2].equals("--password-stdin")) {
      if (!USERNAME.matcher(args[1]).matches()) {
        err.println("candlebus: bad username \"" + args[1] + "\": 1-64 letters, digits, _ . @ -");
        return Lifecycle.EXIT_USAGE;
      }
      String password = readPassword();
      if (password == null || password.length() < MIN_PASSWORD) {
        err.println("candlebus: the password (one line on standard input) needs at least " + MIN_PASSWORD
            + " characters");
        return Lifecycle.EXIT_USAGE;
      }
      String hash = new PasswordHasher().hash(password.toCharArray());
      return withStore(store -> store.put(args[1], hash).map(created -> {
        out.println((created ? "created user " : "changed the password of user ") + args[1]);
        return 0;
      }));
    }
    err.println("usage: candlebus user add NAME --password-stdin | user list | user remove NAME");
    return Lifecycle.EXIT_USAGE;
  }

  private int printList(JsonArray users) {
    users.forEach(u -> out.println(((JsonObject) u).getString("username") + "\t"
        + ((JsonObject) u).getString("createdAt")));
    return 0;
  }

  private String readPassword() {
    try {
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      return null;
    }
  }

  /** Opens PostgreSQL (starting the embedded server only if no candlebus runs it), migrates, runs {@code op}. */
  private int withStore(Function<UserStore, Future<Integer>> op) {
    Vertx vertx = Vertx.vertx();
    EmbeddedDatabase started = null;
    try {
      PgConnectOptions options;
      if (config.pgUrl().isPresent()) {
        options = PgPools.fromUrl(config.pgUrl().get());
      } else {
        var running = EmbeddedDatabase.running(config.dataDir().resolve("pg"));
        if (running.isPresent()) {
          options = running.get();
        } else {
          started = EmbeddedDatabase.startBlocking(config.dataDir().resolve("pg"));
          options = started.connectOptions();
        }
      }
      Pool pool = PgPools.create(vertx, options);
      try {
        return Schema.migrate(pool).compose(v -> op.apply(new UserStore(pool)))
            .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } finally {
        pool.close();
      }
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("candlebus: user command failed: " + cause.getMessage());
      return Lifecycle.EXIT_FAILED;
    } finally {
      if (started != null) {
        try {
          started.stop(vertx).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception ignored) {
          // the JVM ends anyway; the next start clears a leftover server
        }
      }
      vertx.close();
    }
  }
}
