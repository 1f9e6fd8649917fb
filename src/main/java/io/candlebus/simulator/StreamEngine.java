package io.candlebus.simulator;

import io.candlebus.domain.Candle;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns simulated time into stream frames. On every tick: generate the trades up to now, send each new aggTrade
 * to the {@code @aggTrade} subscribers (in trade order, E = now >= T) and its trades to the {@code @trade} ones, then let every subscribed kline stream emit
 * its closes and updates. Kline streams exist only while someone is subscribed. Trades hidden by {@link TradeFaults}
 * are left out of the aggTrade streams only; klines are built from every trade.
 */
final class StreamEngine implements ConnectionRegistry.Listener {
  private final SimClock clock;
  private final Map<String, TradeHistory> histories;
  private final TradeFaults faults;
  private ConnectionRegistry registry;
  private final Map<String, Long> nextToEmit = new HashMap<>();
  /** {@code <symbol>@aggTrade} per symbol, built once: the tick looks up 1 500 of them every 20 ms. */
  private final Map<String, String> aggStreams = new HashMap<>();
  private final Map<String, String> tradeStreams = new HashMap<>();
  private final Map<String, KlineTrack> tracks = new LinkedHashMap<>();

  StreamEngine(SimClock clock, Map<String, TradeHistory> histories, TradeFaults faults) {
    this.clock = clock;
    this.histories = histories;
    this.faults = faults;
    histories.forEach((s, h) -> {
      nextToEmit.put(s, h.lastAggId() + 1);
      aggStreams.put(s, StreamName.aggTrade(s));
      tradeStreams.put(s, StreamName.trade(s));
    });
  }

  void attach(ConnectionRegistry r) {
    this.registry = r;
  }

  /** The first agg id of {@code symbol} not handed to the aggTrade streams yet. Event loop only. */
  long nextToStream(String symbol) {
    return nextToEmit.get(symbol);
  }

  @Override
  public void firstSubscriber(String stream) {
    StreamName name = StreamName.parse(stream, histories.keySet());
    if (name != null && name.interval() != null) {
      long now = clock.now();
      TradeHistory h = histories.get(name.symbol());
      h.advanceTo(now);
      tracks.put(stream, new KlineTrack(h, name.interval(), now));
    }
  }

  @Override
  public void lastUnsubscribed(String stream) {
    tracks.remove(stream);
  }

  void tick() {
    long now = clock.now();
    long real = System.nanoTime();
    for (Map.Entry<String, TradeHistory> e : histories.entrySet()) {
      TradeHistory h = e.getValue();
      h.advanceTo(now);
      String stream = aggStreams.get(e.getKey());
      Set<WsConnection> subs = registry.subscribers(stream);
      String tradeStream = tradeStreams.get(e.getKey());
      Set<WsConnection> tradeSubs = registry.subscribers(tradeStream);
      long next = h.feed(nextToEmit.get(e.getKey()), now, t -> {
        if (faults.hiddenFromStream(e.getKey(), t.aggId())) {
          return;
        }
        if (!subs.isEmpty()) {
          String payload = BinanceJson.aggTradeEvent(t, now).encode();
          subs.forEach(c -> c.send(stream, payload));
        }
        if (!tradeSubs.isEmpty()) {
          BinanceJson.tradeEvents(t, now).forEach(payload -> tradeSubs.forEach(c -> c.send(tradeStream, payload)));
        }
      });
      nextToEmit.put(e.getKey(), next);
    }
    for (Map.Entry<String, KlineTrack> e : tracks.entrySet()) {
      for (Candle c : e.getValue().advance(now, real)) {
        String payload = BinanceJson.klineEvent(c, now).encode();
        registry.subscribers(e.getKey()).forEach(conn -> conn.send(e.getKey(), payload));
      }
    }
  }
}
