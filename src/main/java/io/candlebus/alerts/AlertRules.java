package io.candlebus.alerts;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every user's minimum-price alerts, and whether each last saw the price at or above its minimum. A trade fires an
 * alert when it changes that state (the first trade after an alert is set fires only if it is at or above). Pure.
 */
public final class AlertRules {
  /** A firing: {@code above} = the last price is at or above the minimum. */
  public record Firing(String username, String symbol, BigDecimal minimum, BigDecimal lastPrice, long time,
      boolean above) {}

  private static final class Rule {
    final String username;
    final String symbol;
    final BigDecimal minimum;
    Boolean above;

    Rule(String username, String symbol, BigDecimal minimum) {
      this.username = username;
      this.symbol = symbol;
      this.minimum = minimum;
    }
  }

  private final Map<String, List<Rule>> bySymbol = new HashMap<>();

  /** Replaces {@code username}'s alerts ({@code symbol → minimum}), keeping the state of unchanged ones. */
  public void replaceUser(String username, Map<String, BigDecimal> alerts) {
    Map<String, Rule> old = new HashMap<>();
    for (List<Rule> rules : bySymbol.values()) {
      rules.removeIf(r -> r.username.equals(username) && old.put(r.symbol, r) == null);
    }
    alerts.forEach((symbol, minimum) -> {
      Rule r = new Rule(username, symbol, minimum);
      Rule previous = old.get(symbol);
      if (previous != null && previous.minimum.compareTo(minimum) == 0) {
        r.above = previous.above;
      }
      bySymbol.computeIfAbsent(symbol, s -> new ArrayList<>()).add(r);
    });
  }

  /**
   * Restores what another node last fired for this alert (the symbol's previous carrier in a cluster), so the
   * state carries over instead of firing again. Ignored if the user's alert has another minimum now.
   */
  public void restore(String username, String symbol, BigDecimal minimum, boolean above) {
    for (Rule r : bySymbol.getOrDefault(symbol, List.of())) {
      if (r.username.equals(username) && r.minimum.compareTo(minimum) == 0) {
        r.above = above;
      }
    }
  }

  /** The firings a trade of {@code symbol} at {@code price} causes. */
  public List<Firing> onTrade(String symbol, BigDecimal price, long time) {
    List<Rule> rules = bySymbol.get(symbol);
    if (rules == null || rules.isEmpty()) {
      return List.of();
    }
    List<Firing> out = new ArrayList<>(0);
    for (Rule r : rules) {
      boolean above = price.compareTo(r.minimum) >= 0;
      boolean fires = r.above == null ? above : r.above != above;
      r.above = above;
      if (fires) {
        out.add(new Firing(r.username, symbol, r.minimum, price, time, above));
      }
    }
    return out;
  }

  public int size() {
    return bySymbol.values().stream().mapToInt(List::size).sum();
  }
}
