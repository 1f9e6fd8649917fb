package io.candlebus.web;

import java.util.HashMap;
import java.util.Map;

/**
 * How many live indicator addresses a user, and the node, have registered: at most {@code perUser} distinct ones
 * per user over all their sockets (the same address on two sockets counts once) and {@code perNode} distinct ones
 * on the node (0: no cap), since each distinct address is a feed the node computes. Shared by the node's bridges,
 * each on its own event loop: thread-safe, and cheap (a lock held for a few map operations).
 */
final class IndicatorQuota {
  private final int perUser;
  private final int perNode;
  /** Per user, per address: that user's registrations of it (one per socket). */
  private final Map<String, Map<String, Integer>> byUser = new HashMap<>();
  /** Per address: the users holding it. */
  private final Map<String, Integer> byAddress = new HashMap<>();

  IndicatorQuota(int perUser, int perNode) {
    this.perUser = perUser;
    this.perNode = perNode;
  }

  /** Null when {@code user} may register {@code address} once more (held until {@link #release}), else the bound. */
  synchronized Refusal acquire(String user, String address) {
    Map<String, Integer> mine = byUser.get(user);
    Integer held = mine == null ? null : mine.get(address);
    if (held == null) {
      if (perUser > 0 && mine != null && mine.size() >= perUser) {
        return Refusal.INDICATOR_FEEDS_PER_USER;
      }
      if (perNode > 0 && !byAddress.containsKey(address) && byAddress.size() >= perNode) {
        return Refusal.INDICATOR_FEEDS;
      }
      byAddress.merge(address, 1, Integer::sum);
    }
    byUser.computeIfAbsent(user, u -> new HashMap<>()).put(address, held == null ? 1 : held + 1);
    return null;
  }

  /** One registration of {@link #acquire} ended (an unregister, a closed socket). */
  synchronized void release(String user, String address) {
    Map<String, Integer> mine = byUser.get(user);
    Integer held = mine == null ? null : mine.get(address);
    if (held == null) {
      return;
    }
    if (held > 1) {
      mine.put(address, held - 1);
      return;
    }
    mine.remove(address);
    if (mine.isEmpty()) {
      byUser.remove(user);
    }
    byAddress.computeIfPresent(address, (a, users) -> users > 1 ? users - 1 : null);
  }

  /** What the refused browser is told: the bound's label and what it allows. */
  String reason(Refusal refusal) {
    return refusal == Refusal.INDICATOR_FEEDS_PER_USER
        ? refusal.label() + ": at most " + perUser + " live indicators per user"
        : refusal.label() + ": at most " + perNode + " live indicators on this node";
  }

  synchronized int addresses() {
    return byAddress.size();
  }

  synchronized int addresses(String user) {
    Map<String, Integer> mine = byUser.get(user);
    return mine == null ? 0 : mine.size();
  }
}
