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
        assertThat(scanned).as(frame).isEqualTo(parser.parseGeneral(frame));
      }
    }
    // many edits land in values (digits): those frames stay valid and must still agree
    assertThat(accepted).isGreaterThan(1_000);
  }

  @Test
  void missingCommasAndTrailingGarbageAreNotAccepted() {
    String ok = "{\"e\":\"aggTrade\",\"E\":1,\"s\":\"BTCUSDT\",\"a\":5,\"p\":\"1.5\",\"q\":\"2\",\"f\":1,\"l\":1,"
        + "\"T\":1,\"m\":true,\"M\":true}";
    assertThat(FastFrameScanner.scan(ok)).isInstanceOf(StreamEvent.TradeEvent.class);
    assertThat(FastFrameScanner.scan(ok.replace(",\"s\"", " \"s\""))).isNull();
    assertThat(FastFrameScanner.scan(ok + "x")).isNull();
    assertThat(FastFrameScanner.scan(ok.replace("\"1.5\"", "\"1.5e3\""))).isNull();
    assertThat(FastFrameScanner.scan(ok.replace("\"1.5\"", "\"12345678901234567890.5\""))).isNull();
    assertThat(parser.parse(ok.replace("\"1.5\"", "\"12345678901234567890.5\"")))
        .isInstanceOfSatisfying(StreamEvent.TradeEvent.class,
            t -> assertThat(t.trade().price()).isEqualByComparingTo("12345678901234567890.5"));
  }
}
