package io.candlebus.tickers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One window's all-market board. Each market holds the value valid for the latest exchange time seen, from
 * stream or REST, whichever arrives first: a value older than (or as old as) the one held is refused and counted,
 * so a REST snapshot taken before some stream frames never writes over them, and one taken after them wins. The
 * market list comes from exchangeInfo; markets listed without a value yet are "missing", oldest-missing first,
 * for the caller to fill. Not thread-safe: one event loop owns it.
 */
public final class TickerBoard {
  /** A market as exchangeInfo lists it. */
  public record Market(String symbol, String baseAsset, String quoteAsset, String status) {}

  /** A board entry: the market's value and, once exchangeInfo was read, the market. */
  public record Row(Ticker ticker, Market market) {}

  public enum Sort { CHANGE, VOLUME, SYMBOL }

  private static final Comparator<Row> BY_SYMBOL = Comparator.comparing(r -> r.ticker().symbol());
  private static final Comparator<Row> BY_CHANGE =
      Comparator.<Row, java.math.BigDecimal>comparing(r -> r.ticker().changePercent()).reversed().thenComparing(BY_SYMBOL);
  private static final Comparator<Row> BY_VOLUME =
      Comparator.<Row, java.math.BigDecimal>comparing(r -> r.ticker().quoteVolume()).reversed().thenComparing(BY_SYMBOL);

  private final TickerWindow window;
  private final Map<String, Ticker> entries = new HashMap<>();
  private final Map<String, Market> markets = new HashMap<>();
  /** Listed markets without a value, in the order they went missing. */
  private final Set<String> missing = new LinkedHashSet<>();
  private final Set<String> changed = new LinkedHashSet<>();
  private final Set<String> unfillable = new HashSet<>();
  private long refused;

  public TickerBoard(TickerWindow window) {
    this.window = window;
  }

  public TickerWindow window() {
    return window;
  }

  /** Takes {@code t} if it is newer than what the market holds; true when it did. */
  public boolean merge(Ticker t) {
    if (t.window() != window) {
      throw new IllegalArgumentException(t.window() + " ticker on the " + window + " board");
    }
    Ticker held = entries.get(t.symbol());
    if (held != null && held.time() >= t.time()) {
      refused++;
      return false;
    }
    entries.put(t.symbol(), t);
    missing.remove(t.symbol());
    unfillable.remove(t.symbol());
    changed.add(t.symbol());
    return true;
  }

  /** Merges each; returns how many were taken. */
  public int merge(Collection<Ticker> tickers) {
    int n = 0;
    for (Ticker t : tickers) {
      if (merge(t)) {
        n++;
      }
    }
    return n;
  }

  /**
   * The market list from exchangeInfo. New markets without a value join the missing ones; a status change
   * marks the entry changed; markets no longer listed leave the board. Returns the symbols newly listed (all of
   * them on the first call).
   */
  public List<String> setMarkets(Collection<Market> listed) {
    List<String> added = new ArrayList<>();
    Set<String> now = new HashSet<>();
    for (Market m : listed) {
      now.add(m.symbol());
      Market before = markets.put(m.symbol(), m);
      if (before == null) {
        added.add(m.symbol());
        if (!entries.containsKey(m.symbol())) {
          missing.add(m.symbol());
        }
      } else if (!before.status().equals(m.status()) && entries.containsKey(m.symbol())) {
        changed.add(m.symbol());
      }
    }
    markets.keySet().removeIf(s -> !now.contains(s));
    missing.removeIf(s -> !now.contains(s));
    unfillable.removeIf(s -> !now.contains(s));
    entries.keySet().removeIf(s -> !now.contains(s));
    changed.removeIf(s -> !now.contains(s));
    return added;
  }

  /** Up to {@code max} listed markets without a value, the longest-missing first. */
  public List<String> missing(int max) {
    return missing.stream().limit(max).toList();
  }

  /** A market that cannot be filled (REST says it does not exist) goes to the back of the queue. */
  public void requeue(String symbol) {
    if (missing.remove(symbol)) {
      missing.add(symbol);
    }
  }

  /**
   * Binance has no ticker for a listed market (REST answered it does not exist): it stops being missing until
   * the stream mentions it or exchangeInfo lists it anew.
   */
  public void giveUp(String symbol) {
    if (missing.remove(symbol)) {
      unfillable.add(symbol);
    }
  }

  /** Listed markets given up on. */
  public int unfillableCount() {
    return unfillable.size();
  }

  public int missingCount() {
    return missing.size();
  }

  /** Markets with a value. */
  public int covered() {
    return entries.size();
  }

  /** Markets listed by exchangeInfo (0 before it was read). */
  public int marketCount() {
    return markets.size();
  }

  /** Every listed market has a value, or Binance has none for it (false until the list is known). */
  public boolean complete() {
    return !markets.isEmpty() && missing.isEmpty();
  }

  /** Values refused for being no newer than what the market held. */
  public long refused() {
    return refused;
  }

  public Ticker get(String symbol) {
    return entries.get(symbol);
  }

  public Market market(String symbol) {
    return markets.get(symbol);
  }

  /** The entries changed since the last call, in the order they changed. */
  public List<Row> drainChanged() {
    List<Row> out = new ArrayList<>(changed.size());
    for (String s : changed) {
      Ticker t = entries.get(s);
      if (t != null) {
        out.add(new Row(t, markets.get(s)));
      }
    }
    changed.clear();
    return out;
  }

  /** The board, of markets quoted in {@code quote} (null: all), sorted, at most {@code limit} rows. */
  public List<Row> query(String quote, Sort sort, int limit) {
    List<Row> rows = new ArrayList<>(entries.size());
    for (Ticker t : entries.values()) {
      Market m = markets.get(t.symbol());
      if (quote == null || m != null && quote.equals(m.quoteAsset())) {
        rows.add(new Row(t, m));
      }
    }
    rows.sort(switch (sort) {
      case CHANGE -> BY_CHANGE;
      case VOLUME -> BY_VOLUME;
      case SYMBOL -> BY_SYMBOL;
    });
    return rows.size() > limit ? new ArrayList<>(rows.subList(0, limit)) : rows;
  }

  /** For iterating in tests and the JSON of a whole board. */
  public Map<String, Ticker> entries() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
  }
}
