package io.candlebus.depth;

import io.candlebus.config.RecordSlice;
import io.candlebus.domain.Decimals;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the 100 ms rows of the live books as CSV, one file per symbol and UTC slice, named
 * {@code <SYMBOL>_<levels>_<slice start, ISO-8601 basic>.csv}. A file is written as {@code <name>.tmp} and renamed
 * when its slice has ended, so a reader listing {@code *.csv} never sees half a file; a stop renames it
 * {@code <name-without-.csv>.partial.csv}, and so does the next start for a {@code .tmp} a crash left (a crash loses
 * at most the last tick's rows: every tick is flushed). No name is ever overwritten: a second file of the same
 * slice gets {@code -2}, {@code -3}... A write error never escapes: the rows are counted as dropped,
 * {@link #problem()} says what failed where, the file goes partial, and writing is tried again a second later.
 * Ticks without a row for a symbol (its book was being rebuilt) are a gap: logged, counted, no row invented.
 * Single-threaded (the recorder's worker), no Vert.x.
 */
public final class DepthRecorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DepthRecorder.class);
  static final long RETRY_MS = 1_000;
  static final String TMP = SliceFiles.TMP;
  static final String PARTIAL = SliceFiles.PARTIAL;

  /** What happened, for the caller's meters. */
  public interface Listener {
    void written(String symbol, int rows);

    void dropped(String symbol, int rows);

    void gap(String symbol, long from, long missingTicks);

    void file(Path file, boolean complete);
  }

  private static final class Open {
    final long sliceStart;
    /** The file name without {@code .csv}; free as .csv, .csv.tmp and .partial.csv when chosen. */
    final String base;
    final Path tmp;
    final Writer out;
    /** The symbol was recorded before this slice began: the file can be complete. */
    final boolean fromStart;
    int unflushed;

    Open(long sliceStart, String base, Path tmp, Writer out, boolean fromStart) {
      this.sliceStart = sliceStart;
      this.base = base;
      this.tmp = tmp;
      this.out = out;
      this.fromStart = fromStart;
    }
  }

  private final Path dir;
  private final int levels;
  private final RecordSlice slice;
  private final Listener listener;
  private final String header;
  private final Map<String, Open> open = new HashMap<>();
  private final Map<String, Long> lastRow = new HashMap<>();
  private final Map<String, Long> firstTick = new HashMap<>();
  private final StringBuilder line = new StringBuilder(512);
  private String problem;
  private long retryAt = Long.MIN_VALUE;

  public DepthRecorder(Path dir, int levels, RecordSlice slice, Listener listener) {
    this.dir = dir;
    this.levels = levels;
    this.slice = slice;
    this.listener = listener;
    this.header = header(levels);
    recoverLeftovers();
  }

  static String header(int levels) {
    StringBuilder h = new StringBuilder("time");
    for (String side : List.of("bid", "ask")) {
      for (int i = 1; i <= levels; i++) {
        h.append(',').append(side).append(i).append("_price,").append(side).append(i).append("_qty");
      }
    }
    return h.append(",updateId,eventTime\n").toString();
  }

  /** The write problem now (what failed, where), empty while writing works. */
  public Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  /**
   * One 100 ms tick: completes the slices that ended by its time, then writes its rows and flushes. A slice is
   * complete when the recorder had the symbol from the slice's start on (its first slice is partial, as is one
   * it stopped in); ticks missing inside it are gaps, logged and counted.
   */
  public void tick(DepthTick tick) {
    long now = tick.time();
    for (Map.Entry<String, Open> e : List.copyOf(open.entrySet())) {
      if (e.getValue().sliceStart + slice.millis() <= now) {
        finish(e.getKey(), true);
      }
    }
    for (DepthRow row : tick.rows()) {
      noteGap(row);
      write(row);
    }
    for (String symbol : List.copyOf(open.keySet())) {
      Open f = open.get(symbol);
      try {
        f.out.flush();
        if (f.unflushed > 0) {
          listener.written(symbol, f.unflushed);
        }
        f.unflushed = 0;
      } catch (IOException e) {
        failed(symbol, f, e, now);
      }
    }
  }

  private void noteGap(DepthRow row) {
    firstTick.putIfAbsent(row.symbol(), row.time());
    Long last = lastRow.put(row.symbol(), row.time());
    if (last != null && row.time() - last > TickSampler.TICK_MS) {
      long missing = (row.time() - last) / TickSampler.TICK_MS - 1;
      log.warn("depth record {}: {} ticks missing from {} (book resyncing)", row.symbol(), missing,
          Instant.ofEpochMilli(last + TickSampler.TICK_MS));
      listener.gap(row.symbol(), last + TickSampler.TICK_MS, missing);
    }
  }

  private void write(DepthRow row) {
    long start = slice.startOf(row.time());
    Open f = open.get(row.symbol());
    if (f != null && f.sliceStart != start) {
      finish(row.symbol(), true); // a row of the next slice before its tick closed this one
      f = null;
    }
    if (f == null) {
      if (row.time() < retryAt) {
        listener.dropped(row.symbol(), 1);
        return;
      }
      f = create(row.symbol(), start, row.time());
      if (f == null) {
        listener.dropped(row.symbol(), 1);
        return;
      }
    }
    try {
      f.out.write(render(row));
      f.unflushed++;
    } catch (IOException e) {
      listener.dropped(row.symbol(), 1);
      failed(row.symbol(), f, e, row.time());
    }
  }

  private String render(DepthRow row) {
    StringBuilder b = line;
    b.setLength(0);
    b.append(row.time());
    cells(b, row.bids());
    cells(b, row.asks());
    return b.append(',').append(row.updateId()).append(',').append(row.eventTime()).append('\n').toString();
  }

  private void cells(StringBuilder b, List<Level> side) {
    for (int i = 0; i < levels; i++) {
      if (i < side.size()) {
        b.append(',').append(Decimals.plain(side.get(i).price())).append(',')
            .append(Decimals.plain(side.get(i).quantity()));
      } else {
        b.append(",,");
      }
    }
  }

  private Open create(String symbol, long sliceStart, long now) {
    String base = SliceFiles.freeBase(dir, symbol + "_" + levels + "_" + SliceFiles.stamp(sliceStart));
    Path tmp = SliceFiles.tmp(dir, base);
    try {
      Files.createDirectories(dir);
      Writer out = new BufferedWriter(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 64 * 1024);
      out.write(header);
      Open f = new Open(sliceStart, base, tmp, out, firstTick.getOrDefault(symbol, now) <= sliceStart);
      open.put(symbol, f);
      if (problem != null) {
        log.info("depth record: writing again to {} after: {}", dir, problem);
        problem = null;
      }
      return f;
    } catch (IOException | RuntimeException e) {
      fail("cannot write " + tmp + ": " + reason(e), now);
      return null;
    }
  }

  private void failed(String symbol, Open f, IOException e, long now) {
    listener.dropped(symbol, f.unflushed);
    f.unflushed = 0;
    fail("cannot write " + f.tmp + ": " + reason(e), now);
    finish(symbol, false);
  }

  private void fail(String what, long now) {
    if (!what.equals(problem)) {
      log.error("depth record: {}; rows are dropped until it works again", what);
    }
    problem = what;
    retryAt = now + RETRY_MS;
  }

  private static String reason(Exception e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName().replace("Exception", "") + (m == null ? "" : " " + m);
  }

  /** Closes a symbol's open file: renamed to its final name when {@code complete}, else to its partial name. */
  private void finish(String symbol, boolean complete) {
    Open f = open.remove(symbol);
    if (f == null) {
      return;
    }
    try {
      f.out.close();
    } catch (IOException e) {
      listener.dropped(symbol, f.unflushed);
      complete = false;
    }
    complete &= f.fromStart;
    rename(f.tmp, dir.resolve(f.base + (complete ? ".csv" : PARTIAL)), complete);
  }

  private void rename(Path from, Path to, boolean complete) {
    try {
      SliceFiles.move(from, to);
      listener.file(to, complete);
    } catch (IOException e) {
      log.error("depth record: cannot rename {} to {}: {}", from, to, reason(e));
    }
  }

  /** {@code .tmp} files a crash left: what they hold is kept, as partial. */
  private void recoverLeftovers() {
    try {
      SliceFiles.keepLeftovers(dir, new SliceFiles.Leftovers() {
        @Override
        public void kept(Path tmp, Path partial) {
          log.warn("depth record: {} was left by a stop without closing; kept as {}", tmp, partial.getFileName());
          listener.file(partial, false);
        }

        @Override
        public void failed(Path tmp, IOException e) {
          log.error("depth record: cannot rename {}: {}", tmp, reason(e));
        }
      });
    } catch (IOException e) {
      log.warn("depth record: cannot look for leftovers in {}: {}", dir, reason(e));
    }
  }

  /** A stop: every open slice is closed as partial. */
  @Override
  public void close() {
    for (String symbol : List.copyOf(open.keySet())) {
      Open f = open.get(symbol);
      try {
        f.out.flush();
        if (f.unflushed > 0) {
          listener.written(symbol, f.unflushed);
        }
        f.unflushed = 0;
      } catch (IOException e) {
        listener.dropped(symbol, f.unflushed);
        f.unflushed = 0;
      }
      finish(symbol, false);
    }
  }
}
