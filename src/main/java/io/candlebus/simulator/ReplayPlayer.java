package io.candlebus.simulator;

import io.candlebus.depth.BookSync;
import io.candlebus.depth.DepthParser;
import io.candlebus.depth.DepthSnapshot;
import io.candlebus.depth.Level;
import io.candlebus.depth.OrderBook;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replays the combined-stream frames of cryptofeed captures (lines {@code <recv_ts>: <json>}; REST lines with
 * {@code " -> "}, connection lines with {@code " <-> "} and {@code configuration:} lines are skipped).
 *
 * <p>Each connection gets its own playback of the whole recording, starting when it first subscribes to any
 * recorded stream and paced by the recorded receive times divided by the replay speed (0 = as fast as the tick
 * allows). It receives the frames of the streams it is subscribed to, raw or in the envelope as it asked. A
 * playback runs once; a reconnecting client starts again from the beginning.
 *
 * <p>The captures' depth snapshots (REST lines of {@code /depth?symbol=S}) answer {@code /api/v3/depth} for their
 * symbols: the first recorded snapshot, moved on by the recorded diffs as far as the newest playback has got — the
 * book Binance would have answered at that point — so a client that joined the playback late still gets a
 * snapshot its buffered diffs continue.
 */
final class ReplayPlayer {
  static final int MAX_FRAMES_PER_TICK = 5_000;

  record Frame(long recvMicros, String stream, String data) {}

  private static final Pattern DEPTH_REST =
      Pattern.compile("^\\S+/depth\\?\\S*?symbol=([A-Z0-9]+)\\S* -> ([0-9.]+): (\\{.*)$");

  private static final class Cursor {
    final long startNanos;
    int index;

    Cursor(long startNanos) {
      this.startNanos = startNanos;
    }
  }

  private final List<Frame> frames;
  private final Set<String> streams = new HashSet<>();
  private final double speed;
  private final Map<WsConnection, Cursor> cursors = new IdentityHashMap<>();
  private final Set<WsConnection> finished = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Per symbol, the first depth snapshot the recording received. */
  private final Map<String, DepthSnapshot> snapshots;
  /** The playback started last: its position picks the snapshot served. */
  private Cursor newest;

  ReplayPlayer(List<Frame> frames, double speed) {
    this(frames, speed, Map.of());
  }

  ReplayPlayer(List<Frame> frames, double speed, Map<String, DepthSnapshot> snapshots) {
    this.frames = frames;
    this.speed = speed;
    this.snapshots = snapshots;
    frames.forEach(f -> streams.add(f.stream()));
  }

  static ReplayPlayer load(List<Path> files, double speed) throws IOException {
    List<Frame> frames = new ArrayList<>();
    Map<String, DepthSnapshot> snapshots = new HashMap<>();
    Map<String, Long> snapshotMicros = new HashMap<>();
    long last = Long.MIN_VALUE;
    for (Path file : files) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        Matcher rest = DEPTH_REST.matcher(line);
        if (rest.matches()) {
          long micros = new BigDecimal(rest.group(2)).movePointRight(6).longValue();
          if (micros < snapshotMicros.getOrDefault(rest.group(1), Long.MAX_VALUE)) {
            snapshotMicros.put(rest.group(1), micros);
            snapshots.put(rest.group(1), DepthParser.snapshot(rest.group(3)));
          }
          continue;
        }
        Frame f = parseLine(line);
        if (f != null) {
          // keep the pace monotonic when files are given out of order
          last = Math.max(last, f.recvMicros());
          frames.add(new Frame(last, f.stream(), f.data()));
        }
      }
    }
    return new ReplayPlayer(frames, speed, snapshots);
  }

  /** One capture line as a frame, or null for lines that are not stream frames. */
  static Frame parseLine(String line) {
    if (line.isBlank() || line.contains(" -> ") || line.contains(" <-> ") || line.startsWith("configuration:")) {
      return null;
    }
    int colon = line.indexOf(": ");
    if (colon <= 0) {
      return null;
    }
    try {
      long micros = new BigDecimal(line.substring(0, colon).trim()).movePointRight(6).longValue();
      String json = line.substring(colon + 2).trim();
      JsonObject frame = new JsonObject(json);
      String stream = frame.getString("stream");
      if (stream == null || !frame.containsKey("data")) {
        return null;
      }
      return new Frame(micros, stream, rawData(json, frame));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The recorded text of "data" byte for byte when the envelope has the usual shape, else re-encoded. */
  private static String rawData(String json, JsonObject frame) {
    int key = json.indexOf("\"data\":");
    if (key > 0 && json.endsWith("}") && json.lastIndexOf("\"stream\"", key) > 0) {
      return json.substring(key + 7, json.length() - 1);
    }
    return String.valueOf(frame.getValue("data") instanceof JsonObject o ? o.encode() : frame.getValue("data"));
  }

  List<Frame> frames() {
    return frames;
  }

  Set<String> streams() {
    return streams;
  }

  /** Whether the recording streams {@code stream}: the simulator's own book then stays off it. */
  boolean replays(String stream) {
    return streams.contains(stream);
  }

  /**
   * The recorded snapshot of {@code symbol} for the newest playback's position, cut to {@code limit} levels a
   * side; null when the recording has none for it.
   */
  JsonObject snapshot(String symbol, int limit) {
    DepthSnapshot recorded = snapshots.get(symbol);
    if (recorded == null) {
      return null;
    }
    int reached = newest == null ? 0 : Math.min(newest.index, frames.size());
    OrderBook book = bookAt(symbol, recorded, reached);
    JsonObject out = new JsonObject().put("lastUpdateId", book == null ? recorded.lastUpdateId() : book.updateId());
    out.put("bids", levels(book == null ? recorded.bids() : book.bids(limit), limit));
    out.put("asks", levels(book == null ? recorded.asks() : book.asks(limit), limit));
    return out;
  }

  /**
   * The recorded snapshot moved on by the recorded diffs of the first {@code reached} frames, as Binance would
   * answer at that point of the recording; null before a diff bridges the snapshot.
   */
  private OrderBook bookAt(String symbol, DepthSnapshot recorded, int reached) {
    String stream = symbol.toLowerCase(Locale.ROOT) + "@depth@100ms";
    BookSync sync = new BookSync(symbol);
    boolean given = false;
    for (int i = 0; i < reached; i++) {
      Frame f = frames.get(i);
      if (f.stream().equals(stream)) {
        sync.onDiff(DepthParser.diff(f.data()));
        if (!given) {
          sync.onSnapshot(recorded);
          given = true;
        }
      }
    }
    return sync.state() == BookSync.State.LIVE ? sync.book() : null;
  }

  private static JsonArray levels(List<Level> levels, int limit) {
    JsonArray out = new JsonArray();
    for (Level l : levels.subList(0, Math.min(limit, levels.size()))) {
      out.add(new JsonArray().add(l.price().toPlainString()).add(l.quantity().toPlainString()));
    }
    return out;
  }

  void tick(ConnectionRegistry registry, long realNanos) {
    cursors.keySet().removeIf(WsConnection::isClosed);
    finished.removeIf(WsConnection::isClosed);
    registry.forEach(c -> {
      if (!cursors.containsKey(c) && !finished.contains(c) && streams.stream().anyMatch(c::isSubscribed)) {
        newest = new Cursor(realNanos);
        cursors.put(c, newest);
      }
    });
    if (frames.isEmpty()) {
      return;
    }
    long t0 = frames.get(0).recvMicros();
    cursors.entrySet().removeIf(e -> {
      WsConnection c = e.getKey();
      Cursor cur = e.getValue();
      double elapsedMicros = (realNanos - cur.startNanos) / 1_000.0;
      int sent = 0;
      while (cur.index < frames.size() && sent < MAX_FRAMES_PER_TICK) {
        Frame f = frames.get(cur.index);
        if (speed > 0 && (f.recvMicros() - t0) / speed > elapsedMicros) {
          break;
        }
        if (c.isSubscribed(f.stream())) {
          c.send(f.stream(), f.data());
          sent++;
        }
        cur.index++;
      }
      if (cur.index >= frames.size()) {
        finished.add(c);
        return true;
      }
      return false;
    });
  }
}
