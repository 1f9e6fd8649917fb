package io.candlebus.web;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A browser's waiting messages of the addresses where only the newest counts — candles, live indicator values,
 * books, the status — one per address, oldest address first. A message closing a window (a candle's, an
 * indicator value's) is kept when the next window's updates arrive, until sent: at most one older close per
 * address. So it holds at most twice as many messages as the browser has addresses.
 */
final class LatestByAddress {
  private record Pending(Outbound message, long time, boolean closed) {}

  private final LinkedHashMap<String, Pending> latest = new LinkedHashMap<>();
  private final Map<String, Outbound> closedBefore = new HashMap<>();

  /**
   * Queues {@code message} of the window starting at {@code time} (0 for addresses without windows); false when
   * it replaced a waiting message (conflated).
   */
  boolean offer(String address, Outbound message, long time, boolean closed) {
    Pending previous = latest.put(address, new Pending(message, time, closed));
    if (previous == null) {
      return true;
    }
    if (previous.closed() && previous.time() < time) {
      closedBefore.put(address, previous.message());
      return true;
    }
    return false;
  }

  /** The next message to send, or null. */
  Outbound poll() {
    Iterator<Map.Entry<String, Pending>> it = latest.entrySet().iterator();
    if (!it.hasNext()) {
      return null;
    }
    Map.Entry<String, Pending> e = it.next();
    Outbound older = closedBefore.remove(e.getKey());
    if (older != null) {
      return older;
    }
    it.remove();
    return e.getValue().message();
  }

  int size() {
    return latest.size() + closedBefore.size();
  }

  boolean isEmpty() {
    return latest.isEmpty();
  }
}
