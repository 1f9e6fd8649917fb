package io.candlebus.persistence;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/** The persistence meters; Prometheus names are those of the Micrometer names with dots as underscores. */
final class PersistenceMetrics {
  /** candlebus_candles_stored_total: candles written by successful upserts (both bus addresses). */
  final Counter stored;
  /** candlebus_store_failures_total: failed upsert attempts (each retry counts). */
  final Counter failures;
  /** candlebus_candles_rejected_total: candles refused as invalid, never stored. */
  final Counter rejected;
  /** candlebus_candles_dropped_total: candles lost: the disk journal failed, or a candle came after the stop. */
  final Counter dropped;
  /** candlebus_candles_journaled_total: candles put in the disk journal (memory queue full, or at a stop). */
  final Counter journaled;

  private final MeterRegistry registry;
  private final Gauge pending;
  private final Gauge journal;

  PersistenceMetrics(MeterRegistry registry, Supplier<Number> pending) {
    this(registry, pending, () -> 0);
  }

  PersistenceMetrics(MeterRegistry registry, Supplier<Number> pending, Supplier<Number> journalSize) {
    this.registry = registry;
    stored = Counter.builder("candlebus.candles.stored").description("candles stored in PostgreSQL")
        .register(registry);
    failures = Counter.builder("candlebus.store.failures").description("failed candle upserts, retries included")
        .register(registry);
    rejected = Counter.builder("candlebus.candles.rejected").description("invalid candles refused")
        .register(registry);
    dropped = Counter.builder("candlebus.candles.dropped")
        .description("candles lost: the disk journal failed or a candle came after the stop").register(registry);
    journaled = Counter.builder("candlebus.candles.journaled")
        .description("closed candles put in the disk journal").register(registry);
    journal = Gauge.builder("candlebus.journal.candles", journalSize)
        .description("closed candles in the disk journal").strongReference(true).register(registry);
    this.pending = Gauge.builder("candlebus.candles.pending", pending)
        .description("closed candles waiting to be stored, journal included").strongReference(true)
        .register(registry);
  }

  /** The gauges read this verticle's queue: remove them, so a later deployment can register its own. */
  void close() {
    registry.remove(pending);
    registry.remove(journal);
  }
}
