package io.candlebus.upstream;

import io.candlebus.Addresses;
import io.candlebus.LocalCodec;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.config.DepthSettings;
import io.candlebus.depth.BookSync;
import io.candlebus.depth.DepthDiff;
import io.candlebus.depth.DepthParser;
import io.candlebus.depth.DepthParser.MalformedDepth;
import io.candlebus.depth.DepthTick;
import io.candlebus.depth.TickSampler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a local order book per {@code depth.symbols} entry from {@code <s>@depth@100ms} and {@code /api/v3/depth}
 * snapshots (through the node's one REST weight limiter), by {@link BookSync}; a hole, a crossed book or a dropped
 * connection rebuilds only the books concerned. Every 100 ms it publishes the changed books on
 * {@code market.depth.<S>} and hands the live books' rows to the recorder. In a cluster it keeps the books of
 * the depth symbols this node owns (it follows {@code upstream.symbols}).
 */
public final class DepthVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(DepthVerticle.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  static final int DEFAULT_QUERY_LIMIT = 100;
  private static final long SNAPSHOT_RETRY_MS = 1_000;

  private final CandlebusConfig config;
  private final DepthSettings depth;
  private final MeterRegistry registry;
  private final RestWeightLimiter limiter;
  private final ConnectionBudget budget;
  private final BinanceStreamParser controlParser = new BinanceStreamParser();
  private final Map<String, DepthBook> books = new LinkedHashMap<>();
  private final Map<String, MessageConsumer<JsonObject>> queries = new LinkedHashMap<>();
  private final List<UpstreamSlot> slots = new ArrayList<>();
  private final Map<String, Counter> malformed = new ConcurrentHashMap<>();
  private WebSocketClient client;
  private BinanceRest rest;
  private TickSampler sampler;
  private long timer;

  public DepthVerticle(CandlebusConfig config, MeterRegistry registry, RestWeightLimiter limiter,
      ConnectionBudget budget) {
    this.config = config;
    this.depth = config.depth();
    this.registry = registry;
    this.limiter = limiter;
    this.budget = budget;
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx, DepthTick.class);
    client = UpstreamConnection.newClient(vertx, config.binanceWsUrl());
    rest = new BinanceRest(vertx, config.binanceRestUrl(), limiter, registry);
    sampler = new TickSampler(depth.levels(), System.currentTimeMillis());
    if (config.cluster()) {
      vertx.eventBus().<JsonObject>localConsumer(Addresses.UPSTREAM_SYMBOLS, this::handleOwnership);
    } else {
      add(depth.symbols());
    }
    timer = vertx.setPeriodic(TickSampler.TICK_MS, t -> onTick());
    log.info("depth: {} book(s) of {} levels, snapshots of {} levels{}", books.size(), depth.levels(),
        depth.snapshotLimit(), config.cluster() ? ", for the depth symbols this node owns" : "");
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.join(slots.stream().map(UpstreamSlot::stop).toList())
        .compose(v -> client.close())
        .compose(v -> rest.close());
  }

  private void handleOwnership(Message<JsonObject> msg) {
    add(wanted(msg.body().getJsonArray("add")));
    remove(wanted(msg.body().getJsonArray("remove")));
  }

  private List<String> wanted(io.vertx.core.json.JsonArray symbols) {
    List<String> out = new ArrayList<>();
    if (symbols != null) {
      symbols.forEach(s -> {
        if (depth.symbols().contains(String.valueOf(s))) {
          out.add(String.valueOf(s));
        }
      });
    }
    return out;
  }

  private void add(List<String> symbols) {
    long now = System.currentTimeMillis();
    List<String> added = symbols.stream().filter(s -> !books.containsKey(s)).toList();
    for (String s : added) {
      books.put(s, new DepthBook(s, registry));
      sampler.add(s, now);
      queries.put(s, vertx.eventBus().consumer(Addresses.depthBook(s), this::handleQuery));
      String stream = s.toLowerCase(Locale.ROOT) + "@depth@100ms";
      UpstreamSlot slot = slots.stream()
          .filter(x -> x.streamCount() < StreamNames.MAX_STREAMS_PER_CONNECTION).findFirst().orElseGet(() -> {
            UpstreamSlot n = new UpstreamSlot(vertx, client, config.binanceWsUrl(), budget,
                config.upstreamMaxAgeMs(), config.upstreamSilenceMs(), new SlotEvents());
            slots.add(n);
            return n;
          });
      slot.add(Map.of(s, List.of(stream)));
    }
  }

  private void remove(List<String> symbols) {
    for (String s : symbols) {
      DepthBook b = books.remove(s);
      if (b != null) {
        b.close();
        sampler.remove(s);
        queries.remove(s).unregister();
        slots.forEach(slot -> slot.remove(Set.of(s)));
        log.info("depth: no longer keeping the book of {}", s);
      }
    }
  }

  /** {@code depth.book.<S>}: {@code {limit}} → the book, best first; 503 while it is rebuilt. */
  private void handleQuery(Message<JsonObject> msg) {
    String symbol = msg.address().substring(Addresses.DEPTH_BOOK_PREFIX.length());
    DepthBook b = books.get(symbol);
    int limit = msg.body() == null ? DEFAULT_QUERY_LIMIT : msg.body().getInteger("limit", DEFAULT_QUERY_LIMIT);
    if (b == null || b.sync.book() == null) {
      msg.fail(503, "the order book of " + symbol + " is being rebuilt (resyncing), try again");
    } else {
      msg.reply(b.json(limit));
    }
  }

  private void onFrame(UpstreamSlot slot, UpstreamConnection from, String text) {
    long now = System.currentTimeMillis();
    DepthDiff d;
    try {
      d = DepthParser.diff(text);
    } catch (MalformedDepth e) {
      onOther(slot, from, text, e);
      return;
    }
    DepthBook b = books.get(d.symbol());
    if (b == null) {
      countMalformed("unknown_symbol", from, d.symbol(), text);
      return;
    }
    if (slot.isReplacement(from) && (b.sync.book() == null || d.firstId() <= b.sync.book().updateId() + 1)) {
      slot.caughtUp(from, b.symbol); // the new connection continues the book: the old one may go
    }
    sample(b, now);
    b.received(d.eventTime(), now);
    BookSync.Step step = b.sync.onDiff(d);
    if (step.outcome() == BookSync.Outcome.APPLIED) {
      b.applied();
    }
    handle(b, step);
  }

  /** A frame that is no diff: a reply to a subscription, Binance's shutdown notice, or garbage (counted). */
  private void onOther(UpstreamSlot slot, UpstreamConnection from, String text, MalformedDepth e) {
    if (!slot.handleControl(controlParser.parse(text), from, "depth")) {
      countMalformed(e.kind(), from, e.getMessage(), text);
    }
  }

  private void countMalformed(String kind, UpstreamConnection from, String detail, String text) {
    Counter c = malformed.computeIfAbsent(kind, k -> Counter.builder("candlebus_depth_malformed_total")
        .description("Depth frames skipped because they could not be used, by kind").tag("kind", k)
        .register(registry));
    c.increment();
    long n = (long) c.count();
    if (n <= 10 || n % FrameCounters.LOG_EVERY == 0) {
      log.warn("depth {}: skipped malformed frame #{} of kind {}: {}: {}", from.describe(), n, kind, detail,
          text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }
  }

  private void handle(DepthBook b, BookSync.Step step) {
    if (step.outcome() == BookSync.Outcome.RESYNC) {
      b.countResync(step.reason());
      log.warn("depth {}: book discarded ({}), rebuilding", b.symbol, step.reason());
      announceResync(b);
    } else if (step.outcome() == BookSync.Outcome.LIVE) {
      b.resyncAnnounced = false;
      log.info("depth {}: book live at update {}", b.symbol, b.sync.book().updateId());
    }
    if (step.fetchSnapshot()) {
      fetch(b);
    }
  }

  private void fetch(DepthBook b) {
    if (b.fetching) {
      b.fetchAgain = true;
      return;
    }
    b.fetching = true;
    rest.depth(b.symbol, depth.snapshotLimit()).onComplete(ar -> {
      b.fetching = false;
      if (books.get(b.symbol) != b) {
        return; // no longer kept here
      }
      if (ar.failed()) {
        log.warn("depth {}: snapshot failed: {}; trying again in {} ms", b.symbol, ar.cause().getMessage(),
            SNAPSHOT_RETRY_MS);
        vertx.setTimer(SNAPSHOT_RETRY_MS, t -> {
          if (books.get(b.symbol) == b && b.sync.state() == BookSync.State.AWAITING_SNAPSHOT) {
            fetch(b);
          }
        });
        return;
      }
      sample(b, System.currentTimeMillis());
      handle(b, b.sync.onSnapshot(ar.result()));
      if (b.fetchAgain) {
        b.fetchAgain = false;
        if (b.sync.state() == BookSync.State.AWAITING_SNAPSHOT) {
          fetch(b);
        }
      }
    });
  }

  private void announceResync(DepthBook b) {
    if (!b.resyncAnnounced) {
      b.resyncAnnounced = true;
      b.publishedId = -1;
      vertx.eventBus().publish(Addresses.depth(b.symbol), b.json(depth.levels()));
    }
  }

  private void sample(DepthBook b, long now) {
    sampler.sample(b.symbol, b.sync.book(), b.eventTime, now);
  }

  private void onTick() {
    long now = System.currentTimeMillis();
    for (DepthBook b : books.values()) {
      sample(b, now);
      b.observe();
      if (b.sync.book() != null && b.sync.book().updateId() != b.publishedId) {
        b.publishedId = b.sync.book().updateId();
        vertx.eventBus().publish(Addresses.depth(b.symbol), b.json(depth.levels()));
      }
    }
    for (DepthTick tick : sampler.complete(now)) {
      if (depth.recordDir().isPresent()) {
        vertx.eventBus().send(Addresses.DEPTH_RECORD, tick, LOCAL); // empty ticks too: they close slices
      }
    }
  }

  private final class SlotEvents implements UpstreamSlot.Listener {
    @Override
    public void frame(UpstreamSlot slot, UpstreamConnection from, String text) {
      onFrame(slot, from, text);
    }

    @Override
    public void up(UpstreamSlot slot, boolean afterBreak) {
      registry.counter("candlebus_depth_connects_total").increment();
    }

    @Override
    public void down(UpstreamSlot slot, String why) {
      long now = System.currentTimeMillis();
      for (String s : slot.symbols()) {
        DepthBook b = books.get(s);
        if (b != null) {
          sample(b, now);
          BookSync.Step step = b.sync.reset();
          if (step != null) {
            handle(b, step);
          }
        }
      }
    }

    @Override
    public void rotated(UpstreamSlot slot, String why) {
      registry.counter("candlebus_depth_rotations_total").increment();
    }
  }
}
