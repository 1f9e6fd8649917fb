package io.candlebus.tail;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * {@code candlebus tail}: prints a symbol's candles or trades, one line each, from a running candlebus (logged in,
 * over the SockJS bridge, as a browser) or straight from Binance ({@code --binance}), until Ctrl-C / SIGTERM.
 * Exit codes: 0 stopped by a signal (or the reader of stdout went away), 2 bad command line (or no password),
 * 3 refused by the gateway (login, origin, or an address it does not carry).
 */
public final class TailCommand {
  public static final int EXIT_USAGE = 2;
  private static final long STOP_TIMEOUT_MS = 3_000;

  private TailCommand() {}

  public static int run(String[] args) {
    return run(Arrays.asList(args), System.getenv(), System.in, System.out, System.err);
  }

  static int run(List<String> args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    if (args.contains("--help") || args.contains("-h")) {
      out.println(usage());
      return 0;
    }
    TailOptions options;
    try {
      options = TailOptions.parse(args, env);
    } catch (TailOptions.BadArgument e) {
      err.println("candlebus tail: " + e.getMessage());
      return EXIT_USAGE;
    }
    String password = null;
    if (!options.binance()) {
      password = GatewayLogin.password(options.user(), options.url(), env, in);
      if (password == null) {
        err.println("candlebus tail: no password for user \"" + options.user() + "\": set CANDLEBUS_PASSWORD or "
            + "give it on standard input");
        return EXIT_USAGE;
      }
    }
    quietLogging();
    return follow(options, password, env, out, err);
  }

  private static int follow(TailOptions options, String password, Map<String, String> env, PrintStream out,
      PrintStream err) {
    String noColor = env.get("NO_COLOR");
    boolean colour = System.console() != null && (noColor == null || noColor.isEmpty()); // no-color.org
    TailLine format = new TailLine(options.time(), options.price(), colour, ZoneId.systemDefault());
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Consumer<String> lines = line -> {
      out.println(line);
      if (out.checkError()) {
        exit.complete(0); // stdout closed (`tail ... | head`): done, as with SIGPIPE
      }
    };
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    Reconnector connection;
    if (options.binance()) {
      BinanceTail binance = new BinanceTail(vertx, options, format, lines);
      connection = new Reconnector(vertx, GatewayLogin.display(options.wsUrl()), binance::open, err, "tail");
    } else {
      connection = new GatewayFeed(vertx, options.url(), options.user(), password, List.of(options.address()),
          (address, m) -> show(options, format, m, lines, err), err, "tail").reconnector();
    }
    connection.fatal().onSuccess(f -> {
      err.println("candlebus tail: " + f.getMessage());
      exit.complete(f.exitCode());
    });
    AtomicBoolean decided = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (decided.compareAndSet(false, true)) {
        stop(vertx, connection);
        out.flush();
        err.flush();
        // the JVM would exit 143 (130 on Ctrl-C) after a signal; stopping on request is the normal end of a tail
        Runtime.getRuntime().halt(0);
      }
    }, "tail-shutdown"));
    connection.start();
    int code = exit.join();
    if (decided.compareAndSet(false, true)) {
      stop(vertx, connection);
    }
    return code;
  }

  private static void show(TailOptions options, TailLine format, JsonObject m, Consumer<String> out,
      PrintStream err) {
    if (options.stream() == TailOptions.Stream.TRADE && m.getValue("missed") instanceof Number n) {
      // the gateway drops trades for a client that reads too slowly, and says how many
      err.println("tail: " + n + " trades missed (this terminal read too slowly for the gateway)");
      return;
    }
    String line = options.stream() == TailOptions.Stream.TRADE ? format.trade(m) : format.candle(m);
    if (line != null) {
      out.accept(line);
    }
  }

  /** Closes the connection cleanly (WebSocket close 1000), then Vert.x; bounded, it runs in a shutdown hook. */
  private static void stop(Vertx vertx, Reconnector connection) {
    try {
      Future.<Void>future(p -> vertx.runOnContext(v -> connection.stop().onComplete(p)))
          .compose(v -> vertx.close()).toCompletionStage().toCompletableFuture()
          .get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // the process ends anyway; a slow close only loses its goodbye
    }
  }

  /** Logs go to stdout, which is the data here; tail says what matters itself, on stderr. */
  private static void quietLogging() {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
      logback.reset();
    }
  }

  static String usage() {
    return String.join("\n",
        "usage: candlebus tail --symbol S [--interval I] [--price o|h|l|c] [--stream trade|candle]",
        "                      [--time ms|iso|local] [--url U --user NAME | --binance [--ws-url URL]]",
        "  --url      a running candlebus (default " + TailOptions.DEFAULT_URL + "), --user (default $CANDLEBUS_USER"
            + " or admin),",
        "             password from $CANDLEBUS_PASSWORD or standard input",
        "  --binance  Binance directly, from --ws-url (default $CANDLEBUS_BINANCE_WS_URL or "
            + TailOptions.DEFAULT_WS_URL + ")",
        "exit codes: 0 stopped (Ctrl-C, SIGTERM), 2 bad arguments, 3 refused by the gateway");
  }
}
