package io.candlebus.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real recorded Binance data under {@code ../shared/data/binance-real} (see its README.txt). */
public final class SharedData {
  private SharedData() {}

  public static Path shared() {
    return Path.of(System.getProperty("candlebus.shared", "../shared"));
  }

  public static Path real(String relative) {
    return shared().resolve("data/binance-real").resolve(relative);
  }

  /** The recorded stream frames of a cryptofeed capture: the JSON of each {@code <recv_ts>: <json>} line. */
  public static List<String> cryptofeedFrames(Path file) {
    List<String> frames = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file)) {
        int sep = line.indexOf(": {");
        if (sep > 0 && line.substring(0, sep).matches("[0-9.]+")) {
          frames.add(line.substring(sep + 2));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return frames;
  }

  /** The four cryptofeed WebSocket captures. */
  public static List<Path> cryptofeedCaptures() {
    return List.of(
        real("cryptofeed_binance_2021-04-05/BINANCE-b38f7c.0"),
        real("cryptofeed_binance_2021-04-17/BINANCE.ws.1.0"),
        real("cryptofeed_binance_2021-08-14/BINANCE.ws.1.0"),
        real("cryptofeed_binance_2021-10-12/BINANCE.ws.1.0"));
  }
}
