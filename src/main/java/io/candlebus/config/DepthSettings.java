package io.candlebus.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The order-book part of the configuration: which symbols get a local book ({@code depth.symbols}), how many levels
 * are published and recorded ({@code depth.levels}), the snapshot size fetched ({@code depth.snapshot.limit}) and
 * the recorder ({@code depth.record.dir}, empty = off; {@code depth.record.slice}).
 */
public record DepthSettings(List<String> symbols, int levels, int snapshotLimit, Optional<Path> recordDir,
    RecordSlice slice) {
  public static final List<Integer> LEVELS = List.of(5, 10, 20);
  public static final int MAX_SNAPSHOT_LIMIT = 5_000;

  public DepthSettings {
    symbols = List.copyOf(symbols);
  }

  public static DepthSettings none() {
    return new DepthSettings(List.of(), 5, 1_000, Optional.empty(), RecordSlice.MINUTE);
  }

  public boolean enabled() {
    return !symbols.isEmpty();
  }

  public DepthSettings withSymbols(List<String> newSymbols) {
    return new DepthSettings(newSymbols, levels, snapshotLimit, recordDir, slice);
  }

  public DepthSettings withRecordDir(Path dir) {
    return new DepthSettings(symbols, levels, snapshotLimit, Optional.ofNullable(dir), slice);
  }
}
