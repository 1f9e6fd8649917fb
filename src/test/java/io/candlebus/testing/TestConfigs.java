package io.candlebus.testing;

import io.candlebus.config.CandlebusConfig;
import io.candlebus.config.ConfigLoader;
import io.candlebus.simulator.BinanceSimulator;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Gateway configurations for tests, built through the real loader from {@code CANDLEBUS_*} variables. */
public final class TestConfigs {
  private TestConfigs() {}

  /**
   * Against {@code sim}, HTTP on a free port of 127.0.0.1, the simulator's symbols; {@code pgUrl} null means the
   * embedded server under {@code dataDir}; the ticker board off. {@code overrides} are further CANDLEBUS_* variables.
   */
  public static CandlebusConfig against(BinanceSimulator sim, String pgUrl, Path dataDir,
      Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("CANDLEBUS_HTTP_PORT", "0");
    env.put("CANDLEBUS_HTTP_HOST", "127.0.0.1");
    env.put("CANDLEBUS_BINANCE_WS_URL", sim.wsBaseUrl());
    env.put("CANDLEBUS_BINANCE_REST_URL", sim.restBaseUrl());
    env.put("CANDLEBUS_SYMBOLS", String.join(",", sim.options().symbols()));
    env.put("CANDLEBUS_DATA_DIR", dataDir.toString());
    // the board's connection and REST calls would change what other tests count: its own tests turn it on
    env.put("CANDLEBUS_TICKERS", "false");
    if (pgUrl != null) {
      env.put("CANDLEBUS_PG_URL", pgUrl);
    }
    env.putAll(overrides);
    return ConfigLoader.fromJson(ConfigLoader.builtInDefaults(), "test defaults", env);
  }
}
