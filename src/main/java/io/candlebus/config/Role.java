package io.candlebus.config;

/** What a node runs: {@code ingest} = upstream, candles, persistence; {@code edge} = web and bridge. */
public enum Role {
  ALL,
  INGEST,
  EDGE;

  public boolean ingests() {
    return this != EDGE;
  }

  public boolean serves() {
    return this != INGEST;
  }
}
