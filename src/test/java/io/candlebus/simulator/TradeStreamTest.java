package io.candlebus.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code <s>@trade}: each aggTrade's trades f..l, one event each, at its price, the quantities adding up exactly. */
@ExtendWith(VertxExtension.class)
class TradeStreamTest {
  @Test
  void tradesSpellOutTheAggTrades(Vertx vertx) throws Exception {
    BinanceSimulator sim = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols("BTCUSDT").withRate(50)
        .withSeed(3));
    SimClient.Ws ws = new SimClient(vertx, sim.port()).connect("/stream?streams=btcusdt@aggTrade/btcusdt@trade");
    List<JsonObject> aggs = new ArrayList<>();
    List<JsonObject> trades = new ArrayList<>();
    while (aggs.size() < 40) {
      JsonObject frame = new JsonObject(ws.next());
      JsonObject data = frame.getJsonObject("data");
      (frame.getString("stream").equals("btcusdt@aggTrade") ? aggs : trades).add(data);
    }
    ws.close();
    // each aggTrade is sent before its trades, so the trades start with the first aggTrade's
    int t = 0;
    for (JsonObject a : aggs.subList(0, aggs.size() - 1)) {
      BigDecimal sum = BigDecimal.ZERO;
      for (long id = a.getLong("f"); id <= a.getLong("l"); id++, t++) {
        JsonObject trade = trades.get(t);
        assertThat(trade.getString("e")).isEqualTo("trade");
        assertThat(trade.getLong("t")).isEqualTo(id);
        assertThat(trade.getString("s")).isEqualTo("BTCUSDT");
        assertThat(trade.getString("p")).isEqualTo(a.getString("p"));
        assertThat(trade.getLong("T")).isEqualTo(a.getLong("T"));
        assertThat(trade.getLong("E")).isEqualTo(a.getLong("E"));
        assertThat(trade.getBoolean("m")).isEqualTo(a.getBoolean("m"));
        assertThat(new BigDecimal(trade.getString("q"))).isPositive();
        assertThat(trade.getString("q")).matches("\\d+\\.\\d{8}");
        sum = sum.add(new BigDecimal(trade.getString("q")));
      }
      assertThat(sum).as("quantities of agg %s", a.getLong("a")).isEqualByComparingTo(a.getString("q"));
    }
  }
}
