package io.candlebus.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.domain.Interval;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamNamesTest {
  @Test
  void lowerCaseSymbolsWithAggTradeAndKlines() {
    assertThat(StreamNames.forSymbol("BTCUSDT", List.of(Interval.M1, Interval.MO1)))
        .containsExactly("btcusdt@aggTrade", "btcusdt@kline_1m", "btcusdt@kline_1M");
  }

  @Test
  void manySymbolsAreSpreadWithinBinanceLimits() {
    List<String> symbols = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      symbols.add("SYM" + i + "USDT");
    }
    List<List<String>> groups = StreamNames.groupSymbols(symbols, Interval.all());
    assertThat(groups.stream().mapToInt(List::size).sum()).isEqualTo(500);
    for (List<String> g : groups) {
      int streams = g.size() * 17;
      int chars = g.stream().flatMap(s -> StreamNames.forSymbol(s, Interval.all()).stream())
          .mapToInt(n -> n.length() + 1).sum();
      assertThat(streams).isLessThanOrEqualTo(StreamNames.MAX_STREAMS_PER_CONNECTION);
      assertThat(chars).isLessThanOrEqualTo(StreamNames.MAX_URL_STREAM_CHARS);
    }
    assertThat(StreamNames.groupSymbols(List.of("BTCUSDT", "ETHUSDT"), List.of(Interval.M1))).hasSize(1);
  }
}
