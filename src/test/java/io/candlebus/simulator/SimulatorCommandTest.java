package io.candlebus.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SimulatorCommandTest {

  @Test
  void badArgumentsExitWith2AndNameTheArgument() {
    assertThat(runCapturingStderr("--bogus", "1")).isEqualTo(new Result(2, "--bogus"));
    assertThat(runCapturingStderr("--rate", "fast")).isEqualTo(new Result(2, "--rate"));
    assertThat(runCapturingStderr("--port", "70000")).isEqualTo(new Result(2, "--port"));
    assertThat(runCapturingStderr("--symbols")).isEqualTo(new Result(2, "--symbols"));
    assertThat(runCapturingStderr("--replay", "/no/such/file")).isEqualTo(new Result(2, "--replay"));
    assertThat(runCapturingStderr("--start-time", "yesterday")).isEqualTo(new Result(2, "--start-time"));
  }

  @Test
  void argumentsBecomeOptions() {
    SimulatorOptions d = SimulatorCommand.parse(new String[0]);
    assertThat(d.port()).isEqualTo(SimulatorCommand.DEFAULT_PORT);
    assertThat(d.host()).isEqualTo("127.0.0.1");
    SimulatorOptions o = SimulatorCommand.parse(new String[] {"--port", "0", "--symbols", "btcusdt,SOLUSDT",
        "--rate", "12.5", "--seed", "9", "--speed", "60", "--history-minutes", "5",
        "--start-time", "2020-01-04T00:00:00Z", "--replay-speed", "0", "--weight-limit", "100"});
    assertThat(o.port()).isZero();
    assertThat(o.symbols()).containsExactly("BTCUSDT", "SOLUSDT");
    assertThat(o.rate()).isEqualTo(12.5);
    assertThat(o.seed()).isEqualTo(9);
    assertThat(o.speed()).isEqualTo(60);
    assertThat(o.historyMinutes()).isEqualTo(5);
    assertThat(o.startTime()).isEqualTo(1_578_096_000_000L);
    assertThat(o.replaySpeed()).isZero();
    assertThat(o.requestWeightLimit()).isEqualTo(100);
    assertThat(SimulatorCommand.parseTime("2020-01-04")).isEqualTo(1_578_096_000_000L);
    assertThat(SimulatorCommand.parseTime("1578096000000")).isEqualTo(1_578_096_000_000L);
  }

  @Test
  void optionsAreValidated() {
    assertThatThrownBy(() -> SimulatorOptions.defaults().withRate(0)).hasMessageContaining("rate");
    assertThatThrownBy(() -> SimulatorOptions.defaults().withSymbols("BTC-USDT")).hasMessageContaining("symbol");
    assertThatThrownBy(() -> SimulatorOptions.defaults().withSymbols("A1", "A1")).hasMessageContaining("duplicate");
    assertThatThrownBy(() -> SimulatorOptions.defaults().withSpeed(-1)).hasMessageContaining("speed");
  }

  private record Result(int code, String namedArgument) {}

  /** Runs the command; the "named argument" is the first of the known ones found in its single stderr line. */
  private static Result runCapturingStderr(String... args) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = SimulatorCommand.run(args);
    } finally {
      System.setErr(original);
    }
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text.lines()).hasSize(1);
    String named = text.contains(args[0]) ? args[0] : text;
    return new Result(code, named);
  }
}
