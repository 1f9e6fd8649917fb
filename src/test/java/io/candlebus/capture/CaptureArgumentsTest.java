package io.candlebus.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad command line: exit code 2, one line on stderr naming the flag, nothing started or written. */
class CaptureArgumentsTest {
  @TempDir
  Path dir;

  private record Result(int code, String out, String err) {}

  private Result run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = CaptureCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** A valid command line with {@code flag} replaced by (or, when absent, extended with) {@code value}. */
  private String[] with(String flag, String value) {
    List<String> args = new ArrayList<>(List.of("--symbols", "BTCUSDT", "--streams", "trade", "--out",
        dir.resolve("out").toString(), "--ws-url", "ws://127.0.0.1:1"));
    int i = args.indexOf(flag);
    if (i >= 0) {
      args.remove(i + 1);
      args.remove(i);
    }
    if (value != null) {
      args.add(flag);
      args.add(value);
    }
    return args.toArray(new String[0]);
  }

  private void assertUsage(Result r, String message) {
    assertThat(r.code()).as("exit code, stderr %s", r.err()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("candlebus capture: " + message + System.lineSeparator());
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void theBriefsExample() {
    assertUsage(run(Map.of(), with("--streams", "trade,kline_7m")),
        "--streams: \"kline_7m\" is not a stream (trade, aggTrade, kline_<interval>, depth5|10|20)");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '#', value = {
      "--symbols#BTC/USDT#--symbols: \"BTC/USDT\" is not a symbol (letters and digits, e.g. BTCUSDT)",
      "--symbols#BTCUSDT,,ETHUSDT#--symbols: an empty item in \"BTCUSDT,,ETHUSDT\" (a comma-separated list)",
      "--streams#depth15#--streams: \"depth15\" is not a stream (trade, aggTrade, kline_<interval>, depth5|10|20)",
      "--streams#aggtrade#--streams: \"aggtrade\" is not a stream (trade, aggTrade, kline_<interval>, depth5|10|20)",
      "--streams#kline_1M,kline_60s#--streams: \"kline_60s\" is not a stream (trade, aggTrade, kline_<interval>,"
          + " depth5|10|20)",
      "--rotate#90x#--rotate: \"90x\" is not a duration (e.g. 30s, 1m, 15m, 1h, 1d)",
      "--rotate#0s#--rotate: \"0s\" is not a duration (e.g. 30s, 1m, 15m, 1h, 1d)",
      "--rotate#1.5h#--rotate: \"1.5h\" is not a duration (e.g. 30s, 1m, 15m, 1h, 1d)",
      "--minutes#abc#--minutes: \"abc\" is not a number of minutes above 0 (e.g. 10 or 0.5)",
      "--minutes#0#--minutes: \"0\" is not a number of minutes above 0 (e.g. 10 or 0.5)",
      "--minutes#-1#--minutes: \"-1\" is not a number of minutes above 0 (e.g. 10 or 0.5)",
      "--ws-url#http://127.0.0.1:9443#--ws-url: \"http://127.0.0.1:9443\" is not a ws:// or wss:// URL"
          + " (e.g. wss://stream.binance.com:9443)",
      "--url#ws://127.0.0.1:8080#--url: \"ws://127.0.0.1:8080\" is not an http:// or https:// URL"
          + " (e.g. http://localhost:8080)",
      "--user#rec#--user: only with --url (Binance needs no login)",
  })
  void badValues(String flag, String value, String message) {
    assertUsage(run(Map.of(), with(flag, value)), message);
  }

  @ParameterizedTest(name = "without {0}")
  @CsvSource(delimiter = '#', value = {
      "--symbols#--symbols: missing (e.g. --symbols BTCUSDT,ETHUSDT)",
      "--streams#--streams: missing (e.g. --streams trade,kline_1m)",
      "--out#--out: missing (the directory to write to, e.g. --out capture)",
  })
  void missingFlags(String flag, String message) {
    assertUsage(run(Map.of(), with(flag, null)), message);
  }

  @Test
  void unknownFlagsAndWords() {
    String options = "not an option of capture (--symbols, --streams, --out, --minutes, --rotate, --ws-url, --url, --user)";
    String[] args = with("--symbols", "BTCUSDT");
    assertUsage(run(Map.of(), concat(args, "--speed", "2")), "--speed: " + options);
    assertUsage(run(Map.of(), concat(args, "--speed=2")), "--speed: " + options);
    assertUsage(run(Map.of(), concat(args, "BTCUSDT")), "\"BTCUSDT\": " + options);
  }

  @Test
  void flagsWithoutValueOrTwice() {
    assertUsage(run(Map.of(), concat(with("--minutes", null), "--minutes")), "--minutes: needs a value");
    assertUsage(run(Map.of(), "--symbols", "--streams", "trade"), "--symbols: needs a value");
    assertUsage(run(Map.of(), concat(with("--rotate", "1m"), "--rotate", "1h")), "--rotate: given twice");
  }

  @Test
  void aBadUrlFromTheEnvironmentNamesTheVariable() {
    assertUsage(run(Map.of("CANDLEBUS_BINANCE_WS_URL", "stream.binance.com"), with("--ws-url", null)),
        "CANDLEBUS_BINANCE_WS_URL: \"stream.binance.com\" is not a ws:// or wss:// URL"
            + " (e.g. wss://stream.binance.com:9443)");
  }

  @Test
  void outMustBeADirectory() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Result r = run(Map.of(), with("--out", file.toString()));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("candlebus capture: --out: \"" + file + "\" is not a directory"
        + System.lineSeparator());
  }

  @Test
  void goodValuesParse() {
    CaptureOptions o = CaptureOptions.parse(new String[] {"--symbols", "btcusdt,ETHUSDT,btcusdt", "--streams",
        "trade,aggTrade,kline_1M,depth20,trade", "--out", "x", "--minutes", "0.5", "--rotate=15m"},
        Map.of("CANDLEBUS_BINANCE_WS_URL", "ws://127.0.0.1:9443"));
    assertThat(o.symbols()).containsExactly("BTCUSDT", "ETHUSDT");
    assertThat(o.streams()).extracting(s -> s.binanceName("BTCUSDT")).containsExactly("btcusdt@trade",
        "btcusdt@aggTrade", "btcusdt@kline_1M", "btcusdt@depth20@100ms");
    assertThat(o.minutes()).isEqualTo(0.5);
    assertThat(o.rotateMillis()).isEqualTo(15 * 60_000L);
    assertThat(o.wsUrl()).hasToString("ws://127.0.0.1:9443");
    assertThat(CaptureOptions.parse(new String[] {"--symbols", "A1", "--streams", "trade", "--out", "x"}, Map.of())
        .wsUrl()).hasToString("wss://stream.binance.com:9443");
    assertThat(CaptureOptions.duration("--rotate", "30s")).isEqualTo(30_000L);
    assertThat(CaptureOptions.duration("--rotate", "1d")).isEqualTo(86_400_000L);
  }

  private static String[] concat(String[] a, String... b) {
    List<String> out = new ArrayList<>(List.of(a));
    out.addAll(List.of(b));
    return out.toArray(new String[0]);
  }
}
