package io.candlebus.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.domain.Interval;
import io.candlebus.testing.SharedData;
import io.candlebus.upstream.StreamEvent.ControlReply;
import io.candlebus.upstream.StreamEvent.Ignored;
import io.candlebus.upstream.StreamEvent.KlineEvent;
import io.candlebus.upstream.StreamEvent.Malformed;
import io.candlebus.upstream.StreamEvent.ShutdownEvent;
import io.candlebus.upstream.StreamEvent.TradeEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BinanceStreamParserTest {
  private final BinanceStreamParser parser = new BinanceStreamParser();

  @Test
  void combinedAggTradeFromTheRecording() {
    StreamEvent e = parser.parse("{\"stream\":\"ftmusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":1628952396573,"
        + "\"s\":\"FTMUSDT\",\"a\":31718372,\"p\":\"0.33993000\",\"q\":\"99.90000000\",\"f\":38248910,"
        + "\"l\":38248910,\"T\":1628952396572,\"m\":true,\"M\":true}}");
    assertThat(e).isInstanceOfSatisfying(TradeEvent.class, t -> {
      assertThat(t.trade().symbol()).isEqualTo("FTMUSDT");
      assertThat(t.trade().aggId()).isEqualTo(31718372);
      assertThat(t.trade().price()).isEqualTo("0.33993000"); // exact, scale kept as sent
      assertThat(t.trade().qty().toPlainString()).isEqualTo("99.90000000");
      assertThat(t.trade().firstTradeId()).isEqualTo(38248910);
      assertThat(t.trade().time()).isEqualTo(1628952396572L);
      assertThat(t.trade().eventTime()).isEqualTo(1628952396573L);
      assertThat(t.trade().buyerMaker()).isTrue();
    });
  }

  @Test
  void rawKlineWithFieldsInAnyOrder() {
    String frame = "{\"E\":1672515782136,\"s\":\"BNBBTC\",\"k\":{\"t\":1672515780000,\"T\":1672515839999,"
        + "\"s\":\"BNBBTC\",\"i\":\"1m\",\"f\":100,\"L\":200,\"o\":\"0.0010\",\"c\":\"0.0020\",\"h\":\"0.0025\","
        + "\"l\":\"0.0015\",\"v\":\"1000\",\"n\":100,\"x\":false,\"q\":\"1.0000\",\"V\":\"500\",\"Q\":\"0.500\"},"
        + "\"e\":\"kline\"}";
    assertThat(parser.parse(frame)).isInstanceOfSatisfying(KlineEvent.class, k -> {
      assertThat(k.eventTime()).isEqualTo(1672515782136L);
      assertThat(k.kline().interval()).isEqualTo(Interval.M1);
      assertThat(k.kline().trades()).isEqualTo(100);
      assertThat(k.kline().high()).isEqualByComparingTo("0.0025");
      assertThat(k.kline().closed()).isFalse();
      assertThat(k.kline().lastTradeId()).isEqualTo(200);
    });
  }

  @Test
  void controlRepliesAndShutdown() {
    assertThat(parser.parse("{\"result\":null,\"id\":1}")).isEqualTo(new ControlReply("1", null, null));
    assertThat(parser.parse("{\"code\":2,\"msg\":\"Invalid request: too many parameters\"}"))
        .isEqualTo(new ControlReply(null, 2, "Invalid request: too many parameters"));
    assertThat(parser.parse("{\"stream\":\"!serverShutdown\",\"data\":{\"e\":\"serverShutdown\",\"E\":17}}"))
        .isEqualTo(new ShutdownEvent(17));
  }

  @Test
  void otherStreamsAreIgnoredNotMalformed() {
    assertThat(parser.parse("{\"u\":400900217,\"s\":\"BNBUSDT\",\"b\":\"25.35190000\",\"B\":\"31.21000000\","
        + "\"a\":\"25.36520000\",\"A\":\"40.66000000\"}")).isEqualTo(new Ignored("bookTicker"));
    assertThat(parser.parse("{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"X\",\"U\":1,\"u\":2,\"b\":[],\"a\":[[\"1\",\"2\"]]}"))
        .isEqualTo(new Ignored("depthUpdate"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "invalid_json   | {\"e\":\"aggTrade\",",
      "invalid_json   | not json at all",
      "not_an_object  | [1,2,3]",
      "unknown_event  | {\"e\":\"somethingNew\",\"E\":1}",
      "unknown_event  | {\"x\":1}",
      "missing_field  | {\"e\":\"aggTrade\",\"E\":1,\"s\":\"BTCUSDT\",\"a\":1,\"p\":\"1\",\"q\":\"1\"}",
      "wrong_type     | {\"e\":\"aggTrade\",\"E\":1,\"s\":\"BTCUSDT\",\"a\":\"one\",\"p\":\"1\",\"q\":\"1\",\"f\":1,\"l\":1,\"T\":1,\"m\":true}",
      "wrong_type     | {\"e\":\"aggTrade\",\"E\":1,\"s\":\"BTCUSDT\",\"a\":1,\"p\":1.5,\"q\":\"1\",\"f\":1,\"l\":1,\"T\":1,\"m\":true}",
      "wrong_value    | {\"e\":\"aggTrade\",\"E\":1,\"s\":\"BTCUSDT\",\"a\":1,\"p\":\"1e400\",\"q\":\"1\",\"f\":1,\"l\":1,\"T\":1,\"m\":true}",
      "wrong_value    | {\"e\":\"aggTrade\",\"E\":1,\"s\":\"BTCUSDT\",\"a\":99999999999999999999999,\"p\":\"1\",\"q\":\"1\",\"f\":1,\"l\":1,\"T\":1,\"m\":true}",
      "wrong_value    | {\"e\":\"kline\",\"E\":1,\"s\":\"B\",\"k\":{\"t\":5,\"T\":60004,\"i\":\"1m\",\"f\":1,\"L\":1,\"o\":\"1\",\"c\":\"1\",\"h\":\"1\",\"l\":\"1\",\"v\":\"1\",\"n\":1,\"x\":true,\"q\":\"1\",\"V\":\"1\",\"Q\":\"1\"}}",
      "wrong_value    | {\"e\":\"kline\",\"E\":1,\"s\":\"B\",\"k\":{\"t\":0,\"T\":59999,\"i\":\"7m\",\"f\":1,\"L\":1,\"o\":\"1\",\"c\":\"1\",\"h\":\"1\",\"l\":\"1\",\"v\":\"1\",\"n\":1,\"x\":true,\"q\":\"1\",\"V\":\"1\",\"Q\":\"1\"}}",
      "invalid_json   | {\"result\":null,\"id\":1} trailing",
  })
  void malformedFramesAreNamedByKind(String kind, String frame) {
    assertThat(parser.parse(frame)).isInstanceOfSatisfying(Malformed.class, m -> assertThat(m.kind()).isEqualTo(kind));
  }

  @Test
  void oversizedFramesAreRefusedUnread() {
    String huge = "{\"e\":\"aggTrade\",\"pad\":\"" + "x".repeat(BinanceStreamParser.MAX_FRAME_CHARS) + "\"}";
    assertThat(parser.parse(huge)).isInstanceOfSatisfying(Malformed.class,
        m -> assertThat(m.kind()).isEqualTo("too_large"));
  }

  @Test
  void everyFrameOfTheRealRecordingsParses() throws Exception {
    Map<String, Integer> kinds = new HashMap<>();
    List<Path> files = new java.util.ArrayList<>(SharedData.cryptofeedCaptures());
    files.add(SharedData.real("stewarteaton_BTCUSDT_2021/dataset.txt"));
    for (Path f : files) {
      List<String> frames = f.toString().endsWith("dataset.txt")
          ? Files.readAllLines(f).stream().filter(l -> l.startsWith("{")).toList()
          : SharedData.cryptofeedFrames(f);
      for (String frame : frames) {
        StreamEvent e = parser.parse(frame);
        assertThat(e).as(frame).isNotInstanceOf(Malformed.class);
        kinds.merge(e.getClass().getSimpleName(), 1, Integer::sum);
      }
    }
    assertThat(kinds.get("TradeEvent")).isEqualTo(1240 + 24 + 28 + 2);
    assertThat(kinds.get("KlineEvent")).isEqualTo(20 + 17 + 2 + 49);
  }
}
