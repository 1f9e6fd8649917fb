package io.candlebus.alerts;

import io.candlebus.domain.Interval;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every user's RSI alerts, by market, and when one fires: on a closed candle whose RSI crossed a level from the
 * previous closed candle's, "above" when {@code previous <= level < current}, "below" when
 * {@code previous >= level > current}. A value that stays beyond the level fires nothing more: once per crossing.
 * Pure, no Vert.x.
 */
public final class IndicatorAlertRules {
  /** One alert; {@code above} or {@code below} may be null (not both). */
  public record Rule(long id, String username, String symbol, Interval interval, int period, BigDecimal above,
      BigDecimal below) {}

  /** A crossing: {@code direction} "above" or "below", of {@code level}, at the candle opened at {@code time}. */
  public record Firing(Rule rule, String direction, BigDecimal level, BigDecimal previous, BigDecimal value,
      long time) {}

  private final Map<String, List<Rule>> byUser = new HashMap<>();

  public void replaceUser(String username, List<Rule> rules) {
    if (rules.isEmpty()) {
      byUser.remove(username);
    } else {
      byUser.put(username, List.copyOf(rules));
    }
  }

  public int size() {
    return byUser.values().stream().mapToInt(List::size).sum();
  }

  /** The markets some alert watches, as {@code SYMBOL interval}. */
  public Set<String> markets() {
    Set<String> out = new TreeSet<>();
    byUser.values().forEach(l -> l.forEach(r -> out.add(market(r.symbol(), r.interval()))));
    return out;
  }

  public static String market(String symbol, Interval interval) {
    return symbol + " " + interval.code();
  }

  public List<Rule> rules(String symbol, Interval interval) {
    List<Rule> out = new ArrayList<>();
    byUser.values().forEach(l -> l.stream().filter(r -> r.symbol().equals(symbol) && r.interval() == interval)
        .forEach(out::add));
    return out;
  }

  /** What {@code rule} fires when its RSI went from {@code previous} to {@code value}; nothing without both. */
  public static List<Firing> crossings(Rule rule, BigDecimal previous, BigDecimal value, long time) {
    List<Firing> out = new ArrayList<>(1);
    if (previous == null || value == null) {
      return out;
    }
    if (rule.above() != null && previous.compareTo(rule.above()) <= 0 && value.compareTo(rule.above()) > 0) {
      out.add(new Firing(rule, "above", rule.above(), previous, value, time));
    }
    if (rule.below() != null && previous.compareTo(rule.below()) >= 0 && value.compareTo(rule.below()) < 0) {
      out.add(new Firing(rule, "below", rule.below(), previous, value, time));
    }
    return out;
  }
}
