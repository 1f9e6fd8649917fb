package io.candlebus.upstream;

import io.candlebus.Addresses;
import io.candlebus.MarketJson;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.config.TickerSettings;
import io.candlebus.tickers.Ticker;
import io.candlebus.tickers.TickerBoard;
import io.candlebus.tickers.TickerParser;
import io.candlebus.tickers.TickerParser.MalformedTicker;
import io.candlebus.tickers.TickerWindow;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the all-market board: one connection carrying {@code !miniTicker@arr} (and the configured
 * {@code !ticker_<w>@arr}), make-before-break like the symbol connections; once the stream is live the
 * {@link TickerFill} takes one REST snapshot and fills the markets still missing. exchangeInfo gives the market
 * list (listings, delistings, TRADING/BREAK). Publishes the changed entries on {@code market.ticker} once a second
 * and answers {@code tickers.query}. In a cluster one node keeps the board, as told on {@code tickers.keep}.
 */
public final class TickerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(TickerVerticle.class);
  /** The slot's one "symbol": the board is handed on as a whole. */
  public static final String BOARD = "!tickers";
  static final long PUBLISH_MS = 1_000;
  /** A stream that sent nothing yet (no market changed) is live all the same after this long. */
  static final long QUIET_LIVE_MS = 3_000;

  private final CandlebusConfig config;
  private final TickerSettings settings;
  private final MeterRegistry registry;
  private final RestWeightLimiter limiter;
  private final ConnectionBudget budget;
  private final BinanceStreamParser controlParser = new BinanceStreamParser();
  private final Map<TickerWindow, TickerBoard> boards = new EnumMap<>(TickerWindow.class);
  private WebSocketClient client;
  private BinanceRest rest;
  private UpstreamSlot slot;
  private TickerFill fill;
  private MessageConsumer<JsonObject> queries;
  private boolean awaitingLive;

  public TickerVerticle(CandlebusConfig config, MeterRegistry registry, RestWeightLimiter limiter,
      ConnectionBudget budget) {
    this.config = config;
    this.settings = config.tickers();
    this.registry = registry;
    this.limiter = limiter;
    this.budget = budget;
  }

  @Override
  public Future<?> start() {
    client = UpstreamConnection.newClient(vertx, config.binanceWsUrl());
    rest = new BinanceRest(vertx, config.binanceRestUrl(), limiter, registry);
    registry.gauge("candlebus_tickers_markets", boards, b -> b.isEmpty() ? 0 : board24().marketCount());
    registry.gauge("candlebus_tickers_covered", boards, b -> b.isEmpty() ? 0 : board24().covered());
    registry.gauge("candlebus_tickers_kept", boards, b -> b.isEmpty() ? 0 : 1); // this node keeps the board
    if (config.cluster()) {
      vertx.eventBus().<JsonObject>localConsumer(Addresses.TICKERS_KEEP,
          m -> keep(m.body().getBoolean("keep", false)));
    } else {
      keep(true);
    }
    vertx.setPeriodic(PUBLISH_MS, t -> publishChanged());
    vertx.setPeriodic(settings.marketsRefreshMs(), t -> loadMarkets());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return (slot == null ? Future.succeededFuture() : slot.stop())
        .compose(v -> client.close())
        .compose(v -> rest.close());
  }

  private TickerBoard board24() {
    return boards.get(TickerWindow.H24);
  }

  /** Starts or stops keeping the board on this node. */
  private void keep(boolean keep) {
    if (keep == (slot != null)) {
      return;
    }
    if (keep) {
      settings.allWindows().forEach(w -> boards.put(w, new TickerBoard(w)));
      fill = new TickerFill(vertx, rest, board24(), registry);
      queries = vertx.eventBus().consumer(Addresses.TICKERS_QUERY, this::handleQuery);
      slot = new UpstreamSlot(vertx, client, config.binanceWsUrl(), budget, config.upstreamMaxAgeMs(),
          config.upstreamSilenceMs(), new SlotEvents());
      slot.add(Map.of(BOARD, settings.allWindows().stream().map(TickerWindow::stream).toList()));
      loadMarkets();
      log.info("tickers: keeping the all-market board ({})",
          String.join(", ", settings.allWindows().stream().map(TickerWindow::stream).toList()));
    } else {
      log.info("tickers: another node keeps the board now");
      fill.stop();
      queries.unregister();
      slot.stop();
      slot = null;
      boards.clear();
    }
  }

  private void loadMarkets() {
    if (slot == null) {
      return;
    }
    vertx.eventBus().<JsonArray>request(Addresses.EXCHANGE_SYMBOLS,
            new JsonObject().put("maxAgeMs", settings.marketsRefreshMs()))
        .onSuccess(m -> {
          if (slot == null) {
            return;
          }
          List<TickerBoard.Market> markets = new ArrayList<>(m.body().size());
          m.body().forEach(o -> {
            JsonObject s = (JsonObject) o;
            markets.add(new TickerBoard.Market(s.getString("symbol"), s.getString("baseAsset"),
                s.getString("quoteAsset"), s.getString("status")));
          });
          boolean first = board24().marketCount() == 0;
          List<String> added = List.of();
          for (TickerBoard b : boards.values()) {
            added = b.setMarkets(markets);
          }
          if (!first && !added.isEmpty()) {
            log.info("tickers: {} new market(s) listed: {}", added.size(), added);
          }
          fill.marketsChanged();
        })
        .onFailure(e -> {
          log.warn("tickers: no market list from exchangeInfo ({}); trying again in {} ms", e.getMessage(),
              TickerFill.RETRY_MS * 5);
          vertx.setTimer(TickerFill.RETRY_MS * 5, t -> {
            if (board24() != null && board24().marketCount() == 0) {
              loadMarkets();
            }
          });
        });
  }

  /** {@code tickers.query}: {@code {window, quote?, sort, limit}}, validated by the route. */
  private void handleQuery(Message<JsonObject> msg) {
    JsonObject q = msg.body();
    TickerBoard b = boards.get(TickerWindow.fromCode(q.getString("window", "24h")).orElse(TickerWindow.H24));
    if (b == null) {
      msg.fail(404, "window " + q.getString("window") + " is not carried (tickers.windows)");
      return;
    }
    JsonArray rows = new JsonArray();
    b.query(q.getString("quote"), TickerBoard.Sort.valueOf(q.getString("sort", "VOLUME")),
        q.getInteger("limit", Integer.MAX_VALUE)).forEach(r -> rows.add(MarketJson.ticker(r)));
    msg.reply(new JsonObject().put("markets", b.marketCount()).put("covered", b.covered())
        .put("complete", b.complete()).put("tickers", rows));
  }

  private void publishChanged() {
    for (TickerBoard b : boards.values()) {
      List<TickerBoard.Row> changed = b.drainChanged();
      if (!changed.isEmpty()) {
        JsonArray out = new JsonArray();
        changed.forEach(r -> out.add(MarketJson.ticker(r)));
        vertx.eventBus().publish(Addresses.MARKET_TICKER, out);
      }
    }
  }

  private void onFrame(UpstreamConnection from, String text) {
    TickerParser.Parsed p;
    try {
      p = TickerParser.streamFrame(text);
    } catch (MalformedTicker e) {
      onOther(from, text, e);
      return;
    }
    registry.counter("candlebus_tickers_frames_total").increment();
    if (slot.isReplacement(from)) {
      slot.caughtUp(from, BOARD); // the new connection delivers the board: the old one may go
    }
    for (Ticker t : p.tickers()) {
      TickerBoard b = boards.get(t.window());
      if (b != null) {
        b.merge(t);
      }
    }
    p.skipped().forEach(kind -> malformed(kind, from, text));
    if (awaitingLive && slot.isActive(from)) {
      awaitingLive = false;
      fill.streamLive();
    }
  }

  private void onOther(UpstreamConnection from, String text, MalformedTicker e) {
    if (!slot.handleControl(controlParser.parse(text), from, "tickers")) {
      malformed(e.kind(), from, text);
    }
  }

  private void malformed(String kind, UpstreamConnection from, String text) {
    var c = registry.counter("candlebus_tickers_malformed_total", "kind", kind);
    c.increment();
    long n = (long) c.count();
    if (n <= 10 || n % FrameCounters.LOG_EVERY == 0) {
      log.warn("tickers {}: skipped malformed frame or item #{} of kind {}: {}", from.describe(), n, kind,
          text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }
  }

  private final class SlotEvents implements UpstreamSlot.Listener {
    @Override
    public void frame(UpstreamSlot s, UpstreamConnection from, String text) {
      onFrame(from, text);
    }

    @Override
    public void up(UpstreamSlot s, boolean afterBreak) {
      registry.counter("candlebus_tickers_connects_total").increment();
      awaitingLive = true; // the snapshot is taken once the first frame arrived: the stream is live then
      vertx.setTimer(QUIET_LIVE_MS, t -> {
        if (awaitingLive && slot == s && s.isUp()) {
          awaitingLive = false;
          fill.streamLive();
        }
      });
    }

    @Override
    public void down(UpstreamSlot s, String why) {
      log.warn("tickers: stream down ({}); the board keeps its last values until it is back", why);
    }

    @Override
    public void rotated(UpstreamSlot s, String why) {
      registry.counter("candlebus_tickers_rotations_total").increment();
    }
  }
}
