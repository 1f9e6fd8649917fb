package io.candlebus.web;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open HTTP connections of a node, in total and per remote address. Thread-safe: each instance of
 * {@link HttpVerticle} admits and closes its connections on its own event loop, the caps are for the node.
 */
final class ConnectionCounts {
  static final String GAUGE = "candlebus_http_connections";
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentMap<String, Integer> byAddress = new ConcurrentHashMap<>();

  /**
   * Counts a new connection from {@code address}, unless that would pass {@code perAddress} or {@code max} (0 =
   * no cap): then nothing is counted and the bound it would pass is returned; null when admitted.
   */
  Refusal admit(String address, int perAddress, int max) {
    boolean[] full = {false};
    byAddress.compute(address, (a, n) -> {
      int open = n == null ? 0 : n;
      if (perAddress > 0 && open >= perAddress) {
        full[0] = true;
        return n;
      }
      return open + 1;
    });
    if (full[0]) {
      return Refusal.HTTP_CONNECTIONS_PER_ADDRESS;
    }
    if (max <= 0) {
      total.incrementAndGet();
    } else if (total.getAndUpdate(t -> t < max ? t + 1 : t) >= max) {
      forget(address);
      return Refusal.HTTP_CONNECTIONS;
    }
    return null;
  }

  /** An admitted connection from {@code address} has closed. */
  void closed(String address) {
    forget(address);
    total.decrementAndGet();
  }

  private void forget(String address) {
    // an address with nothing open leaves no entry: a scan from many addresses leaves nothing behind
    byAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
  }

  int total() {
    return total.get();
  }

  int from(String address) {
    return byAddress.getOrDefault(address, 0);
  }
}
