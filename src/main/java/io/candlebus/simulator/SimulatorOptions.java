package io.candlebus.simulator;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a {@link BinanceSimulator} runs. Start from {@link #defaults()} and change what you need with the
 * {@code withX} methods; every instance is validated when built.
 *
 * @param host bind address, 127.0.0.1 unless you mean to expose it
 * @param port 0 = a random free port
 * @param symbols upper-case symbols to simulate, e.g. BTCUSDT
 * @param rate mean aggTrades per second per symbol, in simulated time
 * @param seed with symbol, startTime, rate and historyMinutes this fixes every trade
 * @param startTime simulated "now" at start, epoch ms; 0 = the wall clock at start (not reproducible)
 * @param speed simulated ms per real ms; 1.0 = real time, 60 = a minute per second
 * @param historyMinutes trades generated before startTime so REST has history from the first request
 * @param pingIntervalMs a ping frame on every connection this often (real ms)
 * @param klineArchiveDir data.binance.vision 1m zips served by /api/v3/klines for their symbols; nullable
 * @param replayFiles cryptofeed captures replayed to subscribed connections; may be empty
 * @param replaySpeed recorded seconds per real second; 0 = as fast as possible
 * @param exchangeInfoFile a recorded exchangeInfo (cryptofeed line format) served instead of the synthetic one;
 *     nullable
 * @param requestWeightLimit REST request weight allowed per IP in any 60 s (real time)
 * @param pongTimeoutMs a connection whose oldest unanswered ping is older than this is closed (real ms)
 * @param maxTradesPerSymbol trades kept in memory per symbol; older ones are dropped in blocks
 */
public record SimulatorOptions(
    String host,
    int port,
    List<String> symbols,
    double rate,
    long seed,
    long startTime,
    double speed,
    int historyMinutes,
    long pingIntervalMs,
    Path klineArchiveDir,
    List<Path> replayFiles,
    double replaySpeed,
    Path exchangeInfoFile,
    int requestWeightLimit,
    long pongTimeoutMs,
    int maxTradesPerSymbol) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final long DEFAULT_PONG_TIMEOUT_MS = 60_000L;
  public static final int DEFAULT_MAX_TRADES_PER_SYMBOL = 2_000_000;

  public SimulatorOptions {
    Objects.requireNonNull(host, "host");
    symbols = List.copyOf(Objects.requireNonNull(symbols, "symbols"));
    replayFiles = replayFiles == null ? List.of() : List.copyOf(replayFiles);
    require(!host.isBlank(), "host must not be blank");
    require(port >= 0 && port <= 65535, "port must be 0..65535, got " + port);
    require(!symbols.isEmpty(), "at least one symbol is needed");
    for (String s : symbols) {
      require(s.matches("[A-Z0-9]{2,20}"), "symbol must be upper-case letters/digits: " + s);
    }
    require(symbols.stream().distinct().count() == symbols.size(), "duplicate symbol in " + symbols);
    require(rate > 0 && rate <= 10_000 && Double.isFinite(rate), "rate must be in (0, 10000], got " + rate);
    require(startTime >= 0, "startTime must be >= 0, got " + startTime);
    require(speed > 0 && Double.isFinite(speed), "speed must be > 0, got " + speed);
    require(historyMinutes >= 0, "historyMinutes must be >= 0, got " + historyMinutes);
    require(pingIntervalMs > 0, "pingIntervalMs must be > 0, got " + pingIntervalMs);
    require(replaySpeed >= 0 && Double.isFinite(replaySpeed), "replaySpeed must be >= 0, got " + replaySpeed);
    require(requestWeightLimit > 0, "requestWeightLimit must be > 0, got " + requestWeightLimit);
    require(pongTimeoutMs > 0, "pongTimeoutMs must be > 0, got " + pongTimeoutMs);
    require(maxTradesPerSymbol >= 1024, "maxTradesPerSymbol must be >= 1024, got " + maxTradesPerSymbol);
  }

  /** The brief's 14 parameters; the pong timeout and trade cap take their defaults. */
  public SimulatorOptions(String host, int port, List<String> symbols, double rate, long seed, long startTime,
      double speed, int historyMinutes, long pingIntervalMs, Path klineArchiveDir, List<Path> replayFiles,
      double replaySpeed, Path exchangeInfoFile, int requestWeightLimit) {
    this(host, port, symbols, rate, seed, startTime, speed, historyMinutes, pingIntervalMs, klineArchiveDir,
        replayFiles, replaySpeed, exchangeInfoFile, requestWeightLimit, DEFAULT_PONG_TIMEOUT_MS,
        DEFAULT_MAX_TRADES_PER_SYMBOL);
  }

  /**
   * 127.0.0.1, random port, BTCUSDT and ETHUSDT at 5 trades/s, seed 42, wall-clock start, real-time speed,
   * 60 minutes of history, Binance's 20 s pings and 60 s pong deadline, 6000 weight per minute.
   */
  public static SimulatorOptions defaults() {
    return new SimulatorOptions(DEFAULT_HOST, 0, List.of("BTCUSDT", "ETHUSDT"), 5.0, 42L, 0L, 1.0, 60, 20_000L,
        null, List.of(), 1.0, null, 6000);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  public SimulatorOptions withHost(String v) {
    return new SimulatorOptions(v, port, symbols, rate, seed, startTime, speed, historyMinutes, pingIntervalMs,
        klineArchiveDir, replayFiles, replaySpeed, exchangeInfoFile, requestWeightLimit, pongTimeoutMs,
        maxTradesPerSymbol);
  }

  public SimulatorOptions withPort(int v) {
    return new SimulatorOptions(host, v, symbols, rate, seed, startTime, speed, historyMinutes, pingIntervalMs,
        klineArchiveDir, replayFiles, replaySpeed, exchangeInfoFile, requestWeightLimit, pongTimeoutMs,
        maxTradesPerSymbol);
  }

  /** Symbols are upper-cased, so {@code withSymbols("btcusdt")} works. */
  public SimulatorOptions withSymbols(String... v) {
    return withSymbols(List.of(v));
  }

  public SimulatorOptions withSymbols(List<String> v) {
    List<String> upper = v.stream().map(s -> s.trim().toUpperCase(Locale.ROOT)).toList();
    return new SimulatorOptions(host, port, upper, rate, seed, startTime, speed, historyMinutes, pingIntervalMs,
        klineArchiveDir, replayFiles, replaySpeed, exchangeInfoFile, requestWeightLimit, pongTimeoutMs,
        maxTradesPerSymbol);
  }

  public SimulatorOptions withRate(double v) {
    return new SimulatorOptions(host, port, symbols, v, seed, startTime, speed, historyMinutes, pingIntervalMs,
        klineArchiveDir, replayFiles, replaySpeed, exchangeInfoFile, requestWeightLimit, pongTimeoutMs,
        maxTradesPerSymbol);
  }

  public SimulatorOptions withSeed(long v) {
    return new SimulatorOptions(host, port, symbols, rate, v, startTime, speed, historyMinutes, pingIntervalMs,
        klineArchiveDir, replayFiles, replaySpeed, exchangeInfoFile, requestWeightLimit, pongTimeoutMs,
        maxTradesPerSymbol);
  }

  public SimulatorOptions withStartTime(long v) {
    return new SimulatorOptions(host, port, symbols, rate, seed, v, speed, historyMinutes, pingIntervalMs,
        klineArchiveDir, replayFiles, replaySpeed, exchangeInfoFile, requestWeightLimit, pongTimeoutMs,
        maxTradesPerSymbol);
  }

  public SimulatorOptions withSpeed(double v) {
    return new SimulatorOptions(host, port, symbols, rate, seed, startTime, v, historyMinutes, pingIntervalMs,
        klineArchiveDir, replayFiles, replaySpeed, exchangeInfoFile, requestWeightLimit, pongTimeoutMs,
        maxTradesPerSymbol);
  }

  public SimulatorOptions withHistoryMinutes(int v) {
    return new SimulatorOptions(host, port, symbols, rate, seed, startTime, speed, v, pingIntervalMs,
        klineArchiveDir, replayFiles, replaySpeed, exchangeInfoFile, requestWeightLimit, pongTimeoutMs,
        maxTradesPerSymbol);
  }

  public SimulatorOptions withPingIntervalMs(long v) {
    return new SimulatorOptions(host, port, symbols, rate, seed, startTime, speed, historyMinutes, v,
        klineArchiveDir, replayFiles, replaySpeed, exchangeInfoFile, requestWeightLimit, pongTimeoutMs,
        maxTradesPerSymbol);
  }

  public SimulatorOptions withKlineArchiveDir(Path v) {
    return new SimulatorOptions(host, port, symbols, rate, seed, startTime, speed, historyMinutes, pingIntervalMs,
        v, replayFiles, replaySpeed, exchangeInfoFile, requestWeightLimit, pongTimeoutMs, maxTradesPerSymbol);
  }

  public SimulatorOptions withReplayFiles(List<Path> v) {
    return new SimulatorOptions(host, port, symbols, rate, seed, startTime, speed, historyMinutes, pingIntervalMs,
        klineArchiveDir, v, replaySpeed, exchangeInfoFile, requestWeightLimit, pongTimeoutMs, maxTradesPerSymbol);
  }

  public SimulatorOptions withReplaySpeed(double v) {
    return new SimulatorOptions(host, port, symbols, rate, seed, startTime, speed, historyMinutes, pingIntervalMs,
        klineArchiveDir, replayFiles, v, exchangeInfoFile, requestWeightLimit, pongTimeoutMs, maxTradesPerSymbol);
  }

  public SimulatorOptions withExchangeInfoFile(Path v) {
    return new SimulatorOptions(host, port, symbols, rate, seed, startTime, speed, historyMinutes, pingIntervalMs,
        klineArchiveDir, replayFiles, replaySpeed, v, requestWeightLimit, pongTimeoutMs, maxTradesPerSymbol);
  }

  public SimulatorOptions withRequestWeightLimit(int v) {
    return new SimulatorOptions(host, port, symbols, rate, seed, startTime, speed, historyMinutes, pingIntervalMs,
        klineArchiveDir, replayFiles, replaySpeed, exchangeInfoFile, v, pongTimeoutMs, maxTradesPerSymbol);
  }

  public SimulatorOptions withPongTimeoutMs(long v) {
    return new SimulatorOptions(host, port, symbols, rate, seed, startTime, speed, historyMinutes, pingIntervalMs,
        klineArchiveDir, replayFiles, replaySpeed, exchangeInfoFile, requestWeightLimit, v, maxTradesPerSymbol);
  }

  public SimulatorOptions withMaxTradesPerSymbol(int v) {
    return new SimulatorOptions(host, port, symbols, rate, seed, startTime, speed, historyMinutes, pingIntervalMs,
        klineArchiveDir, replayFiles, replaySpeed, exchangeInfoFile, requestWeightLimit, pongTimeoutMs, v);
  }
}
