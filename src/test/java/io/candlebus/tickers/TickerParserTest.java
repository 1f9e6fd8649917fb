package io.candlebus.tickers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.candlebus.tickers.TickerParser.MalformedTicker;
import io.candlebus.tickers.TickerParser.Parsed;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Binance's ticker frames and REST answers, as documented (binance-protocol notes, section 6). */
class TickerParserTest {
  // the item of the Binance WebSocket Streams documentation for !miniTicker@arr
  static final String DOC_ITEM = "{\"e\":\"24hrMiniTicker\",\"E\":1672515782136,\"s\":\"BNBBTC\",\"c\":\"0.0025\","
      + "\"o\":\"0.0010\",\"h\":\"0.0025\",\"l\":\"0.0010\",\"v\":\"10000\",\"q\":\"18\"}";

  @Test
  void aRawArrayAndTheCombinedStreamGiveTheSameExactTickers() {
    Parsed raw = TickerParser.streamFrame("[" + DOC_ITEM + "]");
    Parsed combined = TickerParser.streamFrame("{\"stream\":\"!miniTicker@arr\",\"data\":[" + DOC_ITEM + "]}");
    assertThat(raw).isEqualTo(combined);
    Ticker t = raw.tickers().get(0);
    assertThat(t.symbol()).isEqualTo("BNBBTC");
    assertThat(t.window()).isEqualTo(TickerWindow.H24);
    assertThat(t.time()).isEqualTo(1672515782136L);
    assertThat(t.last()).isEqualTo(new BigDecimal("0.0025"));
    assertThat(t.open().toPlainString()).isEqualTo("0.0010"); // exact, scale kept
    assertThat(t.quoteVolume()).isEqualTo(new BigDecimal("18"));
    assertThat(t.source()).isEqualTo(Ticker.Source.STREAM);
    assertThat(t.changePercent()).isEqualByComparingTo("150.000");
    assertThat(raw.skipped()).isEmpty();
  }

  @Test
  void theRollingWindowStreamsAreReadWithTheirWindowAndTheirExtraFieldsSkipped() {
    String item = "{\"e\":\"1hTicker\",\"E\":1672515782136,\"s\":\"BNBBTC\",\"p\":\"0.0015\",\"P\":\"250.00\","
        + "\"o\":\"0.0010\",\"h\":\"0.0025\",\"l\":\"0.0010\",\"c\":\"0.0025\",\"w\":\"0.0018\",\"v\":\"10000\","
        + "\"q\":\"18\",\"O\":0,\"C\":1675216573749,\"F\":0,\"L\":18150,\"n\":18151}";
    Ticker t = TickerParser.streamFrame("{\"stream\":\"!ticker_1h@arr\",\"data\":[" + item + "]}").tickers().get(0);
    assertThat(t.window()).isEqualTo(TickerWindow.H1);
    assertThat(t.last()).isEqualTo(new BigDecimal("0.0025"));
  }

  @Test
  void badItemsAreSkippedByKindAndTheRestOfTheFrameKept() {
    String frame = "[" + DOC_ITEM
        + ",{\"e\":\"24hrMiniTicker\",\"E\":1,\"s\":\"X\",\"c\":\"1e5\",\"o\":\"1\",\"h\":\"1\",\"l\":\"1\",\"v\":\"1\",\"q\":\"1\"}"
        + ",{\"e\":\"24hrMiniTicker\",\"E\":1,\"s\":\"X\",\"c\":\"-1\",\"o\":\"1\",\"h\":\"1\",\"l\":\"1\",\"v\":\"1\",\"q\":\"1\"}"
        + ",{\"e\":\"24hrMiniTicker\",\"E\":1,\"s\":\"X\",\"o\":\"1\",\"h\":\"1\",\"l\":\"1\",\"v\":\"1\",\"q\":\"1\"}"
        + ",{\"e\":\"24hrMiniTicker\",\"E\":\"soon\",\"s\":\"X\",\"c\":\"1\",\"o\":\"1\",\"h\":\"1\",\"l\":\"1\",\"v\":\"1\",\"q\":\"1\"}"
        + ",{\"e\":\"kline\",\"E\":1,\"s\":\"X\",\"c\":\"1\",\"o\":\"1\",\"h\":\"1\",\"l\":\"1\",\"v\":\"1\",\"q\":\"1\"}"
        + ",{\"e\":\"24hrMiniTicker\",\"E\":1,\"s\":\"\",\"c\":\"1\",\"o\":\"1\",\"h\":\"1\",\"l\":\"1\",\"v\":\"1\",\"q\":\"1\"}"
        + ",42]";
    Parsed p = TickerParser.streamFrame(frame);
    assertThat(p.tickers()).extracting(Ticker::symbol).containsExactly("BNBBTC");
    assertThat(p.skipped()).containsExactly("bad_decimal", "bad_decimal", "bad_decimal", "bad_time",
        "bad_event_type", "bad_symbol", "not_an_object");
  }

  @Test
  void framesThatAreNoTickerArrayAreRefusedWithAKind() {
    assertThatThrownBy(() -> TickerParser.streamFrame("{\"result\":null,\"id\":1}"))
        .isInstanceOfSatisfying(MalformedTicker.class, e -> assertThat(e.kind()).isEqualTo("not_ticker"));
    assertThatThrownBy(() -> TickerParser.streamFrame("{\"stream\":\"btcusdt@aggTrade\",\"data\":[]}"))
        .isInstanceOfSatisfying(MalformedTicker.class, e -> assertThat(e.kind()).isEqualTo("not_ticker"));
    assertThatThrownBy(() -> TickerParser.streamFrame("[" + DOC_ITEM))
        .isInstanceOfSatisfying(MalformedTicker.class, e -> assertThat(e.kind()).isEqualTo("bad_json"));
    assertThatThrownBy(() -> TickerParser.streamFrame("[] []"))
        .isInstanceOfSatisfying(MalformedTicker.class, e -> assertThat(e.kind()).isEqualTo("bad_json"));
    assertThatThrownBy(() -> TickerParser.streamFrame("[" + DOC_ITEM.replace("}", ",\"s\":\"ETHBTC\"}") + "]"))
        .isInstanceOf(MalformedTicker.class); // a duplicate key could hide which symbol is meant
  }

  @Test
  void aRestAnswerOfOneOrManyMarketsIsValidAtItsCloseTime() {
    // the response of the Binance REST documentation for GET /api/v3/ticker/24hr (FULL)
    String one = "{\"symbol\":\"BNBBTC\",\"priceChange\":\"-94.99999800\",\"priceChangePercent\":\"-95.960\","
        + "\"weightedAvgPrice\":\"0.29628482\",\"prevClosePrice\":\"0.10002000\",\"lastPrice\":\"4.00000200\","
        + "\"lastQty\":\"200.00000000\",\"bidPrice\":\"4.00000000\",\"bidQty\":\"100.00000000\","
        + "\"askPrice\":\"4.00000200\",\"askQty\":\"100.00000000\",\"openPrice\":\"99.00000000\","
        + "\"highPrice\":\"100.00000000\",\"lowPrice\":\"0.10000000\",\"volume\":\"8913.30000000\","
        + "\"quoteVolume\":\"15.30000000\",\"openTime\":1499783499040,\"closeTime\":1499869899040,"
        + "\"firstId\":28385,\"lastId\":28460,\"count\":76}";
    Ticker t = TickerParser.rest24hr(one).tickers().get(0);
    assertThat(t.time()).isEqualTo(1499869899040L);
    assertThat(t.source()).isEqualTo(Ticker.Source.REST);
    assertThat(t.last()).isEqualTo(new BigDecimal("4.00000200"));
    assertThat(t.open()).isEqualTo(new BigDecimal("99.00000000"));
    assertThat(t.changePercent()).isEqualByComparingTo("-95.960"); // ours equals Binance's
    Parsed many = TickerParser.rest24hr("[" + one + "," + one.replace("BNBBTC", "ETHBTC") + "]");
    assertThat(many.tickers()).extracting(Ticker::symbol).containsExactly("BNBBTC", "ETHBTC");
  }
}
