package io.candlebus.web;

import io.candlebus.domain.Candle;
import io.candlebus.domain.Interval;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The bookkeeping of a node's live indicator feeds, free of Vert.x ({@link IndicatorFeedVerticle} does the reads,
 * the computations and the timers it asks for). Used from one thread.
 *
 * <ul>
 *   <li>One candle series per symbol and interval, shared by all its feeds, keeping as many candles as the most
 *       demanding feed needs ({@code warmup() + 2}, as each feed kept before).
 *   <li>Warm-up reads per series: one at a time, serving every feed waiting on it; again only when a feed needs
 *       more than was read, or after a hole; at most {@code maxReads} under way on the node, the others queued.
 *   <li>One computation lane: feeds with a value due are taken in turn, one computation at a time; each at most
 *       every {@code minGapMs}, except for a closed candle's value, which is always computed.
 * </ul>
 */
final class IndicatorFeeds {
  private static final long MAX_RETRY_MS = 5_000;
  private static final long NEVER = Long.MIN_VALUE;

  private final int maxReads;
  private final long minGapMs;
  private final Map<String, Feed> feeds = new HashMap<>();
  private final Map<String, Series> series = new HashMap<>();
  private final ArrayDeque<Series> readQueue = new ArrayDeque<>();
  private int reading;
  /** Feeds with a value due, in turn. */
  private final ArrayDeque<Feed> lane = new ArrayDeque<>();
  private boolean computing;

  IndicatorFeeds(int maxReads, long minGapMs) {
    this.maxReads = maxReads;
    this.minGapMs = minGapMs;
  }

  private enum ReadState { IDLE, QUEUED, READING, BACKOFF }

  private static final class Series {
    final String symbol;
    final Interval interval;
    final TreeMap<Long, Candle> candles = new TreeMap<>();
    final List<Feed> feeds = new ArrayList<>();
    /** The most its feeds need, and one more: a close is still valued whole once the next candle came. */
    int capacity;
    /** The newest candles a completed read covered (fewer when the store holds fewer). */
    int covered;
    ReadState read = ReadState.IDLE;
    /** Read again once the read under way ends (a hole seen meanwhile). */
    boolean again;
    int failures;
    boolean gone;

    Series(String symbol, Interval interval) {
      this.symbol = symbol;
      this.interval = interval;
    }
  }

  private static final class Feed {
    final IndicatorAddress at;
    final Series series;
    final int needs;
    int watchers = 1;
    boolean ready;
    /** The newest candle changed since the last value. */
    boolean fresh;
    /** Open times of closed candles whose value is owed. */
    final TreeSet<Long> closes = new TreeSet<>();
    long last = NEVER;
    boolean inLane;
    boolean gone;

    Feed(IndicatorAddress at, Series series) {
      this.at = at;
      this.series = series;
      this.needs = Math.max(2, at.spec().warmup() + 2);
    }
  }

  /** A warm-up read to make: the newest {@link #count} stored candles of a series. */
  static final class Read {
    private final Series series;
    private final int count;

    private Read(Series series, int count) {
      this.series = series;
      this.count = count;
    }

    String symbol() {
      return series.symbol;
    }

    Interval interval() {
      return series.interval;
    }

    int count() {
      return count;
    }
  }

  /** A value to compute: the indicator of the last of {@link #candles} (oldest first, its warm-up before it). */
  static final class Job {
    private final Feed feed;
    private final List<Candle> candles;

    private Job(Feed feed, List<Candle> candles) {
      this.feed = feed;
      this.candles = candles;
    }

    IndicatorAddress at() {
      return feed.at;
    }

    List<Candle> candles() {
      return candles;
    }
  }

  int feeds() {
    return feeds.size();
  }

  int series() {
    return series.size();
  }

  /** A browser registered on {@code at}; true when a series was made for it (subscribe to its candles). */
  boolean watch(IndicatorAddress at) {
    Feed known = feeds.get(at.address());
    if (known != null) {
      known.watchers++;
      return false;
    }
    String key = key(at.symbol(), at.interval());
    Series s = series.get(key);
    boolean made = s == null;
    if (made) {
      s = new Series(at.symbol(), at.interval());
      series.put(key, s);
    }
    Feed f = new Feed(at, s);
    feeds.put(at.address(), f);
    s.feeds.add(f);
    s.capacity = Math.max(s.capacity, f.needs + 1);
    if (s.covered >= f.needs) {
      ready(f);
    } else {
      wantRead(s);
    }
    return made;
  }

  /** A browser left {@code at}; true when its series went with its last feed (unsubscribe). */
  boolean unwatch(IndicatorAddress at) {
    Feed f = feeds.get(at.address());
    if (f == null || --f.watchers > 0) {
      return false;
    }
    feeds.remove(at.address());
    f.gone = true;
    Series s = f.series;
    s.feeds.remove(f);
    if (s.feeds.isEmpty()) {
      s.gone = true;
      series.remove(key(s.symbol, s.interval));
      return true;
    }
    s.capacity = s.feeds.stream().mapToInt(x -> x.needs + 1).max().orElse(3);
    s.covered = Math.min(s.covered, s.capacity);
    trim(s);
    return false;
  }

  /** The next read to start now, or null: none waiting, or {@code maxReads} under way. */
  Read nextRead() {
    while (reading < maxReads && !readQueue.isEmpty()) {
      Series s = readQueue.poll();
      if (!s.gone) {
        s.read = ReadState.READING;
        reading++;
        return new Read(s, s.capacity);
      }
    }
    return null;
  }

  /** {@code r} read {@code stored} (oldest first): the feeds it covers may compute. */
  void read(Read r, List<Candle> stored) {
    reading--;
    Series s = r.series;
    if (s.gone) {
      return;
    }
    s.read = ReadState.IDLE;
    s.failures = 0;
    for (Candle c : stored) {
      s.candles.merge(c.openTime(), c, (held, row) -> held.closed() ? held : row); // live is as new, or newer
    }
    trim(s);
    s.covered = Math.max(s.covered, Math.min(r.count, s.capacity));
    boolean more = s.again;
    s.again = false;
    for (Feed f : s.feeds) {
      if (s.covered >= f.needs) {
        ready(f);
      } else {
        more = true;
      }
    }
    if (more) {
      wantRead(s);
    }
  }

  /** {@code r} failed: retry it after the delay answered (0: no longer needed), with {@link #retry}. */
  long readFailed(Read r) {
    reading--;
    Series s = r.series;
    if (s.gone) {
      return 0;
    }
    s.read = ReadState.BACKOFF;
    s.failures++;
    return Math.min(MAX_RETRY_MS, 250L << Math.min(s.failures, 4));
  }

  void retry(Read r) {
    Series s = r.series;
    if (!s.gone && s.read == ReadState.BACKOFF) {
      s.read = ReadState.IDLE;
      wantRead(s);
    }
  }

  /**
   * A live candle: kept in its series, and every ready feed of it owes a value. A closed candle after a hole
   * (closed before the feed opened, not yet stored when read) makes the series read again first.
   */
  void candle(Candle c) {
    Series s = series.get(key(c.symbol(), c.interval()));
    if (s == null) {
      return;
    }
    s.candles.put(c.openTime(), c);
    Long before = s.candles.lowerKey(c.openTime());
    trim(s);
    if (c.closed() && before != null && s.interval.nextOpenTime(before) != c.openTime()) {
      if (s.read == ReadState.READING) {
        s.again = true; // that read may have missed it too
      } else {
        wantRead(s);
      }
      return; // computed once read
    }
    for (Feed f : s.feeds) {
      if (f.ready) {
        if (c.closed()) {
          f.closes.add(c.openTime());
        } else {
          f.fresh = true;
        }
        enqueue(f);
      }
    }
  }

  /**
   * The next value to compute, or null: one is under way, or no feed is due by {@code now}. Takes the first feed
   * in turn that owes a closed value or whose newest changed at least {@code minGapMs} after its last value; a
   * feed still owing one goes to the back.
   */
  Job nextJob(long now) {
    if (computing) {
      return null;
    }
    for (Feed f = takeDue(now); f != null; f = takeDue(now)) {
      NavigableMap<Long, Candle> upTo = f.series.candles;
      if (!f.closes.isEmpty()) {
        long openTime = f.closes.pollFirst();
        if (upTo.containsKey(openTime)) {
          f.fresh &= upTo.lastKey() > openTime; // else this value is the newest's too
          upTo = upTo.headMap(openTime, true);
        } else {
          upTo = Collections.emptyNavigableMap(); // trimmed already: too late for it
        }
      } else {
        f.fresh = false;
      }
      f.last = now;
      if (f.fresh || !f.closes.isEmpty()) {
        enqueue(f);
      }
      if (!upTo.isEmpty()) {
        computing = true;
        return new Job(f, tail(upTo, f.needs));
      }
    }
    return null;
  }

  /** Out of the lane: the first feed in turn due by {@code now}, or null. */
  private Feed takeDue(long now) {
    for (Iterator<Feed> it = lane.iterator(); it.hasNext(); ) {
      Feed f = it.next();
      if (f.gone || !f.closes.isEmpty() || f.last == NEVER || now - f.last >= minGapMs) {
        it.remove();
        f.inLane = false;
        if (!f.gone) {
          return f;
        }
      }
    }
    return null;
  }

  /** When a feed of the lane is next due (for a timer), or -1: none, or a computation under way. */
  long nextJobAt(long now) {
    if (computing) {
      return -1;
    }
    long at = -1;
    for (Feed f : lane) {
      if (f.gone) {
        continue;
      }
      long due = !f.closes.isEmpty() || f.last == NEVER ? now : Math.max(now, f.last + minGapMs);
      at = at < 0 ? due : Math.min(at, due);
    }
    return at;
  }

  /** {@code j} is done; true when its feed is still watched (publish the value). */
  boolean computed(Job j) {
    computing = false;
    return !j.feed.gone;
  }

  private void ready(Feed f) {
    f.ready = true;
    f.fresh = true;
    enqueue(f);
  }

  private void enqueue(Feed f) {
    if (!f.inLane) {
      f.inLane = true;
      lane.add(f);
    }
  }

  /** Queues a read unless one is queued, under way (its end checks what is covered) or waiting to retry. */
  private void wantRead(Series s) {
    if (s.read == ReadState.IDLE) {
      s.read = ReadState.QUEUED;
      readQueue.add(s);
    }
  }

  private static void trim(Series s) {
    while (s.candles.size() > s.capacity) {
      s.candles.pollFirstEntry();
    }
  }

  /** The newest {@code n} of {@code candles}, oldest first. */
  private static List<Candle> tail(NavigableMap<Long, Candle> candles, int n) {
    List<Candle> out = new ArrayList<>(Math.min(n, candles.size()));
    for (Candle c : candles.descendingMap().values()) {
      if (out.size() == n) {
        break;
      }
      out.add(c);
    }
    Collections.reverse(out);
    return out;
  }

  private static String key(String symbol, Interval interval) {
    return symbol + " " + interval.code();
  }
}
