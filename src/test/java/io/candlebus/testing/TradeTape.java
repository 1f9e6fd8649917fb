package io.candlebus.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.Addresses;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.domain.Trade;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Records the trade ids candlebus publishes on {@code market.trade.<SYMBOL>}, in arrival order, to check them
 * against the simulator's history: every trade once, none missing, in order.
 */
public final class TradeTape {
  private final String symbol;
  private final List<Long> ids = new ArrayList<>();

  private TradeTape(String symbol) {
    this.symbol = symbol;
  }

  public static TradeTape record(Vertx vertx, String symbol) {
    TradeTape tape = new TradeTape(symbol);
    vertx.eventBus().<JsonObject>consumer(Addresses.trade(symbol), m -> tape.add(m.body().getLong("tradeId")));
    return tape;
  }

  private synchronized void add(long id) {
    ids.add(id);
  }

  public synchronized int size() {
    return ids.size();
  }

  public synchronized long last() {
    return ids.isEmpty() ? -1 : ids.get(ids.size() - 1);
  }

  public synchronized List<Long> ids() {
    return List.copyOf(ids);
  }

  /**
   * Every aggTrade of the simulator's history from the first recorded to the last was published exactly once, in
   * id order. Returns how many.
   */
  public int assertEveryTradeOnceInOrder(BinanceSimulator sim) {
    List<Long> got = ids();
    assertThat(got).as("trades of %s", symbol).isNotEmpty();
    long first = got.get(0);
    long last = got.get(got.size() - 1);
    List<Long> expected = new ArrayList<>();
    for (Trade t : sim.history(symbol).fromId(first, (int) (last - first + 1))) {
      if (t.aggId() <= last) {
        expected.add(t.aggId());
      }
    }
    assertThat(expected).as("simulator history %d..%d", first, last).hasSize((int) (last - first + 1));
    if (!got.equals(expected)) {
      List<Long> missing = new ArrayList<>(expected);
      missing.removeAll(got);
      long duplicates = got.size() - got.stream().distinct().count();
      throw new AssertionError(symbol + ": " + got.size() + " published, " + expected.size() + " expected; "
          + duplicates + " duplicates; missing " + (missing.size() > 20 ? missing.subList(0, 20) + "..." : missing));
    }
    return got.size();
  }
}
