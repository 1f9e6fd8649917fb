package io.candlebus.capture;

import io.candlebus.config.RecordSlice;
import io.candlebus.depth.SliceFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes captured rows to {@code <out>/<SYMBOL>/<stream>/<slice start>.csv}, with the recorders' conventions
 * ({@link SliceFiles}): a file is {@code .csv.tmp} while its slice is open and renamed {@code .csv} once the slice
 * has ended or at an orderly stop ({@code .partial.csv} after a write error); every batch is flushed to the OS, so a
 * crash loses only what had not been handed over yet. Single-threaded (the capture's worker), blocking I/O.
 */
final class CaptureWriter implements AutoCloseable {
  /** One received message: its local receive time (epoch ms) and its cells. */
  record Captured(long receiveTime, CsvRow.Target target, String cells) {}

  private static final class Open {
    final long sliceStart;
    final Path dir;
    final String base;
    final Writer out;

    Open(long sliceStart, Path dir, String base, Writer out) {
      this.sliceStart = sliceStart;
      this.dir = dir;
      this.base = base;
      this.out = out;
    }
  }

  private final Path root;
  private final long sliceMillis;
  private final PrintStream err;
  private final Map<String, Open> open = new HashMap<>();
  private final StringBuilder line = new StringBuilder(256);
  private long written;
  private long dropped;
  private int files;
  private String problem;

  CaptureWriter(Path root, long sliceMillis, PrintStream err) {
    this.root = root;
    this.sliceMillis = sliceMillis;
    this.err = err;
    keepLeftovers();
  }

  /** Appends {@code rows} (in receive order), flushes, and completes the slices that ended by {@code now}. */
  void write(List<Captured> rows, long now) {
    for (Captured r : rows) {
      append(r);
    }
    for (String key : List.copyOf(open.keySet())) {
      Open f = open.get(key);
      try {
        f.out.flush();
      } catch (IOException e) {
        failed(key, e);
        continue;
      }
      if (f.sliceStart + sliceMillis <= now) {
        finish(key, SliceFiles.CSV);
      }
    }
  }

  private void append(Captured r) {
    String key = r.target().symbol() + "/" + r.target().stream().name();
    long start = RecordSlice.startOf(r.receiveTime(), sliceMillis);
    Open f = open.get(key);
    if (f != null && f.sliceStart != start) {
      finish(key, SliceFiles.CSV); // the first row of the next slice (or of an earlier one, after a clock step)
      f = null;
    }
    if (f == null && (f = create(key, r.target(), start)) == null) {
      dropped++;
      return;
    }
    line.setLength(0);
    line.append(r.receiveTime()).append(r.cells()).append('\n');
    try {
      f.out.write(line.toString());
      written++;
    } catch (IOException e) {
      dropped++;
      failed(key, e);
    }
  }

  private Open create(String key, CsvRow.Target target, long sliceStart) {
    Path dir = root.resolve(target.symbol()).resolve(target.stream().name());
    Path tmp = dir;
    try {
      Files.createDirectories(dir);
      String base = SliceFiles.freeBase(dir, SliceFiles.stamp(sliceStart));
      tmp = SliceFiles.tmp(dir, base);
      Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      out.write(target.stream().header() + "\n");
      Open f = new Open(sliceStart, dir, base, out);
      open.put(key, f);
      if (problem != null) {
        err.println("candlebus capture: writing again to " + dir);
        problem = null;
      }
      return f;
    } catch (IOException | RuntimeException e) {
      problem("cannot write " + tmp + ": " + e);
      return null;
    }
  }

  /** A write or flush failed: what the file holds is kept as partial, the next row tries a new file. */
  private void failed(String key, IOException e) {
    Open f = open.get(key);
    problem("cannot write " + SliceFiles.tmp(f.dir, f.base) + ": " + e);
    finish(key, SliceFiles.PARTIAL);
  }

  private void problem(String what) {
    if (!what.equals(problem)) {
      err.println("candlebus capture: " + what + "; rows are dropped until it works again");
    }
    problem = what;
  }

  private void finish(String key, String suffix) {
    Open f = open.remove(key);
    Path tmp = SliceFiles.tmp(f.dir, f.base);
    try {
      f.out.close();
    } catch (IOException e) {
      suffix = SliceFiles.PARTIAL;
    }
    try {
      SliceFiles.move(tmp, f.dir.resolve(f.base + suffix));
      files++;
    } catch (IOException e) {
      err.println("candlebus capture: cannot rename " + tmp + ": " + e);
    }
  }

  /** {@code .tmp} files a crash (kill -9, power loss) left: kept, as {@code .partial.csv}. */
  private void keepLeftovers() {
    SliceFiles.Leftovers told = new SliceFiles.Leftovers() {
      @Override
      public void kept(Path tmp, Path partial) {
        err.println("candlebus capture: " + tmp + " was left by a capture that did not stop; kept as "
            + partial.getFileName());
      }

      @Override
      public void failed(Path tmp, IOException e) {
        err.println("candlebus capture: cannot rename " + tmp + ": " + e);
      }
    };
    try (Stream<Path> symbols = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
      for (Path symbol : symbols.filter(Files::isDirectory).toList()) {
        try (Stream<Path> streams = Files.list(symbol)) {
          for (Path dir : streams.filter(Files::isDirectory).toList()) {
            SliceFiles.keepLeftovers(dir, told);
          }
        }
      }
    } catch (IOException e) {
      err.println("candlebus capture: cannot look for leftovers in " + root + ": " + e);
    }
  }

  /** An orderly stop: every open file is flushed and completed as {@code .csv}. */
  @Override
  public void close() {
    write(List.of(), Long.MIN_VALUE);
    for (String key : List.copyOf(open.keySet())) {
      finish(key, SliceFiles.CSV);
    }
  }

  long written() {
    return written;
  }

  long dropped() {
    return dropped;
  }

  int files() {
    return files;
  }
}
