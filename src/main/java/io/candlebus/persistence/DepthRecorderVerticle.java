package io.candlebus.persistence;

import io.candlebus.Addresses;
import io.candlebus.LocalCodec;
import io.candlebus.config.DepthSettings;
import io.candlebus.depth.DepthRecorder;
import io.candlebus.depth.DepthTick;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The depth recorder: the books' 100 ms rows ({@code depth.record}) into CSV slices under {@code depth.record.dir}
 * by a {@link DepthRecorder}. Deployed as a worker, so file I/O never runs on an event loop; a stop closes the open
 * slices as partial. Answers {@code depth.recorder.status} for {@code /ready}.
 */
public final class DepthRecorderVerticle extends VerticleBase {
  private final DepthSettings depth;
  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private DepthRecorder recorder;

  public DepthRecorderVerticle(DepthSettings depth, MeterRegistry registry) {
    this.depth = depth;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx, DepthTick.class);
    Path dir = depth.recordDir().orElseThrow();
    recorder = new DepthRecorder(dir, depth.levels(), depth.slice(), new Meters());
    vertx.eventBus().<DepthTick>localConsumer(Addresses.DEPTH_RECORD, m -> recorder.tick(m.body()));
    vertx.eventBus().consumer(Addresses.DEPTH_RECORDER_STATUS, this::handleStatus);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    recorder.close();
    return Future.succeededFuture();
  }

  private void handleStatus(Message<Object> msg) {
    msg.reply(new JsonObject().put("dir", depth.recordDir().orElseThrow().toString())
        .put("problem", recorder.problem().orElse(null))
        .put("rowsWritten", written.get()).put("rowsDropped", dropped.get()));
  }

  private Counter counter(String name, String help, String... tags) {
    return counters.computeIfAbsent(name + String.join(",", tags), k -> Counter.builder(name).description(help)
        .tags(tags).register(registry));
  }

  private final class Meters implements DepthRecorder.Listener {
    @Override
    public void written(String symbol, int rows) {
      written.addAndGet(rows);
      counter("candlebus_depth_record_rows_total", "Depth rows recorded or dropped", "symbol", symbol,
          "outcome", "written").increment(rows);
    }

    @Override
    public void dropped(String symbol, int rows) {
      if (rows > 0) {
        dropped.addAndGet(rows);
        counter("candlebus_depth_record_rows_total", "Depth rows recorded or dropped", "symbol", symbol,
            "outcome", "dropped").increment(rows);
      }
    }

    @Override
    public void gap(String symbol, long from, long missingTicks) {
      counter("candlebus_depth_record_gaps_total", "Gaps in a recording (the book was rebuilt)", "symbol", symbol)
          .increment();
      counter("candlebus_depth_record_missing_ticks_total", "100 ms ticks without a row (the book was rebuilt)",
          "symbol", symbol).increment(missingTicks);
    }

    @Override
    public void file(Path file, boolean complete) {
      counter("candlebus_depth_record_files_total", "Recorder files closed", "kind",
          complete ? "complete" : "partial").increment();
    }
  }
}
