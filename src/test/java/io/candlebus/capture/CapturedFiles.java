package io.candlebus.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The test's reading of a capture directory, written from the README's description (not from the capture's code):
 * {@code <dir>/<SYMBOL>/<stream>/<yyyyMMddTHHmmssZ>[-n].csv[.tmp]}, a header, then {@code receiveTime} and the
 * exchange's fields as sent.
 */
final class CapturedFiles {
  static final Map<String, List<String>> HEADERS = Map.of(
      "trade", List.of("receiveTime", "E", "s", "t", "p", "q", "T", "m", "b", "a"),
      "aggTrade", List.of("receiveTime", "E", "s", "a", "p", "q", "f", "l", "T", "m"),
      "kline_1m", List.of("receiveTime", "E", "s", "t", "T", "i", "f", "L", "o", "c", "h", "l", "v", "n", "x", "q",
          "V", "Q"),
      "depth5", List.of("receiveTime", "lastUpdateId", "bids", "asks"));
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  /** One row: its file, the file's slice start, its receive time and its other cells. */
  record Row(Path file, long sliceStart, long receiveTime, List<String> cells) {}

  private CapturedFiles() {}

  /** Every file under {@code dir}, relative. */
  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  /** The rows of every file of {@code symbol}/{@code stream} (a crash's cut last line left out), oldest first. */
  static List<Row> rows(Path dir, String symbol, String stream) throws IOException {
    Path d = dir.resolve(symbol).resolve(stream);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    List<Row> out = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(d)) {
      files = s.sorted().toList();
    }
    for (Path f : files) {
      long sliceStart = LocalDateTime.parse(f.getFileName().toString().substring(0, 16), STAMP)
          .toInstant(ZoneOffset.UTC).toEpochMilli();
      String text = Files.readString(f, StandardCharsets.UTF_8);
      List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
      lines.remove(lines.size() - 1); // what follows the last newline: nothing, or a line a kill cut
      if (lines.isEmpty() && f.getFileName().toString().endsWith(".tmp")) {
        continue; // a file just opened, its header not yet written out (or never, if killed then): no rows
      }
      assertThat(lines).as("header of %s", f).isNotEmpty();
      assertThat(split(lines.get(0))).as("header of %s", f).isEqualTo(HEADERS.get(stream));
      for (String line : lines.subList(1, lines.size())) {
        List<String> cells = split(line);
        assertThat(cells).as("row of %s: %s", f, line).hasSize(HEADERS.get(stream).size());
        out.add(new Row(f, sliceStart, Long.parseLong(cells.get(0)), cells.subList(1, cells.size())));
      }
    }
    return out;
  }

  /** RFC 4180 cells of one line. */
  static List<String> split(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
        cell.append('"');
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        cells.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    cells.add(cell.toString());
    return cells;
  }

  /** The cells a frame must give (after receiveTime): its values' JSON text, strings without their quotes. */
  static List<String> expected(String stream, JsonNode data) {
    List<String> out = new ArrayList<>();
    if (stream.startsWith("depth")) {
      out.add(text(data.get("lastUpdateId")));
      out.add(side(data.get("bids")));
      out.add(side(data.get("asks")));
      return out;
    }
    for (String column : HEADERS.get(stream).subList(1, HEADERS.get(stream).size())) {
      JsonNode v = stream.startsWith("kline") && !column.equals("E") && !column.equals("s")
          ? data.get("k").get(column) : data.get(column);
      out.add(v == null ? "" : text(v));
    }
    return out;
  }

  private static String text(JsonNode v) {
    return v.isTextual() ? v.textValue() : v.toString();
  }

  private static String side(JsonNode levels) {
    List<String> out = new ArrayList<>();
    levels.forEach(l -> out.add(l.get(0).textValue() + ":" + l.get(1).textValue()));
    return String.join(";", out);
  }

  /** What identifies a message of {@code stream}: its id, or for klines the whole row. */
  static String key(String stream, List<String> cells) {
    return switch (stream) {
      case "trade" -> cells.get(2);
      case "aggTrade" -> cells.get(2);
      case "depth5" -> cells.get(0);
      default -> String.join(",", cells);
    };
  }

  /** Rows by key. */
  static Map<String, List<List<String>>> byKey(String stream, List<List<String>> rows) {
    Map<String, List<List<String>>> out = new HashMap<>();
    rows.forEach(r -> out.computeIfAbsent(key(stream, r), k -> new ArrayList<>()).add(r));
    return out;
  }

  /**
   * The files' rows of one stream against what the observer saw: a message the observer received within
   * [{@code from}, {@code to}] is in the files exactly as often as the observer got it (once: ids are unique, but a
   * partial book repeats while it does not change), with the same cells; nothing is in the files that the observer
   * did not see, or more often. Returns how many observed messages were inside the window.
   */
  static int assertMatches(String symbol, String stream, List<Row> files, List<StreamObserver.Frame> observed,
      long from, long to) {
    Map<String, List<List<String>>> seen = new HashMap<>();
    Map<String, Integer> seenInWindow = new HashMap<>();
    int inWindow = 0;
    for (StreamObserver.Frame f : observed) {
      List<String> cells = expected(stream, f.data());
      String k = key(stream, cells);
      seen.computeIfAbsent(k, x -> new ArrayList<>()).add(cells);
      if (f.receivedAt() >= from && f.receivedAt() <= to) {
        seenInWindow.merge(k, 1, Integer::sum);
        inWindow++;
      }
    }
    Map<String, List<List<String>>> written = byKey(stream, files.stream().map(Row::cells).toList());
    for (Map.Entry<String, List<List<String>>> e : written.entrySet()) {
      List<List<String>> obs = seen.get(e.getKey());
      assertThat(obs).as("%s %s: %s is in the files but the observer never saw it", symbol, stream, e.getKey())
          .isNotNull();
      assertThat(e.getValue().size()).as("%s %s: %s written more often than sent", symbol, stream, e.getKey())
          .isLessThanOrEqualTo(obs.size());
      for (List<String> row : e.getValue()) {
        assertThat(row).as("%s %s: the cells of %s", symbol, stream, e.getKey()).isEqualTo(obs.get(0));
      }
    }
    for (Map.Entry<String, Integer> e : seenInWindow.entrySet()) {
      int total = seen.get(e.getKey()).size();
      int w = written.getOrDefault(e.getKey(), List.of()).size();
      if (e.getValue() == total) {
        assertThat(w).as("%s %s: times %s is in the files (sent %d times)", symbol, stream, e.getKey(), total)
            .isEqualTo(total);
      } else {
        assertThat(w).as("%s %s: %s is not in the files", symbol, stream, e.getKey()).isPositive();
      }
    }
    return inWindow;
  }
}
