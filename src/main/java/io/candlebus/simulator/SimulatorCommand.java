package io.candlebus.simulator;

import io.candlebus.Lifecycle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code simulate} command: runs a {@link BinanceSimulator} until the process is stopped (SIGTERM / Ctrl-C).
 *
 * <pre>
 * simulate [--host H] [--port N] [--symbols A,B] [--rate TRADES_PER_S] [--seed S] [--speed X]
 *          [--history-minutes M] [--start-time ISO|ms] [--klines-archive DIR] [--replay FILE[,FILE]]
 *          [--replay-speed X] [--exchange-info FILE] [--weight-limit N] [--ping-interval MS]
 * </pre>
 *
 * <p>Defaults are {@link SimulatorOptions#defaults()} except the port: {@value #DEFAULT_PORT}, Binance's stream
 * port, unless {@code --port} is given ({@code --port 0} picks a free one). A bad or unknown argument prints one
 * line naming it on stderr and returns 2; a failed start returns 1.
 */
public final class SimulatorCommand {
  public static final int DEFAULT_PORT = 9443;
  private static final List<String> KNOWN = List.of("--host", "--port", "--symbols", "--rate", "--seed", "--speed",
      "--history-minutes", "--start-time", "--klines-archive", "--replay", "--replay-speed", "--exchange-info",
      "--weight-limit", "--ping-interval");

  private SimulatorCommand() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Parses, starts, prints the URLs and blocks until the JVM shuts down; returns the exit code. */
  public static int run(String[] args) {
    SimulatorOptions options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("simulate: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    BinanceSimulator sim = new BinanceSimulator(options);
    Future<BinanceSimulator> started = vertx.deployVerticle(sim)
        .map(id -> {
          System.out.println("Binance simulator: ws " + sim.wsBaseUrl() + "  rest " + sim.restBaseUrl());
          return sim;
        })
        .recover(e -> vertx.close().transform(ar -> Future.failedFuture(e)));
    return Lifecycle.runUntilStopped("simulate", started, s -> vertx.close());
  }

  /** The options for these arguments; IllegalArgumentException naming the argument when one is wrong. */
  static SimulatorOptions parse(String[] args) {
    SimulatorOptions o = SimulatorOptions.defaults().withPort(DEFAULT_PORT);
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (!KNOWN.contains(name)) {
        throw new IllegalArgumentException("unknown argument '" + name + "'");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      String v = args[++i];
      try {
        o = apply(o, name, v);
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw new IllegalArgumentException("bad value for " + name + " '" + v + "': " + e.getMessage());
      }
    }
    return o;
  }

  private static SimulatorOptions apply(SimulatorOptions o, String name, String v) {
    return switch (name) {
      case "--host" -> o.withHost(v);
      case "--port" -> o.withPort(Integer.parseInt(v));
      case "--symbols" -> o.withSymbols(Arrays.stream(v.split(",")).filter(s -> !s.isBlank()).toList());
      case "--rate" -> o.withRate(Double.parseDouble(v));
      case "--seed" -> o.withSeed(Long.parseLong(v));
      case "--speed" -> o.withSpeed(Double.parseDouble(v));
      case "--history-minutes" -> o.withHistoryMinutes(Integer.parseInt(v));
      case "--start-time" -> o.withStartTime(parseTime(v));
      case "--klines-archive" -> o.withKlineArchiveDir(existing(v, true));
      case "--replay" -> o.withReplayFiles(Arrays.stream(v.split(",")).map(f -> existing(f, false)).toList());
      case "--replay-speed" -> o.withReplaySpeed(Double.parseDouble(v));
      case "--exchange-info" -> o.withExchangeInfoFile(existing(v, false));
      case "--weight-limit" -> o.withRequestWeightLimit(Integer.parseInt(v));
      case "--ping-interval" -> o.withPingIntervalMs(Long.parseLong(v));
      default -> throw new IllegalStateException("unhandled option " + name);
    };
  }

  /** Epoch ms, an ISO instant (2020-01-04T00:00:00Z) or a date (2020-01-04, midnight UTC). */
  static long parseTime(String v) {
    if (v.matches("\\d+")) {
      return Long.parseLong(v);
    }
    if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
      return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    return Instant.parse(v).toEpochMilli();
  }

  private static Path existing(String v, boolean dir) {
    Path p = Path.of(v);
    if (dir ? !Files.isDirectory(p) : !Files.isRegularFile(p)) {
      throw new IllegalArgumentException((dir ? "no directory " : "no file ") + p);
    }
    return p;
  }
}
