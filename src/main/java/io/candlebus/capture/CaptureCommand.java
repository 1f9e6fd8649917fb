package io.candlebus.capture;

import io.candlebus.Lifecycle;
import io.candlebus.tail.GatewayLogin;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The {@code capture} command: records Binance streams to CSV files ({@link CaptureVerticle}) for {@code --minutes}
 * or until SIGTERM / Ctrl-C, then completes its files, prints a one-line summary on stdout and returns 0. A bad
 * command line prints one line naming the flag on stderr and returns 2; a failed start returns 1; with
 * {@code --url}, a refusal by the gateway (login, origin, an address it does not carry) returns 3.
 */
public final class CaptureCommand {
  private static final long STOP_TIMEOUT_S = 30;

  private CaptureCommand() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, System.getenv(), out, err);
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    CaptureOptions options;
    String password = null;
    try {
      options = CaptureOptions.parse(args, env);
      if (options.url() != null) {
        password = GatewayLogin.password(options.user(), options.url(), env, System.in);
        if (password == null) {
          throw new CaptureOptions.BadArgument("--user", "no password for \"" + options.user()
              + "\": set CANDLEBUS_PASSWORD or give it on standard input");
        }
      }
      try {
        Files.createDirectories(options.out());
      } catch (IOException e) {
        throw new CaptureOptions.BadArgument("--out", "cannot create \"" + options.out() + "\": " + e);
      }
    } catch (CaptureOptions.BadArgument e) {
      err.println("candlebus capture: " + e.getMessage());
      return Lifecycle.EXIT_USAGE;
    }
    CompletableFuture<String> stop = new CompletableFuture<>();
    CountDownLatch done = new CountDownLatch(1);
    List<Runnable> restore = onStopSignals(stop);
    // a stop the signal handlers do not see (SIGHUP, System.exit elsewhere): still complete the files
    Thread hook = new Thread(() -> {
      stop.complete("stopped");
      awaitQuietly(done);
    }, "capture-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Vertx vertx = Vertx.vertx();
    try {
      return capture(vertx, options, password, stop, out, err);
    } finally {
      vertx.close();
      restore.forEach(Runnable::run);
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it waited for us
      }
    }
  }

  private static int capture(Vertx vertx, CaptureOptions options, String password, CompletableFuture<String> stop,
      PrintStream out, PrintStream err) {
    CaptureVerticle capture = new CaptureVerticle(options, password, err);
    String id;
    try {
      id = vertx.deployVerticle(capture).toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_S,
          TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      err.println("candlebus capture: failed to start: " + (e.getCause() == null ? e : e.getCause()).getMessage());
      return Lifecycle.EXIT_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Lifecycle.EXIT_FAILED;
    }
    capture.refused().onSuccess(f -> {
      err.println("candlebus capture: " + f.getMessage());
      stop.complete("refused");
    });
    err.println("candlebus capture: " + options.symbols().size() * options.streams().size() + " streams from "
        + options.source() + " into " + options.out() + (options.minutes() > 0 ? " for " + options.minutes()
        + " min" : " until stopped"));
    if (options.minutes() > 0) {
      vertx.setTimer(Math.max(1, Math.round(options.minutes() * 60_000)), t -> stop.complete("after "
          + options.minutes() + " min"));
    }
    String how = stop.join();
    try {
      vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      err.println("candlebus capture: the stop did not complete: " + e);
      return Lifecycle.EXIT_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Lifecycle.EXIT_FAILED;
    }
    out.println(capture.summary(how));
    out.flush();
    return capture.refused().isComplete() ? capture.refused().result().exitCode() : 0;
  }

  /**
   * SIGTERM and SIGINT ask for the orderly stop instead of ending the JVM, so that the command exits 0 with its
   * files complete; a second signal gets the JVM's own handling. Returns what puts the previous handlers back.
   */
  private static List<Runnable> onStopSignals(CompletableFuture<String> stop) {
    List<Runnable> restore = new ArrayList<>();
    for (String name : List.of("TERM", "INT")) {
      try {
        Signal signal = new Signal(name);
        SignalHandler[] previous = new SignalHandler[1];
        previous[0] = Signal.handle(signal, s -> {
          if (!stop.complete("stopped by SIG" + name)) {
            previous[0].handle(s);
          }
        });
        restore.add(() -> Signal.handle(signal, previous[0]));
      } catch (IllegalArgumentException unavailable) {
        // e.g. -Xrs: the shutdown hook still completes the files
      }
    }
    return restore;
  }

  private static void awaitQuietly(CountDownLatch done) {
    try {
      done.await(STOP_TIMEOUT_S + 5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
