package io.candlebus.simulator;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Binance-compatible market-data server on one port: WebSocket streams ({@code /ws/<stream>},
 * {@code /stream?streams=a/b}) and REST ({@code /api/v3/...}), both answered from one deterministic trade history
 * per symbol, so that stream and REST agree exactly. See {@link SimulatorOptions} for what can be set.
 *
 * <p>Deploy it like any verticle; {@link #port()} and the URLs are valid once deployment succeeded. The accessors
 * are safe from any thread, the actions ({@link #injectRaw}, {@link #dropAllConnections}) run asynchronously on
 * the simulator's event loop.
 */
public final class BinanceSimulator extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BinanceSimulator.class);
  /** Real ms between stream ticks; at speed 60 a tick is 1.2 s of simulated time. */
  static final long TICK_MS = 20;

  private final SimulatorOptions options;
  private final AtomicLong pongs = new AtomicLong();
  private volatile SimClock clock;
  private volatile Map<String, TradeHistory> histories = Map.of();
  private volatile ConnectionRegistry registry;
  private StreamEngine engine;
  private ReplayPlayer replay;
  private volatile int port = -1;
  private long tickTimer = -1;

  public BinanceSimulator(SimulatorOptions options) {
    this.options = options;
  }

  /** What the blocking part of the start loads from disk. */
  private record Loaded(KlineArchive archive, ExchangeInfo exchangeInfo, ReplayPlayer replay) {}

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
    return new Loaded(archive, info, player);
  }

  private Future<HttpServer> listen(Loaded loaded) {
    engine = new StreamEngine(clock, histories);
    registry = new ConnectionRegistry(engine);
    engine.attach(registry);
    replay = loaded.replay();
    RestApi rest = new RestApi(vertx, clock, histories, loaded.archive(), loaded.exchangeInfo(),
        new WeightLimiter(options.requestWeightLimit()));
    HttpServer server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(options.host()).setPort(options.port()).setMaxWebSocketFrameSize(1 << 20)
        .setMaxWebSocketMessageSize(1 << 22)
        // a client that ignores our close frame (pong timeout, rate limit) is cut after 2 s, not Vert.x's 10 s
        .setWebSocketClosingTimeout(2));
    server.requestHandler(rest.router())
        .webSocketHandshakeHandler(this::handleHandshake)
        .webSocketHandler(this::handleWebSocket);
    return server.listen().onSuccess(s -> {
      port = s.actualPort();
      tickTimer = vertx.setPeriodic(TICK_MS, id -> tick());
      LOG.info("Binance simulator on {} and {} (symbols {}, simulated start {}, speed {})", wsBaseUrl(),
          restBaseUrl(), options.symbols(), clock.startTime(), options.speed());
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(tickTimer);
    return Future.succeededFuture();
  }

  private void tick() {
    engine.tick();
    if (replay != null) {
      replay.tick(registry, System.nanoTime());
    }
  }

  /** The streams asked for in the URL, or null when the path is not a stream endpoint. */
  static List<String> streamsOf(String path, String query) {
    if (path.equals("/ws") || path.equals("/ws/")) {
      return List.of();
    }
    if (path.startsWith("/ws/")) {
      return split(path.substring(4));
    }
    if (path.equals("/stream") || path.equals("/stream/")) {
      if (query != null) {
        for (String kv : query.split("&")) {
          if (kv.startsWith("streams=")) {
            return split(java.net.URLDecoder.decode(kv.substring(8), java.nio.charset.StandardCharsets.UTF_8));
          }
        }
      }
      return List.of();
    }
    return null;
  }

  private static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    Arrays.stream(s.split("/")).filter(x -> !x.isEmpty() && !out.contains(x)).forEach(out::add);
    return out;
  }

  private void handleHandshake(ServerWebSocketHandshake hs) {
    List<String> streams = streamsOf(hs.path(), hs.query());
    if (streams == null) {
      hs.reject(404);
    } else if (streams.size() > ControlProtocol.MAX_STREAMS) {
      hs.reject(400);
    } else {
      hs.accept();
    }
  }

  private void handleWebSocket(ServerWebSocket ws) {
    List<String> streams = streamsOf(ws.path(), ws.query());
    boolean combined = ws.path().startsWith("/stream");
    WsConnection conn = new WsConnection(vertx, ws, registry, combined, clock::now, pongs,
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

  /** Sends {@code text} as a text frame, unchanged, to every open connection. */
  public void injectRaw(String text) {
    context.runOnContext(v -> registry.forEach(c -> c.sendText(text)));
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
    return pongs.get();
  }

  /** Closes every stream connection (close code 1001, going away), as Binance does before maintenance. */
  public void dropAllConnections() {
    context.runOnContext(v -> registry.forEach(c -> c.close((short) 1001, "Going away")));
  }
}
