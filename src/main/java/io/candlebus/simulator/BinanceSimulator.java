package io.candlebus.simulator;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Binance-compatible market-data server on one port: WebSocket streams ({@code /ws/<stream>},
 * {@code /stream?streams=a/b}), REST ({@code /api/v3/...}) and its own control routes ({@code /sim/...}), streams
 * and REST answered from one deterministic trade history per symbol, so that they agree exactly (the 24 h tickers
 * of {@code /api/v3/ticker/24hr} and {@code !miniTicker@arr} included). See {@link SimulatorOptions} for what can
 * be set.
 *
 * <p>Deploy it like any verticle; {@link #port()} and the URLs are valid once deployment succeeded. Every public
 * method is safe from any thread. The faults run on the simulator's event loop; their futures complete once the
 * fault took effect, and fail (IllegalArgumentException, IllegalStateException) rather than throw.
 */
public final class BinanceSimulator extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BinanceSimulator.class);
  /** Real ms between stream ticks; at speed 60 a tick is 1.2 s of simulated time. */
  static final long TICK_MS = 20;

  private final SimulatorOptions options;
  private final SimCounters counters = new SimCounters();
  private final TradeFaults tradeFaults = new TradeFaults();
  private final TickerFaults tickerFaults = new TickerFaults();
  private final RestGuard guard;
  private volatile SimClock clock;
  private volatile Map<String, TradeHistory> histories = Map.of();
  private volatile ConnectionRegistry registry;
  private volatile FaultActions faults;
  private StreamEngine engine;
  private volatile DepthEngine depth;
  private volatile TickerEngine tickers;
  private volatile ExchangeInfo exchangeInfo;
  private ReplayPlayer replay;
  private volatile int port = -1;
  private long tickTimer = -1;

  public BinanceSimulator(SimulatorOptions options) {
    this.options = options;
    this.guard = new RestGuard(new WeightLimiter(options.requestWeightLimit()), counters, tickerFaults);
  }

  /** What the blocking part of the start loads from disk. */
  private record Loaded(KlineArchive archive, ExchangeInfo exchangeInfo, ReplayPlayer replay, TickerEngine tickers) {}

  @Override
  public Future<?> start() {
    long start = options.startTime() == 0 ? System.currentTimeMillis() : options.startTime();
    SimClock c = new SimClock(start, options.speed());
    Map<String, TradeHistory> hs = new LinkedHashMap<>();
    long historyStart = start - options.historyMinutes() * 60_000L;
    for (String s : options.symbols()) {
      hs.put(s, new TradeHistory(s, options.seed(), options.rate(), historyStart, options.maxTradesPerSymbol()));
    }
    clock = c;
    histories = hs;
    return vertx.executeBlocking(() -> load(c, hs)).compose(this::listen);
  }

  private Loaded load(SimClock c, Map<String, TradeHistory> hs) throws IOException {
    hs.values().forEach(h -> h.advanceTo(c.now()));
    KlineArchive archive = options.klineArchiveDir() == null ? null : KlineArchive.load(options.klineArchiveDir());
    ExchangeInfo info = options.exchangeInfoFile() == null
        ? ExchangeInfo.synthetic(options.symbols(), options.requestWeightLimit())
        : ExchangeInfo.fromFile(options.exchangeInfoFile(), options.symbols(), options.requestWeightLimit());
    ReplayPlayer player = options.replayFiles().isEmpty() ? null
        : ReplayPlayer.load(options.replayFiles(), options.replaySpeed());
    return new Loaded(archive, info, player, new TickerEngine(c, hs));
  }

  private Future<HttpServer> listen(Loaded loaded) {
    engine = new StreamEngine(clock, histories, tradeFaults);
    depth = new DepthEngine(clock, histories, options.seed());
    tickers = loaded.tickers();
    registry = new ConnectionRegistry(engine, depth, tickers);
    engine.attach(registry);
    depth.attach(registry);
    tickers.attach(registry, depth);
    exchangeInfo = loaded.exchangeInfo();
    faults = new FaultActions(vertx, clock, histories, registry, engine, tradeFaults);
    replay = loaded.replay();
    depth.replay(replay);
    RestApi rest = new RestApi(vertx, clock, histories, loaded.archive(), loaded.exchangeInfo(), guard, tradeFaults,
        depth, tickers, tickerFaults);
    HttpServer server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(options.host()).setPort(options.port()).setMaxWebSocketFrameSize(1 << 20)
        .setMaxWebSocketMessageSize(1 << 22)
        // a client that ignores our close frame (pong timeout, rate limit) is cut after 2 s, not Vert.x's 10 s
        .setWebSocketClosingTimeout(2));
    server.requestHandler(rest.router(new SimControlApi(this)))
        .webSocketHandshakeHandler(this::handleHandshake)
        .webSocketHandler(this::handleWebSocket);
    return server.listen().onSuccess(s -> {
      port = s.actualPort();
      tickTimer = vertx.setPeriodic(TICK_MS, id -> tick());
      List<String> symbols = options.symbols();
      LOG.info("Binance simulator on {} and {} (symbols {}, simulated start {}, speed {})", wsBaseUrl(),
          restBaseUrl(), symbols.size() <= 20 ? symbols : symbols.size() + " from " + symbols.get(0),
          clock.startTime(), options.speed());
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(tickTimer);
    return Future.succeededFuture();
  }

  private void tick() {
    long t0 = System.nanoTime();
    engine.tick();
    depth.tick(System.nanoTime());
    tickers.tick(System.nanoTime());
    if (replay != null) {
      replay.tick(registry, System.nanoTime());
    }
    counters.tickTook(System.nanoTime() - t0);
  }

  /** The running counts, for tests in this package (tick cost, weights). */
  SimCounters counters() {
    return counters;
  }

  private void handleHandshake(ServerWebSocketHandshake hs) {
    counters.connectionAttempts.incrementAndGet();
    List<String> streams = StreamName.ofUrl(hs.path(), hs.query());
    if (streams == null) {
      hs.reject(404);
    } else if (streams.size() > ControlProtocol.MAX_STREAMS) {
      hs.reject(400);
    } else {
      hs.accept();
    }
  }

  private void handleWebSocket(ServerWebSocket ws) {
    List<String> streams = StreamName.ofUrl(ws.path(), ws.query());
    boolean combined = ws.path().startsWith("/stream");
    WsConnection conn = new WsConnection(vertx, ws, registry, combined, clock::now, counters,
        options.pongTimeoutMs());
    conn.start(streams == null ? List.of() : streams, options.pingIntervalMs());
  }

  public int port() {
    return port;
  }

  public String wsBaseUrl() {
    return "ws://" + options.host() + ":" + port;
  }

  public String restBaseUrl() {
    return "http://" + options.host() + ":" + port;
  }

  /** Simulated exchange time, epoch ms. */
  public long now() {
    SimClock c = clock;
    if (c == null) {
      throw new IllegalStateException("the simulator has not been started");
    }
    return c.now();
  }

  public SimulatorOptions options() {
    return options;
  }

  /** The trades of a simulated symbol (upper-case); IllegalArgumentException for others. */
  public TradeHistory history(String symbol) {
    TradeHistory h = histories.get(symbol);
    if (h == null) {
      throw new IllegalArgumentException("not a simulated symbol: " + symbol + " (have " + histories.keySet() + ")");
    }
    return h;
  }

  /** Sends {@code text} as a text frame, unchanged, to every open connection that is not silenced. */
  public void injectRaw(String text) {
    context.runOnContext(v -> registry.forEach(c -> c.sendText(text)));
  }

  /**
   * Sends one event ({@code payload}, the event's JSON) to the subscribers of {@code stream} only, framed as each
   * connection expects (combined streams wrap it), as the stream engine sends its own events.
   */
  public void publish(String stream, String payload) {
    context.runOnContext(v -> registry.subscribers(stream).forEach(c -> c.send(stream, payload)));
  }

  public int openConnections() {
    return registry == null ? 0 : registry.size();
  }

  /** All streams of all open connections. */
  public List<String> subscriptions() {
    return registry == null ? List.of() : registry.allStreams();
  }

  /** Pongs received on all connections since start. */
  public long pongsReceived() {
    return counters.pongs.get();
  }

  /** Closes every stream connection (close code 1001, going away), as Binance does before maintenance. */
  public void dropAllConnections() {
    dropAll();
  }

  /** Closes every stream connection with 1001 Going away; completes once all are gone, with how many. */
  public Future<Integer> dropAll() {
    return onLoop(FaultActions::dropAll);
  }

  /** The connections open now send nothing more (events, pings, replies) but stay open; new ones are normal. */
  public Future<Integer> silenceOpenConnections() {
    return onLoop(FaultActions::silenceOpen);
  }

  /** The next {@code count} aggTrades of {@code symbol} not streamed yet never reach a stream; REST keeps them. */
  public Future<LongRange> skipNextTrades(String symbol, int count) {
    return onLoop(f -> f.hideTrades(symbol, count, false));
  }

  /** Like {@link #skipNextTrades}, and REST aggTrades never returns them either; klines keep them. */
  public Future<LongRange> loseNextTrades(String symbol, int count) {
    return onLoop(f -> f.hideTrades(symbol, count, true));
  }

  /** The next {@code count} depth diffs of {@code symbol} are not streamed (a hole in its update ids). */
  public Future<Integer> skipDepthDiffs(String symbol, int count) {
    return onLoop(f -> Future.succeededFuture(depth.skipDiffs(symbol, count)));
  }

  /** The next {@code count} depth snapshots of {@code symbol} are its book as it is now; its update id. */
  public Future<Long> staleDepthSnapshots(String symbol, int count) {
    return onLoop(f -> Future.succeededFuture(depth.staleSnapshots(symbol, count)));
  }

  /**
   * {@code count} bad frames of {@link MalformedDepthFrames} that pretend to continue {@code symbol}'s book, to
   * every connection carrying its {@code @depth@100ms}; completes with how many connections got them.
   */
  public Future<Integer> injectMalformedDepth(String symbol, int count, long seed) {
    return onLoop(f -> depth.injectMalformed(symbol, count, seed));
  }

  /** Binance's serverShutdown event to every connection, which is closed {@code closeAfterMs} later. */
  public Future<Integer> serverShutdown(long closeAfterMs) {
    return onLoop(f -> f.serverShutdown(closeAfterMs));
  }

  /**
   * The next {@code count} REST requests (any /api endpoint; not those a ban already refuses) are answered
   * {@code status} (429 or 418) with {@code Retry-After: retryAfterSeconds} and code -1003. Takes effect before
   * this returns; IllegalArgumentException for a bad argument.
   */
  public void restFault(int status, long retryAfterSeconds, int count) {
    guard.restFault(status, retryAfterSeconds, count);
  }

  /**
   * The next {@code count} all-symbols {@code GET /api/v3/ticker/24hr} calls (neither {@code symbol} nor
   * {@code symbols}) are answered {@code status} (429 or 418) with {@code Retry-After: retryAfterSeconds} and code
   * -1003, cost no weight and are logged as refusals; calls with {@code symbol}/{@code symbols} and every other
   * request are answered as usual (no ban follows, unlike {@link #restFault}). {@link #restFault} still comes
   * first. Replaces what is left of an earlier one; count 0 clears it. Takes effect before this returns;
   * IllegalArgumentException for a bad argument.
   */
  public void tickerSnapshotRefuse(int status, long retryAfterSeconds, int count) {
    tickerFaults.refuse(status, retryAfterSeconds, count);
  }

  /**
   * The next {@code count} all-symbols {@code GET /api/v3/ticker/24hr} calls that are answered (not refused) are
   * computed, and charged, when they arrive, but their answer is sent {@code delayMs} later (a timer, nothing
   * blocks): their closeTime is the arrival's simulated now, older than stream frames sent meanwhile. Replaces
   * what is left of an earlier one; count 0 clears it. Takes effect before this returns; IllegalArgumentException
   * for a bad argument.
   */
  public void tickerSnapshotDelay(long delayMs, int count) {
    tickerFaults.delay(delayMs, count);
  }

  /**
   * Sets {@code symbol}'s {@code status} in {@code /api/v3/exchangeInfo} (e.g. TRADING to BREAK) for every later
   * answer; the trades, streams and tickers go on unchanged. Any symbol exchangeInfo lists (a recorded one too).
   * Takes effect before this returns (it encodes the answer again: tens of ms for a recorded one);
   * IllegalArgumentException for an unknown symbol or a status that is not upper-case letters and '_',
   * IllegalStateException before the start.
   */
  public void setSymbolStatus(String symbol, String status) {
    ExchangeInfo info = exchangeInfo;
    if (info == null) {
      throw new IllegalStateException("the simulator has not been started");
    }
    if (status == null || !status.matches("[A-Z_]{1,32}")) {
      throw new IllegalArgumentException("status must be upper-case letters and '_' (TRADING, BREAK, ...), not "
          + status);
    }
    info.setStatus(symbol, status);
  }

  /** {@code symbol}'s status in exchangeInfo now; null for a symbol it does not list or before the start. */
  public String symbolStatus(String symbol) {
    ExchangeInfo info = exchangeInfo;
    return info == null ? null : info.status(symbol);
  }

  /** All-symbols {@code GET /api/v3/ticker/24hr} requests received so far, refused ones included. */
  public long tickerSnapshotCalls() {
    return counters.tickerAllCalls.get();
  }

  /** {@code GET /api/v3/ticker/24hr} requests with {@code symbol} or {@code symbols} received so far. */
  public long tickerSymbolCalls() {
    return counters.tickerSymbolCalls.get();
  }

  /** {@code count} frames of {@link MalformedFrames#generate} to every connection; completes with how many. */
  public Future<Integer> injectMalformed(int count, long seed) {
    return onLoop(f -> f.injectMalformed(count, seed));
  }

  public SimStats stats() {
    ConnectionRegistry r = registry;
    return new SimStats(counters.connectionAttempts.get(), r == null ? 0 : r.size(), r == null ? 0 : r.silenced(),
        counters.rateLimitCloses.get(), counters.pongTimeoutCloses.get(), counters.controlMessages.get(),
        counters.pongs.get(), counters.restRequests.get(), counters.restRefused.get(),
        counters.restViolations.get(), counters.maxWeightUsed.get(), guard.limit(),
        r == null ? Map.of() : r.streamCounts());
  }

  /** REST requests in arrival order (the newest {@value RestGuard#MAX_LOGGED_CALLS}); /sim routes are not in it. */
  public List<RestCall> restCalls() {
    return guard.calls();
  }

  private <T> Future<T> onLoop(Function<FaultActions, Future<T>> action) {
    Context ctx = context;
    FaultActions f = faults;
    if (ctx == null || f == null) {
      return Future.failedFuture(new IllegalStateException("the simulator has not been started"));
    }
    Promise<T> done = Promise.promise();
    ctx.runOnContext(v -> {
      try {
        action.apply(f).onComplete(done);
      } catch (RuntimeException e) {
        done.fail(e);
      }
    });
    return done.future();
  }
}
