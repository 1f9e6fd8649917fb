package io.candlebus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.candlebus.domain.Interval;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import io.candlebus.tickers.TickerWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  @Test
  void confConfigJsonHoldsTheSpecDefaults() throws Exception {
    JsonObject file = new JsonObject(Files.readString(Path.of("conf/config.json")));
    assertThat(file).isEqualTo(ConfigLoader.builtInDefaults());
    CandlebusConfig c = ConfigLoader.load(Path.of("conf/config.json"), true, Map.of());
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.httpHost()).isEqualTo("0.0.0.0");
    assertThat(c.httpInstances()).as("0 = one HTTP event loop per core")
        .isEqualTo(Math.min(64, Runtime.getRuntime().availableProcessors()));
    assertThat(c.publicOrigins()).containsExactly("http://localhost:8080", "http://127.0.0.1:8080");
    assertThat(c.binanceWsUrl().toString()).isEqualTo("wss://stream.binance.com:9443");
    assertThat(c.binanceRestUrl().toString()).isEqualTo("https://api.binance.com");
    assertThat(c.symbols()).containsExactly("BTCUSDT", "ETHUSDT");
    assertThat(c.intervals()).containsExactly(Interval.M1, Interval.M5, Interval.M15, Interval.H1, Interval.H4,
        Interval.D1);
    assertThat(c.historyLimit()).isEqualTo(1000);
    assertThat(c.pgUrl()).isEmpty();
    assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(c.cluster()).isFalse();
    assertThat(c.clusterMembers()).containsExactly("127.0.0.1:5701");
    assertThat(c.clusterPort()).isEqualTo(5701);
    assertThat(c.role()).isEqualTo(Role.ALL);
    assertThat(c.depth()).isEqualTo(DepthSettings.none()).satisfies(d -> assertThat(d.enabled()).isFalse());
  }

  @Test
  void environmentOverridesEveryKey() {
    Map<String, String> env = Map.ofEntries(
        Map.entry("CANDLEBUS_HTTP_PORT", "9090"),
        Map.entry("CANDLEBUS_HTTP_HOST", "127.0.0.1"),
        Map.entry("CANDLEBUS_PUBLIC_ORIGIN", "https://a.example, http://b.example:81"),
        Map.entry("CANDLEBUS_BINANCE_WS_URL", "ws://127.0.0.1:9443"),
        Map.entry("CANDLEBUS_BINANCE_REST_URL", "http://127.0.0.1:9443"),
        Map.entry("CANDLEBUS_SYMBOLS", "btcusdt, BNBBTC"),
        Map.entry("CANDLEBUS_INTERVALS", "1M,1s,1w,3d"),
        Map.entry("CANDLEBUS_HISTORY_LIMIT", "4320"),
        Map.entry("CANDLEBUS_PG_URL", "postgresql://u:p@db.example:5433/candles"),
        Map.entry("CANDLEBUS_DATA_DIR", "/tmp/cb"),
        Map.entry("CANDLEBUS_CLUSTER", "true"),
        Map.entry("CANDLEBUS_CLUSTER_MEMBERS", "10.0.0.1:5701,10.0.0.2:5701"),
        Map.entry("CANDLEBUS_CLUSTER_HOST", "10.0.0.1"),
        Map.entry("CANDLEBUS_CLUSTER_PORT", "5801"),
        Map.entry("CANDLEBUS_ROLE", "edge"),
        Map.entry("CANDLEBUS_UPSTREAM_MAX_AGE_MS", "60000"),
        Map.entry("CANDLEBUS_UPSTREAM_SILENCE_MS", "5000"),
        Map.entry("CANDLEBUS_HTTP_INSTANCES", "3"),
        Map.entry("CANDLEBUS_DEPTH_SYMBOLS", "btcusdt, ETHUSDT"),
        Map.entry("CANDLEBUS_DEPTH_LEVELS", "20"),
        Map.entry("CANDLEBUS_DEPTH_SNAPSHOT_LIMIT", "5000"),
        Map.entry("CANDLEBUS_DEPTH_RECORD_DIR", "/tmp/books"),
        Map.entry("CANDLEBUS_DEPTH_RECORD_SLICE", "1h"),
        Map.entry("CANDLEBUS_TICKERS", "false"),
        Map.entry("CANDLEBUS_TICKERS_WINDOWS", "1d, 1h"),
        Map.entry("CANDLEBUS_SYMBOLS_MAX", "7"),
        Map.entry("CANDLEBUS_EXCHANGE_INFO_REFRESH_MS", "60000"));
    CandlebusConfig c = ConfigLoader.fromJson(ConfigLoader.builtInDefaults(), "defaults", env);
    assertThat(c.tickers().enabled()).isFalse();
    assertThat(c.tickers().windows()).containsExactly(TickerWindow.D1, TickerWindow.H1);
    assertThat(c.tickers().maxSymbols()).isEqualTo(7);
    assertThat(c.tickers().marketsRefreshMs()).isEqualTo(60_000);
    assertThat(c.depth().symbols()).containsExactly("BTCUSDT", "ETHUSDT");
    assertThat(c.depth().levels()).isEqualTo(20);
    assertThat(c.depth().snapshotLimit()).isEqualTo(5000);
    assertThat(c.depth().recordDir()).contains(Path.of("/tmp/books"));
    assertThat(c.depth().slice()).isEqualTo(RecordSlice.HOUR);
    assertThat(c.httpPort()).isEqualTo(9090);
    assertThat(c.upstreamMaxAgeMs()).isEqualTo(60_000);
    assertThat(c.upstreamSilenceMs()).isEqualTo(5_000);
    assertThat(c.httpInstances()).isEqualTo(3);
    assertThat(c.httpHost()).isEqualTo("127.0.0.1");
    assertThat(c.publicOrigins()).containsExactly("https://a.example", "http://b.example:81");
    assertThat(c.binanceWsUrl().getPort()).isEqualTo(9443);
    assertThat(c.symbols()).containsExactly("BTCUSDT", "BNBBTC");
    assertThat(c.intervals()).containsExactly(Interval.S1, Interval.D3, Interval.W1, Interval.MO1);
    assertThat(c.historyLimit()).isEqualTo(4320);
    assertThat(c.pgUrl()).contains("postgresql://u:p@db.example:5433/candles");
    assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/cb"));
    assertThat(c.cluster()).isTrue();
    assertThat(c.clusterMembers()).hasSize(2);
    assertThat(c.clusterHost()).isEqualTo("10.0.0.1");
    assertThat(c.clusterPort()).isEqualTo(5801);
    assertThat(c.role()).isEqualTo(Role.EDGE);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "CANDLEBUS_HTTP_PORT       | abc",
      "CANDLEBUS_HTTP_PORT       | 70000",
      "CANDLEBUS_HTTP_HOST       | ' '",
      "CANDLEBUS_PUBLIC_ORIGIN   | http://ok.example/path",
      "CANDLEBUS_BINANCE_WS_URL  | https://stream.binance.com",
      "CANDLEBUS_BINANCE_REST_URL| ftp://x",
      "CANDLEBUS_SYMBOLS         | BTC-USDT",
      "CANDLEBUS_SYMBOLS         | ''",
      "CANDLEBUS_INTERVALS       | 1m,2m",
      "CANDLEBUS_INTERVALS       | 1H",
      "CANDLEBUS_HISTORY_LIMIT   | -1",
      "CANDLEBUS_HISTORY_LIMIT   | lots",
      "CANDLEBUS_PG_URL          | mysql://h/db",
      "CANDLEBUS_CLUSTER         | yes",
      "CANDLEBUS_CLUSTER_MEMBERS | host-without-port",
      "CANDLEBUS_CLUSTER_PORT    | 0",
      "CANDLEBUS_ROLE            | master",
      "CANDLEBUS_UPSTREAM_MAX_AGE_MS | 86400000",
      "CANDLEBUS_UPSTREAM_SILENCE_MS | 10ms",
      "CANDLEBUS_HTTP_INSTANCES  | 65",
      "CANDLEBUS_HTTP_INSTANCES  | -1",
      "CANDLEBUS_DEPTH_SYMBOLS   | BTC/USDT",
      "CANDLEBUS_DEPTH_LEVELS    | 7",
      "CANDLEBUS_DEPTH_LEVELS    | five",
      "CANDLEBUS_DEPTH_SNAPSHOT_LIMIT | 5001",
      "CANDLEBUS_DEPTH_SNAPSHOT_LIMIT | 0",
      "CANDLEBUS_DEPTH_RECORD_SLICE | 5m",
  })
  void aBadValueStopsWithOneLineNamingTheKeyAndValue(String key, String value) {
    assertThatThrownBy(() -> ConfigLoader.fromJson(ConfigLoader.builtInDefaults(), "defaults", Map.of(key, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key)
        .hasMessageContaining("\"" + value + "\"")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void badTickerSettingsAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> ConfigLoader.fromJson(ConfigLoader.builtInDefaults(), "defaults",
        Map.of("CANDLEBUS_TICKERS_WINDOWS", "1h,24h"))).hasMessageContaining("CANDLEBUS_TICKERS_WINDOWS")
        .hasMessageContaining("1h, 4h, 1d");
    assertThatThrownBy(() -> ConfigLoader.fromJson(ConfigLoader.builtInDefaults(), "defaults",
        Map.of("CANDLEBUS_TICKERS", "yes"))).hasMessageContaining("CANDLEBUS_TICKERS = \"yes\"");
    assertThatThrownBy(() -> ConfigLoader.fromJson(ConfigLoader.builtInDefaults(), "defaults",
        Map.of("CANDLEBUS_SYMBOLS_MAX", "0"))).hasMessageContaining("CANDLEBUS_SYMBOLS_MAX");
    CandlebusConfig d = ConfigLoader.fromJson(ConfigLoader.builtInDefaults(), "defaults", Map.of());
    assertThat(d.tickers()).isEqualTo(TickerSettings.defaults());
  }

  @Test
  void aClusterWithoutASharedDatabaseIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> ConfigLoader.fromJson(ConfigLoader.builtInDefaults(), "defaults",
        Map.of("CANDLEBUS_CLUSTER", "true")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CANDLEBUS_PG_URL").hasMessageContaining("CANDLEBUS_CLUSTER = true")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(ConfigLoader.fromJson(ConfigLoader.builtInDefaults(), "defaults",
        Map.of("CANDLEBUS_CLUSTER", "true", "CANDLEBUS_PG_URL", "postgresql://db.example/candles"))
        .symbolsAtStart()).as("a cluster node carries only what it is given").isEmpty();
  }

  @Test
  void passwordsInABadPgUrlAreNotEchoed() {
    assertThatThrownBy(() -> ConfigLoader.fromJson(ConfigLoader.builtInDefaults(), "defaults",
        Map.of("CANDLEBUS_PG_URL", "postgresql://user:secret@/")))
        .hasMessageContaining("CANDLEBUS_PG_URL").hasMessageNotContaining("secret");
  }

  @Test
  void fileValuesAndUnknownKeysAreNamedWithTheFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("c.json");
    Files.writeString(f, "{\"http.port\": \"eighty\"}");
    assertThatThrownBy(() -> ConfigLoader.load(f, true, Map.of()))
        .hasMessageContaining("http.port in " + f).hasMessageContaining("\"eighty\"");
    Files.writeString(f, "{\"symbol\": \"BTCUSDT\"}");
    assertThatThrownBy(() -> ConfigLoader.load(f, true, Map.of())).hasMessageContaining("unknown key \"symbol\"");
    Files.writeString(f, "{not json");
    assertThatThrownBy(() -> ConfigLoader.load(f, true, Map.of())).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.json"), true, Map.of()))
        .hasMessageContaining("does not exist");
  }

  @Test
  void jsonArraysAreAcceptedForLists(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("c.json");
    Files.writeString(f, "{\"symbols\": [\"ethbtc\", \"BNBUSDT\"], \"intervals\": [\"1h\"]}");
    CandlebusConfig c = ConfigLoader.load(f, true, Map.of());
    assertThat(c.symbols()).containsExactly("ETHBTC", "BNBUSDT");
    assertThat(c.intervals()).containsExactly(Interval.H1);
  }
}
