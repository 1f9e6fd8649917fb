package io.candlebus;

import io.candlebus.config.CandlebusConfig;
import io.candlebus.config.ConfigException;
import io.candlebus.config.ConfigLoader;
import io.candlebus.load.LoadTest;
import io.candlebus.simulator.SimulatorCommand;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The {@code candlebus} command line (SPEC.md "Commands"): run the gateway, {@code demo} (gateway and built-in
 * simulator), {@code simulate}, {@code user}, {@code loadtest}, {@code soak}, {@code capture} or {@code tail}.
 * Exit codes: 0 stopped normally, 1 failed to start, 2 bad command line or configuration (tail: 3 refused by the
 * gateway).
 */
public final class Main {
  static final int EXIT_USAGE = Lifecycle.EXIT_USAGE;

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
        case "loadtest" -> LoadTest.run(rest, System.out, System.err);
        case "soak" -> Soak.run(rest, System.out, System.err);
        case "tail" -> io.candlebus.tail.TailCommand.run(rest);
        case "capture" -> io.candlebus.capture.CaptureCommand.run(rest, System.out, System.err);
        case "user" -> new UserCommand(loadConfig(confArgs(rest)), System.in, System.out, System.err)
            .run(withoutConf(rest));
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

  /** The {@code --conf FILE} pair of a command's arguments, if any. */
  private static String[] confArgs(String[] args) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--conf")) {
        return new String[] {args[i], args[i + 1]};
      }
    }
    return new String[0];
  }

  private static String[] withoutConf(String[] args) {
    java.util.List<String> out = new java.util.ArrayList<>(java.util.Arrays.asList(args));
    int i = out.indexOf("--conf");
    if (i >= 0 && i + 1 < out.size()) {
      out.remove(i + 1);
      out.remove(i);
    }
    return out.toArray(new String[0]);
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
    return Lifecycle.runUntilStopped("candlebus", Gateway.start(config), Gateway::close);
  }

  private static int usage(int code) {
    (code == 0 ? System.out : System.err).println(String.join("\n",
        "usage: java -jar candlebus.jar [--conf FILE]      run the gateway (default conf/config.json)",
        "       java -jar candlebus.jar demo [--conf FILE] gateway + built-in Binance simulator, offline",
        "       java -jar candlebus.jar simulate [--port N] [--symbols A,B] [--rate TRADES_PER_S] [--seed S]",
        "       java -jar candlebus.jar user add NAME --password-stdin | user list | user remove NAME [--conf FILE]",
        "       java -jar candlebus.jar loadtest [--clients N] [--rate FRAMES_PER_S] [--seconds S] [--symbols K]",
        "                                        [--warmup S] [--nodes M]",
        "       java -jar candlebus.jar soak [--minutes M] [--seed S] [--symbols K]",
        "       java -jar candlebus.jar capture --symbols A,B --streams S,... --out DIR [--minutes M] [--rotate 1h]",
        "       java -jar candlebus.jar tail --symbol S [--interval I] [--price o|h|l|c] [--stream trade|candle]",
        "                                    [--time ms|iso|local] [--url U --user NAME | --binance]"));
    return code;
  }
}
