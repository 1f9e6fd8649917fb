package io.candlebus;

import io.candlebus.config.ConfigException;
import io.vertx.core.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How the commands live: wait for the start, then run until the JVM is asked to stop (SIGTERM, Ctrl-C). */
public final class Lifecycle {
  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;
  private static final long STOP_TIMEOUT_S = 30;

  private Lifecycle() {}

  /**
   * Blocks until {@code started} completes; a failure prints one line and returns {@link #EXIT_FAILED} (or
   * {@link #EXIT_USAGE} for a configuration error). Then blocks until shutdown, calls {@code stop} from the
   * shutdown hook and returns 0.
   */
  public static <T> int runUntilStopped(String what, Future<T> started, Function<T, Future<?>> stop) {
    T running;
    try {
      running = started.toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof ConfigException ce) {
        System.err.println("candlebus: " + ce.getMessage());
        return EXIT_USAGE;
      }
      System.err.println(what + ": failed to start: " + cause.getMessage());
      log.debug("start failure", cause);
      return EXIT_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return EXIT_FAILED;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        stop.apply(running).toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_S, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("{}: shutdown: {}", what, e.getMessage());
      }
      stopped.countDown();
    }, what + "-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
