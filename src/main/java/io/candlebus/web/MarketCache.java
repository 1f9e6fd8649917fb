package io.candlebus.web;

import io.candlebus.Addresses;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.domain.Interval;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * What this web node has last seen on the bus: per symbol and interval the newest candles (the open one, and the
 * closed one that may not be stored yet), and each symbol's last trade price. Fed by ordinary consumers, so it
 * works the same on an edge node of a cluster.
 */
final class MarketCache {
  private final Map<String, JsonObject> lastTrade = new HashMap<>();
  private final Map<String, List<JsonObject>> recentCandles = new HashMap<>();
  private final Set<String> followed = new HashSet<>();
  private final EventBus bus;
  private final List<Interval> intervals;

  MarketCache(EventBus bus, CandlebusConfig config) {
    this.bus = bus;
    this.intervals = config.intervals();
  }

  /** Follows {@code symbol}'s trades and candles from now on (once; on this instance's loop). */
  void follow(String symbol) {
    if (!followed.add(symbol)) {
      return;
    }
    bus.<JsonObject>consumer(Addresses.trade(symbol), m -> lastTrade.put(symbol, m.body()));
    for (Interval i : intervals) {
      String address = Addresses.candle(symbol, i);
      bus.<JsonObject>consumer(address, m -> remember(address, m.body()));
    }
  }

  private void remember(String address, JsonObject candle) {
    List<JsonObject> recent = recentCandles.computeIfAbsent(address, a -> new ArrayList<>(2));
    long open = candle.getLong("openTime");
    boolean closedAlready = recent.stream().anyMatch(c -> c.getLong("openTime") == open && c.getBoolean("closed"));
    if (closedAlready && !candle.getBoolean("closed")) {
      return; // an update never replaces the window's close
    }
    recent.removeIf(c -> c.getLong("openTime") == open);
    recent.add(candle);
    recent.sort((a, b) -> Long.compare(a.getLong("openTime"), b.getLong("openTime")));
    while (recent.size() > 2) {
      recent.remove(0);
    }
  }

  JsonObject lastTrade(String symbol) {
    return lastTrade.get(symbol);
  }

  /** The newest candles seen for the address, oldest first: at most the last closed one and the open one. */
  List<JsonObject> recentCandles(String symbol, Interval interval) {
    return recentCandles.getOrDefault(Addresses.candle(symbol, interval), List.of());
  }
}
