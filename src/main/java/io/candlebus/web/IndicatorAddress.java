package io.candlebus.web;

import io.candlebus.Addresses;
import io.candlebus.domain.Interval;
import io.candlebus.domain.UserInput;
import io.candlebus.indicators.IndicatorSpec;
import java.util.Optional;

/** A {@code market.indicator.<SYMBOL>.<interval>.<name>:<params>} address, parsed. Symbols have no dots. */
record IndicatorAddress(String symbol, Interval interval, IndicatorSpec spec) {

  String address() {
    return Addresses.indicator(symbol, interval, spec.key());
  }

  /** Empty unless {@code address} is one, with its key written canonically ({@code bb:20,2}, not {@code bb:20,2.0}). */
  static Optional<IndicatorAddress> parse(String address) {
    if (!address.startsWith(Addresses.MARKET_INDICATOR_PREFIX)) {
      return Optional.empty();
    }
    String rest = address.substring(Addresses.MARKET_INDICATOR_PREFIX.length());
    int first = rest.indexOf('.');
    int second = first < 0 ? -1 : rest.indexOf('.', first + 1);
    if (first <= 0 || second < 0) {
      return Optional.empty();
    }
    Optional<Interval> interval = Interval.fromCode(rest.substring(first + 1, second));
    if (interval.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new IndicatorAddress(rest.substring(0, first), interval.get(),
          IndicatorSpec.fromKey(rest.substring(second + 1))));
    } catch (UserInput.Bad e) {
      return Optional.empty();
    }
  }
}
