package io.candlebus.web;

import io.candlebus.Addresses;
import io.candlebus.domain.Interval;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The symbols the gateway carries now, as this web node knows them: the configured ones, and those carried since
 * at a user's request (told on {@code symbols.changed}). Shared by the node's HTTP instances; read on their event
 * loops, so a copy-on-write set.
 */
final class CarriedSymbols {
  private volatile Set<String> symbols = Set.of();

  /** Adds {@code more}; returns those that were not carried before. */
  synchronized List<String> addAll(Collection<String> more) {
    Set<String> next = new LinkedHashSet<>(symbols);
    List<String> added = more.stream().filter(next::add).toList();
    if (!added.isEmpty()) {
      symbols = java.util.Collections.unmodifiableSet(next);
    }
    return added;
  }

  boolean contains(String symbol) {
    return symbols.contains(symbol);
  }

  List<String> list() {
    return List.copyOf(symbols);
  }

  /** Whether a browser may register on {@code address} as a trade or candle address of a carried symbol. */
  boolean allowsMarketAddress(String address, Collection<Interval> intervals) {
    if (address.startsWith(Addresses.MARKET_TRADE_PREFIX)) {
      return contains(address.substring(Addresses.MARKET_TRADE_PREFIX.length()));
    }
    if (address.startsWith(Addresses.MARKET_CANDLE_PREFIX)) {
      String rest = address.substring(Addresses.MARKET_CANDLE_PREFIX.length());
      int dot = rest.lastIndexOf('.');
      return dot > 0 && contains(rest.substring(0, dot))
          && Interval.fromCode(rest.substring(dot + 1)).filter(intervals::contains).isPresent();
    }
    return false;
  }
}
