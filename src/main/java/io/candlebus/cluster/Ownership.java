package io.candlebus.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which node owns which symbol: every node computes the same answer from the same member list, without talking.
 * Each symbol ranks the nodes by a hash of (symbol, node) — rendezvous hashing, so a symbol mostly stays where it
 * was when other nodes come and go — and goes to the best-ranked node that has room; room is the even share, so no node
 * carries more than one symbol above another. Pure.
 */
public final class Ownership {
  private Ownership() {}

  /** Symbol → owning node, for every symbol; empty when there is no node. */
  public static Map<String, String> assign(Collection<String> symbols, Collection<String> nodes) {
    List<String> sortedNodes = new ArrayList<>(new TreeSet<>(nodes));
    Map<String, String> owners = new LinkedHashMap<>();
    if (sortedNodes.isEmpty()) {
      return owners;
    }
    TreeSet<String> sortedSymbols = new TreeSet<>(symbols);
    // every node gets `floor` symbols, and `extra` of them one more
    int floor = sortedSymbols.size() / sortedNodes.size();
    int extra = sortedSymbols.size() % sortedNodes.size();
    int fuller = 0;
    Map<String, Integer> load = new HashMap<>();
    for (String symbol : sortedSymbols) {
      String best = null;
      long bestRank = 0;
      for (String node : sortedNodes) {
        int l = load.getOrDefault(node, 0);
        boolean room = l < floor || (l == floor && fuller < extra);
        long rank = rank(symbol, node);
        if (room && (best == null || Long.compareUnsigned(rank, bestRank) > 0)) {
          best = node;
          bestRank = rank;
        }
      }
      owners.put(symbol, best);
      if (load.merge(best, 1, Integer::sum) == floor + 1) {
        fuller++;
      }
    }
    return owners;
  }

  /** A well-mixed 64-bit hash of the pair; String.hashCode is the same in every JVM. */
  static long rank(String symbol, String node) {
    long z = symbol.hashCode() * 0x9E3779B97F4A7C15L + node.hashCode();
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
