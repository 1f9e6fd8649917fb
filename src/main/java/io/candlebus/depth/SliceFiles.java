package io.candlebus.depth;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The file conventions of the recorders (the depth recorder, {@code capture}): a slice's file is written as
 * {@code <base>.csv.tmp} and renamed when done, to {@code <base>.csv} or {@code <base>.partial.csv}; a base is the
 * slice start in ISO-8601 basic form (sortable), with {@code -2}, {@code -3}... when taken, so no file is ever
 * overwritten; a {@code .tmp} a crash left is kept as partial.
 */
public final class SliceFiles {
  public static final String CSV = ".csv";
  public static final String TMP = ".tmp";
  public static final String PARTIAL = ".partial.csv";
  private static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private SliceFiles() {}

  /** {@code 20261206T091600Z} for a slice starting at 2026-12-06 09:16:00 UTC. */
  public static String stamp(long sliceStart) {
    return BASIC.format(Instant.ofEpochMilli(sliceStart));
  }

  /** {@code stem}, or {@code stem-2}, {@code stem-3}...: the first base free as .csv, .csv.tmp and .partial.csv. */
  public static String freeBase(Path dir, String stem) {
    String base = stem;
    for (int n = 2; taken(dir, base); n++) {
      base = stem + "-" + n;
    }
    return base;
  }

  private static boolean taken(Path dir, String base) {
    return Files.exists(dir.resolve(base + CSV)) || Files.exists(dir.resolve(base + CSV + TMP))
        || Files.exists(dir.resolve(base + PARTIAL));
  }

  public static Path tmp(Path dir, String base) {
    return dir.resolve(base + CSV + TMP);
  }

  /** An atomic rename where the file system has one, so a reader sees the old name or the new, never neither. */
  public static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  /** Told what became of each leftover {@code .tmp}. */
  public interface Leftovers {
    void kept(Path tmp, Path partial);

    void failed(Path tmp, IOException e);
  }

  /**
   * Renames every {@code *.csv.tmp} directly in {@code dir} (a stop without closing left it; what it holds is
   * kept) to a free {@code <stem>.partial.csv}; nothing when {@code dir} does not exist. Only listing {@code dir}
   * throws; a rename that fails is told and the others go on.
   */
  public static void keepLeftovers(Path dir, Leftovers told) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> tmps = Files.newDirectoryStream(dir, "*" + CSV + TMP)) {
      for (Path tmp : tmps) {
        String name = tmp.getFileName().toString();
        String stem = name.substring(0, name.length() - (CSV + TMP).length());
        Path target = dir.resolve(stem + PARTIAL);
        for (int n = 2; Files.exists(target); n++) {
          target = dir.resolve(stem + "-" + n + PARTIAL);
        }
        try {
          move(tmp, target);
          told.kept(tmp, target);
        } catch (IOException e) {
          told.failed(tmp, e);
        }
      }
    }
  }
}
