package io.candlebus.persistence;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import java.io.Closeable;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only disk journal of closed candles waiting for PostgreSQL, in segment files
 * {@code <dir>/<id>.seg} replayed in id order. A record is {@code int length, int crc32, payload} where the
 * payload is one candle as comma-separated text with exact decimals; a record that is short or fails its
 * checksum (a torn write when the process died) ends its segment: it is counted, logged and cut off, never
 * mis-read.
 *
 * <p>Blocking and synchronized: call it from worker threads ({@link AsyncJournal}); {@link #size()} is lock-free.
 */
final class CandleJournal implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(CandleJournal.class);
  static final String SUFFIX = ".seg";
  /** Candles per segment: a segment is read whole for replay, so this bounds that memory. */
  static final int DEFAULT_SEGMENT_CANDLES = 10_000;
  private static final int MAX_RECORD = 4096;
  private static final long FIRST_ID = 1_000_000_000L;

  /** One sealed segment's candles, in journal order. */
  record Segment(long id, List<Candle> candles) {}

  private final Path dir;
  private final int segmentCandles;
  /** Segment id → candles in it. */
  private final TreeMap<Long, Integer> segments = new TreeMap<>();
  private final AtomicLong size = new AtomicLong();
  private long torn;
  private FileChannel active;
  private long activeId = -1;

  private CandleJournal(Path dir, int segmentCandles) {
    this.dir = dir;
    this.segmentCandles = segmentCandles;
  }

  static CandleJournal open(Path dir) throws IOException {
    return open(dir, DEFAULT_SEGMENT_CANDLES);
  }

  /** Opens (creating) the journal in {@code dir}, checking every segment and cutting off torn records. */
  static CandleJournal open(Path dir, int segmentCandles) throws IOException {
    Files.createDirectories(dir);
    CandleJournal j = new CandleJournal(dir, segmentCandles);
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).toList();
    }
    for (Path p : files) {
      long id = idOf(p);
      if (id < 0) {
        LOG.warn("journal: ignoring {}, not a segment name", p);
        continue;
      }
      int n = j.check(p);
      if (n == 0) {
        Files.delete(p);
      } else {
        j.segments.put(id, n);
        j.size.addAndGet(n);
      }
    }
    if (j.size.get() > 0) {
      LOG.info("journal {}: {} candles in {} segments wait for PostgreSQL", dir, j.size.get(), j.segments.size());
    }
    return j;
  }

  /** Candles in the journal, written or being read for replay; readable from any thread. */
  long size() {
    return size.get();
  }

  synchronized int segmentCount() {
    return segments.size();
  }

  /** Torn or corrupt records cut off since this journal was opened. */
  synchronized long tornRecords() {
    return torn;
  }

  /** Appends behind everything in the journal and forces it to disk. */
  synchronized void append(List<Candle> candles) throws IOException {
    int i = 0;
    while (i < candles.size()) {
      if (active == null || segments.get(activeId) >= segmentCandles) {
        roll();
      }
      int room = segmentCandles - segments.get(activeId);
      List<Candle> part = candles.subList(i, Math.min(candles.size(), i + room));
      writeAll(active, part);
      segments.merge(activeId, part.size(), Integer::sum);
      size.addAndGet(part.size());
      i += part.size();
    }
  }

  /** Writes {@code candles} as a new segment ahead of everything in the journal (what memory held at a stop). */
  synchronized void prepend(List<Candle> candles) throws IOException {
    if (candles.isEmpty()) {
      return;
    }
    long id = segments.isEmpty() ? FIRST_ID : segments.firstKey() - 1;
    Path tmp = dir.resolve(id + SUFFIX + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      writeAll(ch, candles);
    }
    // renamed complete, so a crash never leaves half a segment in front of the others
    Files.move(tmp, file(id), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    segments.put(id, candles.size());
    size.addAndGet(candles.size());
  }

  /**
   * The oldest segment, read whole; if it is the one being appended to, it is sealed first and new appends start
   * a new segment. Empty when the journal is.
   */
  synchronized Optional<Segment> oldest() throws IOException {
    if (segments.isEmpty()) {
      return Optional.empty();
    }
    long id = segments.firstKey();
    if (id == activeId) {
      closeActive();
    }
    List<Candle> candles = new ArrayList<>(segments.get(id));
    read(file(id), candles);
    return Optional.of(new Segment(id, candles));
  }

  /** Deletes a segment whose candles are all committed to PostgreSQL. */
  synchronized void commit(Segment segment) throws IOException {
    Integer n = segments.get(segment.id());
    if (n == null) {
      return;
    }
    if (segment.id() == activeId) {
      closeActive();
    }
    Files.deleteIfExists(file(segment.id()));
    segments.remove(segment.id());
    size.addAndGet(-n);
  }

  @Override
  public synchronized void close() throws IOException {
    closeActive();
  }

  private void roll() throws IOException {
    closeActive();
    long id = segments.isEmpty() ? FIRST_ID : segments.lastKey() + 1;
    active = FileChannel.open(file(id), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    activeId = id;
    segments.put(id, 0);
  }

  private void closeActive() throws IOException {
    if (active != null) {
      active.close();
      active = null;
      activeId = -1;
    }
  }

  private static void writeAll(FileChannel ch, List<Candle> candles) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(candles.size() * 256);
    for (Candle c : candles) {
      byte[] payload = encode(c).getBytes(StandardCharsets.UTF_8);
      if (payload.length > MAX_RECORD) {
        throw new IOException("journal record of " + payload.length + " bytes: " + CandleCheck.brief(c));
      }
      if (buf.remaining() < payload.length + 8) {
        ByteBuffer bigger = ByteBuffer.allocate(buf.capacity() * 2 + payload.length + 8);
        buf.flip();
        buf = bigger.put(buf);
      }
      CRC32 crc = new CRC32();
      crc.update(payload);
      buf.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
    }
    buf.flip();
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
    ch.force(false);
  }

  /** Counts the good records of a segment and cuts off whatever follows the first bad one. */
  private int check(Path p) throws IOException {
    List<Candle> out = new ArrayList<>();
    long good = read(p, out);
    long length = Files.size(p);
    if (good < length) {
      torn++;
      LOG.warn("journal: segment {} has a torn or corrupt record at byte {} of {}: cut off after {} good candles",
          p.getFileName(), good, length, out.size());
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
        ch.truncate(good);
        ch.force(true);
      }
    }
    return out.size();
  }

  /** Reads the good records into {@code out}; the result is the byte offset after the last good one. */
  private static long read(Path p, List<Candle> out) throws IOException {
    byte[] bytes = Files.readAllBytes(p);
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    long good = 0;
    while (buf.remaining() >= 8) {
      int length = buf.getInt();
      int crc = buf.getInt();
      if (length <= 0 || length > MAX_RECORD || buf.remaining() < length) {
        break;
      }
      byte[] payload = new byte[length];
      buf.get(payload);
      CRC32 check = new CRC32();
      check.update(payload);
      if ((int) check.getValue() != crc) {
        break;
      }
      try {
        out.add(decode(new String(payload, StandardCharsets.UTF_8)));
      } catch (RuntimeException e) {
        break; // a checksum collision on garbage: still not a candle
      }
      good = buf.position();
    }
    return good;
  }

  static String encode(Candle c) {
    return String.join(",", c.symbol(), c.interval().code(), Long.toString(c.openTime()),
        Long.toString(c.closeTime()), c.open().toString(), c.high().toString(), c.low().toString(),
        c.close().toString(), c.volume().toString(), c.quoteVolume().toString(), c.takerBuyVolume().toString(),
        c.takerBuyQuoteVolume().toString(), Long.toString(c.trades()), Long.toString(c.firstTradeId()),
        Long.toString(c.lastTradeId()), c.closed() ? "1" : "0");
  }

  static Candle decode(String line) {
    String[] f = line.split(",", -1);
    if (f.length != 16) {
      throw new IllegalArgumentException("journal record with " + f.length + " fields");
    }
    Interval interval = Interval.fromCode(f[1])
        .orElseThrow(() -> new IllegalArgumentException("journal record with interval " + f[1]));
    return new Candle(f[0], interval, Long.parseLong(f[2]), Long.parseLong(f[3]), new BigDecimal(f[4]),
        new BigDecimal(f[5]), new BigDecimal(f[6]), new BigDecimal(f[7]), new BigDecimal(f[8]), new BigDecimal(f[9]),
        new BigDecimal(f[10]), new BigDecimal(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
        Long.parseLong(f[14]), "1".equals(f[15]));
  }

  private Path file(long id) {
    return dir.resolve(id + SUFFIX);
  }

  private static long idOf(Path p) {
    String name = p.getFileName().toString();
    try {
      return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** For tests and logs: segment id → candles. */
  synchronized Map<Long, Integer> segmentSizes() {
    return Map.copyOf(segments);
  }
}
