package io.candlebus.upstream;

import io.candlebus.upstream.StreamEvent.Malformed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts upstream frames by kind ({@code candlebus_upstream_frames_total}) and bad ones by what was wrong
 * ({@code candlebus_upstream_malformed_total}); logs the first bad frames of each kind and then one in
 * {@value #LOG_EVERY}, so a flood of garbage cannot flood the log.
 */
final class FrameCounters {
  private static final Logger log = LoggerFactory.getLogger(UpstreamVerticle.class);
  static final long LOG_EVERY = 1_000;

  private final MeterRegistry registry;
  private final Map<String, Counter> frames = new ConcurrentHashMap<>();
  private final Map<String, Counter> malformed = new ConcurrentHashMap<>();

  FrameCounters(MeterRegistry registry) {
    this.registry = registry;
  }

  void count(String kind) {
    frames.computeIfAbsent(kind, k -> Counter.builder("candlebus_upstream_frames_total")
        .description("Upstream frames used, by kind").tag("kind", k).register(registry)).increment();
  }

  void malformed(UpstreamConnection connection, Malformed m, String text) {
    Counter c = malformed.computeIfAbsent(m.kind(), k -> Counter.builder("candlebus_upstream_malformed_total")
        .description("Upstream frames skipped because they could not be used, by kind").tag("kind", k)
        .register(registry));
    c.increment();
    long n = (long) c.count();
    if (n <= 10 || n % LOG_EVERY == 0) {
      log.warn("upstream {}: skipped malformed frame #{} of kind {}: {}: {}", connection.describe(), n, m.kind(),
          m.detail(), text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }
  }
}
