package io.candlebus.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bad command lines of {@code candlebus tail}, each in its own JVM as a user types it: exit code 2, nothing on
 * stdout, and exactly one line on stderr naming the flag. Nothing is listening: none of them may get as far as
 * connecting.
 */
class TailArgumentsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @Test
  void badArgumentsExit2WithOneLineNamingTheFlag() throws Exception {
    Map<List<String>, String> cases = new LinkedHashMap<>();
    cases.put(List.of("--symbol", "btcusdt", "--price", "x"),
        "candlebus tail: --price: \"x\" is not one of o, h, l, c");
    cases.put(List.of("--symbol", "btcusdt", "--frobnicate"), "candlebus tail: unknown flag \"--frobnicate\"");
    cases.put(List.of(), "candlebus tail: --symbol is required");
    cases.put(List.of("--interval", "1m"), "candlebus tail: --symbol is required");
    cases.put(List.of("--symbol", "btcusdt", "--interval", "2m"), "candlebus tail: --interval: \"2m\" is not one "
        + "of 1s, 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w, 1M");
    cases.put(List.of("--symbol", "btcusdt", "--stream", "bars"),
        "candlebus tail: --stream: \"bars\" is not one of candle, trade");
    cases.put(List.of("--symbol", "btcusdt", "--time", "utc"),
        "candlebus tail: --time: \"utc\" is not one of ms, iso, local");
    cases.put(List.of("--symbol", "btc/usdt"), "candlebus tail: --symbol: \"btc/usdt\" is not a symbol");
    cases.put(List.of("--symbol"), "candlebus tail: --symbol: needs a value");
    cases.put(List.of("--symbol", "btcusdt", "--url", "ftp://example.com"),
        "candlebus tail: --url: \"ftp://example.com\" is not a http:// or https://host[:port] URL");
    cases.put(List.of("--symbol", "btcusdt", "--binance", "--user", "alice"),
        "candlebus tail: --user: not used with --binance");
    cases.put(List.of("--symbol", "btcusdt", "--ws-url", "ws://127.0.0.1:1"),
        "candlebus tail: --ws-url: only with --binance");
    cases.put(List.of("--symbol", "btcusdt", "--stream", "trade", "--price", "h"),
        "candlebus tail: --price: only for --stream candle");
    cases.put(List.of("--symbol", "btcusdt", "--price", "c", "--price", "o"), "candlebus tail: --price: given twice");
    cases.put(List.of("btcusdt"), "candlebus tail: unexpected argument \"btcusdt\"");
    // JVMs start side by side: the cases are independent
    List<TailProcess> runs = new ArrayList<>();
    for (List<String> args : cases.keySet()) {
      runs.add(TailProcess.start(Map.of("CANDLEBUS_PASSWORD", "unused"), args.toArray(new String[0])));
    }
    int i = 0;
    for (Map.Entry<List<String>, String> c : cases.entrySet()) {
      try (TailProcess p = runs.get(i++)) {
        assertThat(p.awaitExit(PATIENCE)).as("exit code of tail %s", c.getKey()).isEqualTo(2);
        assertThat(p.err()).as("stderr of tail %s", c.getKey()).hasSize(1);
        assertThat(p.err().get(0)).as("stderr of tail %s", c.getKey()).startsWith(c.getValue());
        assertThat(p.out()).as("stdout of tail %s", c.getKey()).isEmpty();
      }
    }
  }

  @Test
  void noPasswordAnywhereExits2() throws Exception {
    try (TailProcess p = TailProcess.start(Map.of(), "--symbol", "btcusdt", "--url", "http://127.0.0.1:1",
        "--user", "alice")) {
      p.process().getOutputStream().close(); // stdin at its end: no line to read
      assertThat(p.awaitExit(PATIENCE)).isEqualTo(2);
      assertThat(p.err()).containsExactly("candlebus tail: no password for user \"alice\": set CANDLEBUS_PASSWORD "
          + "or give it on standard input");
    }
  }

  @Test
  void helpPrintsTheUsageAndExits0() throws Exception {
    try (TailProcess p = TailProcess.start(Map.of(), "--help")) {
      assertThat(p.awaitExit(PATIENCE)).isZero();
      assertThat(p.out().get(0)).startsWith("usage: candlebus tail --symbol S");
      assertThat(p.err()).isEmpty();
    }
  }
}
