package io.candlebus.alerts;

import io.candlebus.Addresses;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts stored firings to their user's webhook: a JSON POST answered with a 2xx status within {@value #TIMEOUT_MS}
 * ms (the reply's body is not read), else tried again after each wait of {@code alerts.webhook.retries}, then
 * marked failed, and the user's page told.
 *
 * <p>The firings wait in PostgreSQL, not here: each node leases the due ones ({@code FOR UPDATE SKIP LOCKED}), so
 * every firing is posted by one node at a time, and one whose node died is taken by another when its lease ends.
 * The POST carries the firing's id (body {@code id} and header {@value #ID_HEADER}) so a receiver can drop a repeat:
 * a node that dies after the receiver answered, before the answer was stored, posts it again. Nothing here runs on
 * the trade path: a receiver that never answers costs a lease and a timer.
 */
public final class WebhookVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(WebhookVerticle.class);
  public static final String ID_HEADER = "X-Candlebus-Firing";
  static final long TIMEOUT_MS = 3_000;
  private static final long LEASE_MS = 30_000;
  private static final long POLL_MS = 1_000;
  private static final int BATCH = 20;
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(10_000);

  private final List<Long> retriesMs;
  private final MeterRegistry registry;
  private HttpClient client;
  private boolean claiming;
  private boolean again;

  public WebhookVerticle(List<Long> retriesMs, MeterRegistry registry) {
    this.retriesMs = List.copyOf(retriesMs);
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MS)
        .setIdleTimeout((int) (TIMEOUT_MS / 1000)).setVerifyHost(true).setKeepAlive(false));
    vertx.eventBus().localConsumer(Addresses.WEBHOOK_DUE, m -> claim());
    vertx.setPeriodic(POLL_MS, id -> claim());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return client.close();
  }

  /** Leases the due firings and posts them; one lease request at a time, another right after if asked. */
  private void claim() {
    if (claiming) {
      again = true;
      return;
    }
    claiming = true;
    JsonObject q = new JsonObject().put("leaseMs", LEASE_MS).put("limit", BATCH);
    vertx.eventBus().<JsonArray>request(Addresses.DB_WEBHOOK_CLAIM, q, QUICK).onComplete(ar -> {
      claiming = false;
      if (ar.failed()) {
        return; // PostgreSQL away: the firings wait there, and the next poll asks again
      }
      ar.result().body().forEach(o -> post((JsonObject) o));
      if (again || ar.result().body().size() == BATCH) {
        again = false;
        claim();
      }
    });
  }

  private void post(JsonObject f) {
    String id = f.getString("id");
    int attempt = f.getInteger("attempts");
    send(f.getString("url"), id, payload(f, attempt)).onComplete(ar -> {
      JsonObject outcome = new JsonObject().put("id", id);
      String state = null;
      if (ar.succeeded()) {
        outcome.put("outcome", "delivered");
        state = "delivered";
      } else if (attempt > retriesMs.size()) {
        outcome.put("outcome", "failed").put("error", ar.cause().getMessage());
        state = "failed";
        log.warn("webhook of {} for firing {} failed for good after {} attempts: {}", f.getString("username"), id,
            attempt, ar.cause().getMessage());
      } else {
        outcome.put("outcome", "retry").put("error", ar.cause().getMessage())
            .put("next", System.currentTimeMillis() + retriesMs.get(attempt - 1));
      }
      registry.counter("candlebus_webhook_posts_total", "outcome", outcome.getString("outcome")).increment();
      String published = state;
      vertx.eventBus().request(Addresses.DB_WEBHOOK_OUTCOME, outcome, QUICK).onComplete(stored -> {
        if (stored.failed()) {
          log.warn("webhook outcome of {} not stored (its lease runs out, it is posted again): {}", id,
              stored.cause().getMessage());
        }
        if (published != null) {
          vertx.eventBus().publish(Addresses.alerts(f.getString("username")), new JsonObject().put("kind", "webhook")
              .put("id", id).put("alertId", f.getLong("alertId")).put("state", published)
              .put("error", outcome.getString("error")));
        }
      });
    });
  }

  /** The POST, answered with a 2xx within the timeout, or a failure saying what happened. */
  private Future<Void> send(String url, String id, JsonObject body) {
    Promise<Void> done = Promise.promise();
    AtomicReference<HttpClientRequest> request = new AtomicReference<>();
    long timer = vertx.setTimer(TIMEOUT_MS, t -> {
      if (done.tryFail("no answer within " + TIMEOUT_MS + " ms") && request.get() != null) {
        request.get().reset();
      }
    });
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)).compose(req -> {
      request.set(req);
      return req.putHeader("Content-Type", "application/json").putHeader(ID_HEADER, id).send(body.toBuffer());
    }).map(resp -> {
      // the status is the answer; the body is never read (a receiver may send gigabytes): closing the connection
      // now drops whatever it still sends
      request.get().reset();
      return resp.statusCode();
    }).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.failed()) {
        done.tryFail(ar.cause().getMessage() == null ? ar.cause().toString() : ar.cause().getMessage());
      } else if (ar.result() / 100 != 2) {
        done.tryFail("answered " + ar.result());
      } else {
        done.tryComplete();
      }
    });
    return done.future();
  }

  /** What the receiver gets: the firing as the history shows it, with the user and the attempt. */
  static JsonObject payload(JsonObject f, int attempt) {
    JsonObject out = new JsonObject().put("id", f.getString("id")).put("alertId", f.getLong("alertId"))
        .put("username", f.getString("username")).put("kind", f.getString("kind"))
        .put("symbol", f.getString("symbol")).put("price", f.getString("price"));
    for (String field : new String[] {"level", "percent", "reference"}) {
      if (f.getString(field) != null) {
        out.put(field, f.getString(field));
      }
    }
    return out.put("time", f.getLong("time")).put("note", f.getString("note")).put("attempt", attempt);
  }
}
