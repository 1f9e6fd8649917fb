package io.candlebus.persistence;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Candles for tests: made up, or real Binance klines from ../shared/data/binance-real. */
final class TestCandles {
  private TestCandles() {}

  /** A closed candle whose values derive from {@code seed}, so two seeds give two different candles. */
  static Candle candle(String symbol, Interval interval, long openTime, int seed) {
    BigDecimal p = new BigDecimal("100.5").add(BigDecimal.valueOf(seed, 2));
    return new Candle(symbol, interval, openTime, interval.closeTime(openTime), p, p.add(BigDecimal.ONE),
        p.subtract(BigDecimal.ONE), p.add(new BigDecimal("0.25")), new BigDecimal("1.5").add(BigDecimal.valueOf(seed)),
        new BigDecimal("150.75"), new BigDecimal("0.5"), new BigDecimal("50.25"), 10 + seed, 1000 + seed,
        1009 + 2L * seed, true);
  }

  static Candle withClose(Candle c, String close) {
    return new Candle(c.symbol(), c.interval(), c.openTime(), c.closeTime(), c.open(), c.high(), c.low(),
        new BigDecimal(close), c.volume(), c.quoteVolume(), c.takerBuyVolume(), c.takerBuyQuoteVolume(), c.trades(),
        c.firstTradeId(), c.lastTradeId(), true);
  }

  static Candle withVolume(Candle c, BigDecimal volume) {
    return new Candle(c.symbol(), c.interval(), c.openTime(), c.closeTime(), c.open(), c.high(), c.low(), c.close(),
        volume, c.quoteVolume(), c.takerBuyVolume(), c.takerBuyQuoteVolume(), c.trades(), c.firstTradeId(),
        c.lastTradeId(), true);
  }

  /** {@code n} consecutive 1m candles of {@code symbol} from {@code openTime}. */
  static List<Candle> series(String symbol, long openTime, int n) {
    List<Candle> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(candle(symbol, Interval.M1, openTime + i * 60_000L, i));
    }
    return out;
  }

  /** The 1440 real BTCUSDT 1m klines of 2020-01-01 from data.binance.vision (REST kline column layout). */
  static List<Candle> binanceDay() throws IOException {
    Path shared = Path.of(System.getProperty("candlebus.shared", "../shared"));
    Path zip = shared.resolve("data/binance-real/binance_vision_BTCUSDT_1m_2020-01-01_03/BTCUSDT-1m-2020-01-01.zip");
    String csv;
    try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
      ZipEntry e = z.getNextEntry();
      if (e == null) {
        throw new IOException("empty " + zip);
      }
      csv = new String(z.readAllBytes(), StandardCharsets.US_ASCII);
    }
    List<Candle> out = new ArrayList<>();
    for (String line : csv.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.trim().split(",");
      out.add(new Candle("BTCUSDT", Interval.M1, Long.parseLong(f[0]), Long.parseLong(f[6]), new BigDecimal(f[1]),
          new BigDecimal(f[2]), new BigDecimal(f[3]), new BigDecimal(f[4]), new BigDecimal(f[5]),
          new BigDecimal(f[7]), new BigDecimal(f[9]), new BigDecimal(f[10]), Long.parseLong(f[8]), Candle.NO_ID,
          Candle.NO_ID, true));
    }
    return out;
  }
}
