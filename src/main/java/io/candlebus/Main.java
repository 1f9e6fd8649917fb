package io.candlebus;

import io.candlebus.config.CandlebusConfig;
import io.candlebus.config.ConfigException;
import io.candlebus.config.ConfigLoader;
import io.candlebus.simulator.SimulatorCommand;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code candlebus} command line (SPEC.md "Commands"): run the gateway, {@code demo} (gateway and built-in
 * simulator) or {@code simulate}. Exit codes: 0 stopped normally, 1 failed to start, 2 bad command line or
 * configuration.
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    String command = args.length > 0 && !args[0].startsWith("-") ? args[0] : "run";
    String[] rest = command.equals("run") && (args.length == 0 || args[0].startsWith("-")) ? args
        : Arrays.copyOfRange(args, 1, args.length);
    try {
      return switch (command) {
        case "run" -> runGateway(loadConfig(rest));
        case "demo" -> Demo.run(loadConfig(rest));
        case "simulate" -> SimulatorCommand.run(rest);
        case "help", "--help", "-h" -> usage(0);
        default -> {
          System.err.println("candlebus: unknown command \"" + command + "\"");
          yield usage(EXIT_USAGE);
        }
      };
    } catch (ConfigException e) {
      System.err.println("candlebus: " + e.getMessage());
      return EXIT_USAGE;
    }
  }

  static CandlebusConfig loadConfig(String[] args) {
    Path file = ConfigLoader.DEFAULT_FILE;
    boolean explicit = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--conf") && i + 1 < args.length) {
        file = Path.of(args[++i]);
        explicit = true;
      } else {
        throw new ConfigException("bad command line: unknown argument \"" + args[i] + "\" (expected --conf FILE)");
      }
    }
    return ConfigLoader.load(file, explicit, System.getenv());
  }

  private static int runGateway(CandlebusConfig config) {
    return runUntilStopped("candlebus", Gateway.start(config).toCompletionStage().toCompletableFuture(),
        Gateway::close);
  }

  /** Waits for the start, then blocks until the JVM is asked to stop (SIGTERM, Ctrl-C). */
  static <T> int runUntilStopped(String what, java.util.concurrent.CompletableFuture<T> started,
      java.util.function.Function<T, io.vertx.core.Future<Void>> stop) {
    T running;
    try {
      running = started.get();
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof ConfigException ce) {
        System.err.println("candlebus: " + ce.getMessage());
        return EXIT_USAGE;
      }
      System.err.println(what + ": failed to start: " + cause.getMessage());
      log.debug("start failure", cause);
      return EXIT_FAILED;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        stop.apply(running).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("shutdown: {}", e.getMessage());
      }
      stopped.countDown();
    }, "candlebus-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static int usage(int code) {
    (code == 0 ? System.out : System.err).println(String.join("\n",
        "usage: java -jar candlebus.jar [--conf FILE]      run the gateway (default conf/config.json)",
        "       java -jar candlebus.jar demo [--conf FILE] gateway + built-in Binance simulator, offline",
        "       java -jar candlebus.jar simulate [--port N] [--symbols A,B] [--rate TRADES_PER_S] [--seed S]"));
    return code;
  }
}
