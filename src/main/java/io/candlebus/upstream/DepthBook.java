package io.candlebus.upstream;

import io.candlebus.depth.BookSync;
import io.candlebus.depth.Level;
import io.candlebus.depth.OrderBook;
import io.candlebus.domain.Decimals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One symbol's order book as {@link DepthVerticle} keeps it: the pure {@link BookSync}, the snapshot request in
 * flight, what was last published, and its meters. Event loop only, but the
 * gauges are read by the metrics scrape, hence the volatile fields.
 */
final class DepthBook {
  final String symbol;
  final BookSync sync;
  boolean fetching;
  boolean fetchAgain;
  long publishedId = -1;
  boolean resyncAnnounced;
  /** Exchange time of the last diff received. */
  long eventTime;
  private volatile long lagMs;
  private volatile int bidLevels;
  private volatile int askLevels;
  private volatile int live;
  private final MeterRegistry registry;
  private final Map<BookSync.Reason, Counter> resyncs = new EnumMap<>(BookSync.Reason.class);
  private final Counter updates;
  private final List<Meter> meters = new ArrayList<>();

  DepthBook(String symbol, MeterRegistry registry) {
    this.symbol = symbol;
    this.sync = new BookSync(symbol);
    this.registry = registry;
    this.updates = Counter.builder("candlebus_depth_updates_total").description("Depth diffs applied to the book")
        .tag("symbol", symbol).register(registry);
    meters.add(updates);
    gauge("candlebus_depth_update_lag_ms", "Local receive time minus exchange event time of the last diff",
        "", b -> b.lagMs);
    gauge("candlebus_depth_levels", "Price levels held in the local book", "bid", b -> b.bidLevels);
    gauge("candlebus_depth_levels", "Price levels held in the local book", "ask", b -> b.askLevels);
    gauge("candlebus_depth_live", "1 while the book is in step with the stream, 0 while it is rebuilt", "",
        b -> b.live);
  }

  private void gauge(String name, String help, String side, java.util.function.ToDoubleFunction<DepthBook> f) {
    Gauge.Builder<DepthBook> g = Gauge.builder(name, this, f).description(help).tag("symbol", symbol);
    meters.add((side.isEmpty() ? g : g.tag("side", side)).register(registry));
  }

  void countResync(BookSync.Reason reason) {
    resyncs.computeIfAbsent(reason, r -> {
      Counter c = Counter.builder("candlebus_depth_resyncs_total")
          .description("Books discarded and rebuilt (or snapshots refetched), by reason")
          .tag("symbol", symbol).tag("reason", r.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
      meters.add(c);
      return c;
    }).increment();
  }

  void received(long eventTime, long now) {
    this.eventTime = eventTime;
    this.lagMs = now - eventTime;
  }

  void applied() {
    updates.increment();
  }

  /** Refreshes the gauges from the book (once per tick). */
  void observe() {
    OrderBook b = sync.book();
    live = b == null ? 0 : 1;
    bidLevels = b == null ? 0 : b.bidCount();
    askLevels = b == null ? 0 : b.askCount();
  }

  /** The book as on {@code market.depth.<S>} and {@code /api/depth}: up to {@code levels} a side, best first. */
  JsonObject json(int levels) {
    OrderBook b = sync.book();
    if (b == null) {
      return new JsonObject().put("symbol", symbol).put("state", "RESYNCING").put("updateId", null)
          .put("time", eventTime).put("bids", new JsonArray()).put("asks", new JsonArray());
    }
    return new JsonObject().put("symbol", symbol).put("state", "LIVE").put("updateId", b.updateId())
        .put("time", eventTime).put("bids", levels(b.bids(levels))).put("asks", levels(b.asks(levels)));
  }

  private static JsonArray levels(List<Level> levels) {
    JsonArray out = new JsonArray(new ArrayList<>(levels.size()));
    for (Level l : levels) {
      out.add(new JsonArray(List.of(Decimals.plain(l.price()), Decimals.plain(l.quantity()))));
    }
    return out;
  }

  /** The symbol is no longer kept here: its meters go too. */
  void close() {
    meters.forEach(registry::remove);
  }
}
