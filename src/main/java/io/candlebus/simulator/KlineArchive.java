package io.candlebus.simulator;

import io.candlebus.domain.Interval;
import io.vertx.core.json.JsonArray;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Official data.binance.vision 1m kline archives ({@code <SYMBOL>-1m-<date>.zip}, 12 CSV columns, no header),
 * served as REST klines: 1m rows exactly as in the files, other intervals derived from them (first open, max
 * high, min low, last close, sums of v/q/V/Q/n). Microsecond timestamps (2025+ archives) are turned into ms. There
 * is nothing for 1s.
 */
final class KlineArchive {
  /** One kline row; decimals kept as the archive's strings. */
  record Row(long openTime, String open, String high, String low, String close, String volume, long closeTime,
      String quoteVolume, long trades, String takerBuyVolume, String takerBuyQuoteVolume, String ignore) {

    JsonArray toJson() {
      return new JsonArray().add(openTime).add(open).add(high).add(low).add(close).add(volume).add(closeTime)
          .add(quoteVolume).add(trades).add(takerBuyVolume).add(takerBuyQuoteVolume).add(ignore);
    }
  }

  private final Map<String, List<Row>> minutes;
  private final Map<String, List<Row>> derived = new ConcurrentHashMap<>();

  KlineArchive(Map<String, List<Row>> minutes) {
    this.minutes = minutes;
  }

  /** Reads every {@code *-1m-*.zip} in {@code dir}; blocking. */
  static KlineArchive load(Path dir) throws IOException {
    Map<String, Map<Long, Row>> bySymbol = new HashMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*-1m-*.zip")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        String symbol = name.substring(0, name.indexOf("-1m-"));
        Map<Long, Row> rows = bySymbol.computeIfAbsent(symbol, k -> new HashMap<>());
        readZip(f).forEach(r -> rows.put(r.openTime(), r));
      }
    }
    Map<String, List<Row>> out = new HashMap<>();
    bySymbol.forEach((s, rows) -> {
      List<Row> sorted = new ArrayList<>(rows.values());
      sorted.sort(Comparator.comparingLong(Row::openTime));
      out.put(s, List.copyOf(sorted));
    });
    return new KlineArchive(out);
  }

  static List<Row> readZip(Path zip) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (!e.getName().endsWith(".csv")) {
          continue;
        }
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          Row row = parse(line);
          if (row != null) {
            rows.add(row);
          }
        }
      }
    }
    return rows;
  }

  /** A CSV line as a row; null for a header or blank line. */
  static Row parse(String line) {
    String[] c = line.trim().split(",");
    if (c.length < 12 || !c[0].chars().allMatch(Character::isDigit)) {
      return null;
    }
    return new Row(millis(Long.parseLong(c[0])), c[1], c[2], c[3], c[4], c[5], millis(Long.parseLong(c[6])), c[7],
        Long.parseLong(c[8]), c[9], c[10], c[11]);
  }

  private static long millis(long t) {
    return t >= 1_000_000_000_000_000L ? t / 1000 : t;
  }

  Set<String> symbols() {
    return new TreeSet<>(minutes.keySet());
  }

  boolean has(String symbol) {
    return minutes.containsKey(symbol);
  }

  /** The rows of {@code interval} in the window (Binance's start/end/limit rules), oldest first. */
  List<Row> klines(String symbol, Interval interval, Long start, Long end, int limit) {
    List<Row> rows = rows(symbol, interval);
    long[] opens = rows.stream().mapToLong(Row::openTime).toArray();
    int[] range = BarSelection.sorted(opens, start, end, limit);
    return rows.subList(range[0], range[1]);
  }

  private List<Row> rows(String symbol, Interval interval) {
    if (interval == Interval.M1) {
      return minutes.getOrDefault(symbol, List.of());
    }
    if (interval == Interval.S1) {
      return List.of();
    }
    return derived.computeIfAbsent(symbol + "/" + interval.code(), k -> derive(minutes.get(symbol), interval));
  }

  private static List<Row> derive(List<Row> minuteRows, Interval iv) {
    List<Row> out = new ArrayList<>();
    List<Row> group = new ArrayList<>();
    for (Row r : minuteRows) {
      if (!group.isEmpty() && iv.openTime(r.openTime()) != iv.openTime(group.get(0).openTime())) {
        out.add(merge(group, iv));
        group.clear();
      }
      group.add(r);
    }
    if (!group.isEmpty()) {
      out.add(merge(group, iv));
    }
    return List.copyOf(out);
  }

  private static Row merge(List<Row> g, Interval iv) {
    long open = iv.openTime(g.get(0).openTime());
    String high = g.get(0).high();
    String low = g.get(0).low();
    BigDecimal v = BigDecimal.ZERO;
    BigDecimal q = BigDecimal.ZERO;
    BigDecimal bv = BigDecimal.ZERO;
    BigDecimal bq = BigDecimal.ZERO;
    long n = 0;
    for (Row r : g) {
      high = new BigDecimal(r.high()).compareTo(new BigDecimal(high)) > 0 ? r.high() : high;
      low = new BigDecimal(r.low()).compareTo(new BigDecimal(low)) < 0 ? r.low() : low;
      v = v.add(new BigDecimal(r.volume()));
      q = q.add(new BigDecimal(r.quoteVolume()));
      bv = bv.add(new BigDecimal(r.takerBuyVolume()));
      bq = bq.add(new BigDecimal(r.takerBuyQuoteVolume()));
      n += r.trades();
    }
    return new Row(open, g.get(0).open(), high, low, g.get(g.size() - 1).close(), v.toPlainString(),
        iv.closeTime(open), q.toPlainString(), n, bv.toPlainString(), bq.toPlainString(), "0");
  }
}
