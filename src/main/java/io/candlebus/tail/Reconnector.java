package io.candlebus.tail;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Keeps one connection of a tail (or capture) up: opens it, and when it drops or cannot be opened says so on stderr and tries
 * again after a backoff (1 s doubling to 30 s, back to 1 s once a connection lived {@value #STABLE_MS} ms). A
 * {@link TailFailure} (the gateway refused us) is not retried: it ends {@link #fatal()}. All on the event loop.
 */
public final class Reconnector {
  static final long FIRST_DELAY_MS = 1_000;
  static final long MAX_DELAY_MS = 30_000;
  static final long STABLE_MS = 10_000;

  /**
   * One open connection: {@code lost} completes with the reason it dropped, or fails with a {@link TailFailure}
   * when it ended in a refusal; {@code close} ends it at our request.
   */
  record Link(Future<String> lost, Supplier<Future<Void>> close) {}

  private final Vertx vertx;
  private final Supplier<Future<Link>> open;
  private final String target;
  private final PrintStream err;
  private final String who;
  private final Promise<TailFailure> fatal = Promise.promise();
  private long delay = FIRST_DELAY_MS;
  private boolean stopped;
  private long timer = -1;
  private Link current;

  /**
   * {@code target} names what is connected to, for the messages ({@code http://host:8080}); {@code who} starts
   * them ({@code tail}).
   */
  Reconnector(Vertx vertx, String target, Supplier<Future<Link>> open, PrintStream err, String who) {
    this.vertx = vertx;
    this.target = target;
    this.open = open;
    this.err = err;
    this.who = who;
  }

  /** Fails never; completes when a refusal ends the tail. */
  public Future<TailFailure> fatal() {
    return fatal.future();
  }

  public void start() {
    vertx.runOnContext(v -> attempt(false));
  }

  private void attempt(boolean reconnecting) {
    if (stopped) {
      return;
    }
    open.get().onComplete(ar -> {
      if (stopped) {
        if (ar.succeeded()) {
          ar.result().close().get();
        }
      } else if (ar.failed()) {
        if (ar.cause() instanceof TailFailure f) {
          fatal.tryComplete(f);
        } else {
          retry((reconnecting ? who + ": reconnect failed (" : who + ": cannot connect to " + target + " (")
              + reason(ar.cause()) + "), retrying in ", reconnecting);
        }
      } else {
        if (reconnecting) {
          err.println(who + ": reconnected");
        }
        current = ar.result();
        long since = System.currentTimeMillis();
        current.lost().onComplete(lost -> {
          current = null;
          if (stopped) {
            return;
          }
          if (lost.failed() && lost.cause() instanceof TailFailure f) {
            fatal.tryComplete(f);
            return;
          }
          if (System.currentTimeMillis() - since >= STABLE_MS) {
            delay = FIRST_DELAY_MS;
          }
          retry(who + ": connection lost (" + (lost.succeeded() ? lost.result() : reason(lost.cause()))
              + "), reconnecting in ", true);
        });
      }
    });
  }

  private void retry(String message, boolean reconnecting) {
    long wait = delay;
    delay = Math.min(MAX_DELAY_MS, delay * 2);
    err.println(message + (wait % 1000 == 0 ? wait / 1000 + " s" : wait + " ms"));
    timer = vertx.setTimer(wait, id -> attempt(reconnecting));
  }

  private static String reason(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** No more attempts; closes the open connection, if any. Call on the event loop. */
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    Link l = current;
    current = null;
    return l == null ? Future.succeededFuture() : l.close().get();
  }
}
