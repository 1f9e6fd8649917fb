package io.candlebus.tail;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.tail.TailOptions.TimeFormat;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The line format: times per --time, the chosen price as received, colour only when asked for. */
class TailLineTest {
  private static final long OPEN = 1621016760000L; // 2021-05-14T18:26:00Z

  private static JsonObject candle(String close, boolean closed) {
    return new JsonObject().put("symbol", "BTCUSDT").put("interval", "1m").put("openTime", OPEN)
        .put("open", "50405.91").put("high", "50417.74").put("low", "50400.5").put("close", close)
        .put("closed", closed);
  }

  @Test
  void candlesInEachTimeFormatWithThePriceAsReceived() {
    ZoneId paris = ZoneId.of("Europe/Paris");
    assertThat(new TailLine(TimeFormat.MS, 'c', false, paris).candle(candle("50409.2700", false)))
        .isEqualTo("1621016760000 BTCUSDT 1m 50409.2700 live");
    assertThat(new TailLine(TimeFormat.ISO, 'h', false, paris).candle(candle("1", true)))
        .isEqualTo("2021-05-14T18:26:00.000Z BTCUSDT 1m 50417.74 closed");
    assertThat(new TailLine(TimeFormat.LOCAL, 'l', false, paris).candle(candle("1", false)))
        .isEqualTo("2021-05-14T20:26:00.000+02:00 BTCUSDT 1m 50400.5 live");
    assertThat(new TailLine(TimeFormat.ISO, 'o', false, paris).candle(candle("1", false)))
        .contains(" 50405.91 ");
  }

  @Test
  void tradesShowPriceAndQuantity() {
    JsonObject t = new JsonObject().put("symbol", "BTCUSDT").put("tradeId", 1).put("price", "50405.91")
        .put("qty", "0.164282").put("time", 1621016790053L).put("buyerMaker", false);
    assertThat(new TailLine(TimeFormat.ISO, 'c', false, ZoneId.of("UTC")).trade(t))
        .isEqualTo("2021-05-14T18:26:30.053Z BTCUSDT trade 50405.91 0.164282");
  }

  @Test
  void colourMarksMovesAgainstThePreviousLineComparedAsNumbers() {
    TailLine line = new TailLine(TimeFormat.MS, 'c', true, ZoneId.of("UTC"));
    assertThat(line.candle(candle("10.5", false))).contains(" 10.5 "); // nothing to compare with
    assertThat(line.candle(candle("10.6", false))).contains(" \u001b[32m10.6\u001b[0m ");
    assertThat(line.candle(candle("10.60", false))).contains(" 10.60 "); // the same number: no move
    assertThat(line.candle(candle("9", false))).contains(" \u001b[31m9\u001b[0m ");
    TailLine plain = new TailLine(TimeFormat.MS, 'c', false, ZoneId.of("UTC"));
    plain.candle(candle("1", false));
    assertThat(plain.candle(candle("2", false))).doesNotContain("\u001b");
  }

  @Test
  void messagesWithoutTheNeededFieldsGiveNoLine() {
    TailLine line = new TailLine(TimeFormat.MS, 'c', false, ZoneId.of("UTC"));
    assertThat(line.candle(new JsonObject().put("symbol", "BTCUSDT"))).isNull();
    assertThat(line.trade(new JsonObject().put("symbol", "BTCUSDT").put("missed", 17))).isNull();
  }
}
