package io.candlebus.simulator;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays the combined-stream frames of cryptofeed captures (lines {@code <recv_ts>: <json>}; REST lines with
 * {@code " -> "}, connection lines with {@code " <-> "} and {@code configuration:} lines are skipped).
 *
 * <p>Each connection gets its own playback of the whole recording, starting when it first subscribes to any
 * recorded stream and paced by the recorded receive times divided by the replay speed (0 = as fast as the tick
 * allows). It receives the frames of the streams it is subscribed to, raw or in the envelope as it asked. A
 * playback runs once; a reconnecting client starts again from the beginning.
 */
final class ReplayPlayer {
  static final int MAX_FRAMES_PER_TICK = 5_000;

  record Frame(long recvMicros, String stream, String data) {}

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

  ReplayPlayer(List<Frame> frames, double speed) {
    this.frames = frames;
    this.speed = speed;
    frames.forEach(f -> streams.add(f.stream()));
  }

  static ReplayPlayer load(List<Path> files, double speed) throws IOException {
    List<Frame> frames = new ArrayList<>();
    long last = Long.MIN_VALUE;
    for (Path file : files) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        Frame f = parseLine(line);
        if (f != null) {
          // keep the pace monotonic when files are given out of order
          last = Math.max(last, f.recvMicros());
          frames.add(new Frame(last, f.stream(), f.data()));
        }
      }
    }
    return new ReplayPlayer(frames, speed);
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

  void tick(ConnectionRegistry registry, long realNanos) {
    cursors.keySet().removeIf(WsConnection::isClosed);
    finished.removeIf(WsConnection::isClosed);
    registry.forEach(c -> {
      if (!cursors.containsKey(c) && !finished.contains(c) && streams.stream().anyMatch(c::isSubscribed)) {
        cursors.put(c, new Cursor(realNanos));
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
