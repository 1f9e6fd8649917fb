package io.candlebus.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One measured run of the load commands: when each frame was sent (by its sequence number, read back from the
 * trade's aggregate id), what arrived at the clients, and a latency histogram in 10 µs buckets up to 10 s. Frames
 * sent during the warm-up are fed but not counted. Updated from every client's event loop.
 */
final class LoadMeasure {
  private final long firstSeq;
  private final int symbols;
  private final AtomicLongArray sentAt;
  /** 10 µs buckets up to {@link #CEILING_MS}; the last one holds everything later. */
  private final AtomicLongArray buckets = new AtomicLongArray(1_000_000);
  static final double CEILING_MS = 10_000;
  private final AtomicLong received = new AtomicLong();
  private volatile long firstMeasured = Long.MAX_VALUE;
  private volatile long measureStart;
  private volatile long measureEnd;
  private volatile long lastSeq = -1;

  /** For frames {@code firstSeq, firstSeq + 1, ...}, at most {@code capacity} of them. */
  LoadMeasure(long firstSeq, int capacity, int symbols) {
    this.firstSeq = firstSeq;
    this.symbols = symbols;
    this.sentAt = new AtomicLongArray(capacity);
  }

  int capacity() {
    return sentAt.length();
  }

  boolean measuring() {
    return firstMeasured != Long.MAX_VALUE;
  }

  boolean isMeasured(long seq) {
    return seq >= firstMeasured;
  }

  void startMeasuring(long seq, long nanos) {
    measureStart = nanos;
    firstMeasured = seq;
  }

  void sent(long seq, long nanos) {
    sentAt.set((int) (seq - firstSeq), nanos);
    lastSeq = seq;
  }

  void stopMeasuring(long nanos) {
    measureEnd = nanos;
  }

  /** Messages the clients should get from the measured frames. */
  long expected(int clients) {
    return (lastSeq + 1 - Math.min(firstMeasured, lastSeq + 1)) * clients;
  }

  long received() {
    return received.get();
  }

  double seconds() {
    return (measureEnd - measureStart) / 1e9;
  }

  /**
   * Counts the trades of one WebSocket frame: every {@code key} followed by digits is an aggregate id (found
   * without parsing the frame). Returns how many of them were measured.
   */
  int onFrame(String frame, String key) {
    long now = System.nanoTime();
    int counted = 0;
    int at = 0;
    while ((at = frame.indexOf(key, at)) >= 0) {
      at += key.length();
      long id = 0;
      char c;
      while (at < frame.length() && (c = frame.charAt(at)) >= '0' && c <= '9') {
        id = id * 10 + (c - '0');
        at++;
      }
      long seq = LoadFeed.seqOf(id, symbols);
      if (seq >= firstMeasured && seq - firstSeq < sentAt.length()) {
        counted++;
        received.incrementAndGet();
        long tens = (now - sentAt.get((int) (seq - firstSeq))) / 10_000;
        buckets.incrementAndGet((int) Math.max(0, Math.min(buckets.length() - 1, tens)));
      }
    }
    return counted;
  }

  /** The latency below which a share {@code p} of the measured messages arrived, in ms. */
  double percentile(double p) {
    long total = received.get();
    long rank = (long) Math.ceil(p * total);
    long seen = 0;
    for (int i = 0; i < buckets.length(); i++) {
      seen += buckets.get(i);
      if (seen >= rank && seen > 0) {
        return (i + 1) / 100.0;
      }
    }
    return 0;
  }
}
