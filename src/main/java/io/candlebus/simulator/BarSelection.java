package io.candlebus.simulator;

import io.candlebus.domain.Interval;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Binance's window rules for list endpoints: no start/end = the most recent {@code limit}; startTime = the oldest
 * from it; endTime only = the most recent up to it; both = from start, never past end. A bar is in the window when
 * startTime <= openTime <= endTime.
 */
final class BarSelection {
  private BarSelection() {}

  /** Open times out of the contiguous bars firstOpen..lastOpen (both inclusive, aligned to the interval). */
  static List<Long> contiguous(Interval iv, long firstOpen, long lastOpen, Long start, Long end, int limit) {
    long lo = firstOpen;
    long hi = lastOpen;
    if (start != null) {
      lo = Math.max(lo, ceilOpen(iv, start));
    }
    if (end != null) {
      hi = Math.min(hi, iv.openTime(end));
    }
    List<Long> out = new ArrayList<>();
    if (lo > hi) {
      return out;
    }
    if (start != null) {
      for (long t = lo; t <= hi && out.size() < limit; t = iv.nextOpenTime(t)) {
        out.add(t);
      }
    } else {
      for (long t = hi; t >= lo && out.size() < limit; t = iv.openTime(t - 1)) {
        out.add(t);
      }
      Collections.reverse(out);
    }
    return out;
  }

  /** Index range [from, to) out of sorted open times, by the same rules. */
  static int[] sorted(long[] opens, Long start, Long end, int limit) {
    int lo = start == null ? 0 : lowerBound(opens, start);
    int hi = end == null ? opens.length : lowerBound(opens, end == Long.MAX_VALUE ? end : end + 1);
    if (lo >= hi) {
      return new int[] {0, 0};
    }
    return start != null ? new int[] {lo, Math.min(hi, lo + limit)} : new int[] {Math.max(lo, hi - limit), hi};
  }

  /** The first open time >= t. */
  static long ceilOpen(Interval iv, long t) {
    long open = iv.openTime(t);
    return open == t ? t : iv.nextOpenTime(open);
  }

  private static int lowerBound(long[] a, long t) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
