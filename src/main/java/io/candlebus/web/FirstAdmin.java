package io.candlebus.web;

import io.candlebus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a first start with no users, creates {@code admin} with a random password and prints it once on standard
 * output (never to the log, never stored in clear).
 */
final class FirstAdmin {
  private static final Logger log = LoggerFactory.getLogger(FirstAdmin.class);

  private final Vertx vertx;

  FirstAdmin(Vertx vertx) {
    this.vertx = vertx;
  }

  void ensure() {
    DeliveryOptions patient = new DeliveryOptions().setSendTimeout(30_000);
    String password = PasswordHasher.randomPassword();
    // a hash costs ~0.3 s of CPU, which a start on one core would wait for: only when there is no user yet
    vertx.eventBus().<JsonObject>request(Addresses.DB_USER_ANY, new JsonObject(), patient)
        .compose(any -> any.body().getBoolean("any", true) ? Future.succeededFuture(null)
            : vertx.executeBlocking(() -> new PasswordHasher().hash(password.toCharArray()), false)
                .compose(hash -> vertx.eventBus().<JsonObject>request(Addresses.DB_USER_ADMIN,
                    new JsonObject().put("passwordHash", hash), patient)))
        .onSuccess(m -> {
          if (m != null && m.body().getBoolean("created", false)) {
            System.out.println("candlebus: first start, created user \"admin\" with password " + password
                + "  (shown once; change it with: java -jar candlebus.jar user add admin --password-stdin)");
          }
        })
        .onFailure(e -> log.warn("could not check for a first user: {}", e.getMessage()));
  }
}
