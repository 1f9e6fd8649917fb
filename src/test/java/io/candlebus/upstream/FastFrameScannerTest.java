package io.candlebus.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast path must agree with the general Jackson path on every frame it accepts, and accept Binance's own. */
class FastFrameScannerTest {
  private final BinanceStreamParser parser = new BinanceStreamParser();

  private static List<String> realFrames() throws Exception {
    List<String> frames = new ArrayList<>();
    for (Path capture : SharedData.cryptofeedCaptures()) {
      frames.addAll(SharedData.cryptofeedFrames(capture));
    }
    Files.readAllLines(SharedData.real("stewarteaton_BTCUSDT_2021/dataset.txt")).stream()
        .filter(l -> l.startsWith("{")).forEach(frames::add);
    return frames;
  }

  @Test
  void everyRealTradeAndKlineFrameTakesTheFastPathWithTheSameResult() throws Exception {
    int fast = 0;
    for (String frame : realFrames()) {
      StreamEvent general = parser.parseGeneral(frame);
      StreamEvent scanned = FastFrameScanner.scan(frame);
      if (general instanceof StreamEvent.TradeEvent || general instanceof StreamEvent.KlineEvent) {
        assertThat(scanned).as(frame).isEqualTo(general);
        fast++;
      } else {
        assertThat(scanned).as(frame).isNull();
      }
    }
    assertThat(fast).isEqualTo(1294 + 88);
  }

  @Test
  void mutatedFramesAreEitherRefusedOrReadExactlyAsJacksonReadsThem() throws Exception {
    Random r = new Random(3);
    List<String> frames = realFrames().stream().filter(f -> f.contains("aggTrade") || f.contains("kline")).toList();
    String alphabet = "{}[]\",:.-0123456789eEtrufalsn \\aAbBcCfFhHiIkKlLmMnNpPqQsStTvVxX";
    int accepted = 0;
    for (int round = 0; round < 200_000; round++) {
      StringBuilder b = new StringBuilder(frames.get(r.nextInt(frames.size())));
      int edits = 1 + r.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int at = r.nextInt(b.length());
        switch (r.nextInt(3)) {
          case 0 -> b.deleteCharAt(at);
          case 1 -> b.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
          default -> b.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
        }
      }
      String frame = b.toString();
      StreamEvent scanned = FastFrameScanner.scan(frame);
      if (scanned != null) {
        accepted++;
        // the parser applies the same plausibility checks after either path
        assertThat(Plausibility.check(scanned)).as(frame).isEqualTo(parser.parseGeneral(frame));
      }
    }
    // many edits land in values (digits): those frames stay valid and must still agree
    assertThat(accepted).isGreaterThan(1_000);
  }

  @Test
  void missingCommasAndTrailingGarbageAreNotAccepted() {
    String ok = "{\"e\":\"aggTrade\",\"E\":1700000000001,\"s\":\"BTCUSDT\",\"a\":5,\"p\":\"1.5\",\"q\":\"2\",\"f\":1,"
        + "\"l\":1,\"T\":1700000000000,\"m\":true,\"M\":true}";
    assertThat(FastFrameScanner.scan(ok)).isInstanceOf(StreamEvent.TradeEvent.class);
    assertThat(FastFrameScanner.scan(ok.replace(",\"s\"", " \"s\""))).isNull();
    assertThat(FastFrameScanner.scan(ok + "x")).isNull();
    assertThat(FastFrameScanner.scan(ok.replace("\"1.5\"", "\"1.5e3\""))).isNull();
    assertThat(FastFrameScanner.scan(ok.replace("\"1.5\"", "\"12345678901234567890.5\""))).isNull();
    assertThat(parser.parse(ok.replace("\"1.5\"", "\"12345678901234567890.5\"")))
        .isInstanceOfSatisfying(StreamEvent.TradeEvent.class,
            t -> assertThat(t.trade().price()).isEqualByComparingTo("12345678901234567890.5"));
    // a key twice: the fast path leaves it to the general parser, which refuses it
    String twice = ok.replace("\"q\":\"2\"", "\"q\":\"2\",\"p\":\"-1\"");
    assertThat(FastFrameScanner.scan(twice)).isNull();
    assertThat(parser.parse(twice)).isInstanceOfSatisfying(StreamEvent.Malformed.class,
        m -> assertThat(m.kind()).isEqualTo("invalid_json"));
  }

  @Test
  void valuesBinanceNeverSendsAreRefusedWithTheirKind() throws Exception {
    String ok = "{\"stream\":\"btcusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":1700000000001,"
        + "\"s\":\"BTCUSDT\",\"a\":5,\"p\":\"1.5\",\"q\":\"2\",\"f\":1,\"l\":1,\"T\":1700000000000,"
        + "\"m\":true,\"M\":true}}";
    assertThat(parser.parse(ok)).isInstanceOf(StreamEvent.TradeEvent.class);
    assertThat(kind(ok.replace("\"p\":\"1.5\"", "\"p\":\"-1.5\""))).isEqualTo("absurd_value");
    assertThat(kind(ok.replace("\"q\":\"2\"", "\"q\":\"0\""))).isEqualTo("absurd_value");
    assertThat(kind(ok.replace("\"f\":1", "\"f\":3"))).isEqualTo("absurd_value");
    assertThat(kind(ok.replace("\"a\":5", "\"a\":-5"))).isEqualTo("absurd_value");
    assertThat(kind(ok.replace("\"T\":1700000000000", "\"T\":9700000000000"))).isEqualTo("absurd_value");
    assertThat(kind(ok.replace("\"T\":1700000000000", "\"T\":1700000060000"))).as("after its event")
        .isEqualTo("absurd_value");
    assertThat(kind(ok.replace("\"E\":1700000000001", "\"E\":17000000001"))).isEqualTo("absurd_value");
    assertThat(kind(ok.replace("\"s\":\"BTCUSDT\"", "\"s\":\"btcusdt\""))).isIn("absurd_value", "stream_mismatch");
    assertThat(kind(ok.replace("btcusdt@aggTrade", "ethusdt@aggTrade"))).isEqualTo("stream_mismatch");
    assertThat(kind(ok.replace("btcusdt@aggTrade", "BTCUSDT@aggTrade"))).isEqualTo("stream_mismatch");
    for (String wrong : List.of("btcusdt@aggTrades", "btcusd@aggTrade", "btcusdt@kline_1m", "btcusdtaggTrade",
        "", "btcusdt@trade")) {
      assertThat(kind(ok.replace("btcusdt@aggTrade", wrong))).as(wrong).isEqualTo("stream_mismatch");
    }
    String kline = realFrames().stream().filter(f -> f.contains("@kline_1m")).findFirst().orElseThrow();
    assertThat(parser.parse(kline)).isInstanceOf(StreamEvent.KlineEvent.class);
    for (String wrong : List.of("@kline_1M", "@kline_1", "@kline_1mm", "@aggTrade")) {
      assertThat(kind(kline.replace("@kline_1m", wrong))).as(wrong).isEqualTo("stream_mismatch");
    }
    // Binance's own marker of an invalidated record is not absurd: it is skipped later, its id still counts
    String invalidated = ok.replace("\"p\":\"1.5\"", "\"p\":\"0\"").replace("\"q\":\"2\"", "\"q\":\"0\"")
        .replace("\"f\":1,\"l\":1", "\"f\":-1,\"l\":-1");
    assertThat(parser.parse(invalidated)).isInstanceOf(StreamEvent.TradeEvent.class);
  }

  private String kind(String frame) {
    StreamEvent e = parser.parse(frame);
    assertThat(e).as(frame).isInstanceOf(StreamEvent.Malformed.class);
    return ((StreamEvent.Malformed) e).kind();
  }
}
