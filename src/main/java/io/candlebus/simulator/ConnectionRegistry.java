package io.candlebus.simulator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The open stream connections and, per stream name, who is subscribed. Changed on the simulator's event loop
 * only; the counts and the subscription list are also safe to read from other threads (tests).
 */
final class ConnectionRegistry {
  /** Told when a stream gets its first subscriber and when it loses its last. */
  interface Listener {
    void firstSubscriber(String stream);

    void lastUnsubscribed(String stream);
  }

  private final Map<Long, WsConnection> connections = new ConcurrentHashMap<>();
  private final Map<String, Set<WsConnection>> subscribers = new HashMap<>();
  private final List<Listener> listeners;

  ConnectionRegistry(Listener... listeners) {
    this.listeners = List.of(listeners);
  }

  void add(WsConnection c) {
    connections.put(c.id(), c);
  }

  void remove(WsConnection c) {
    if (connections.remove(c.id()) != null) {
      unsubscribe(c, new ArrayList<>(c.streams()));
    }
  }

  void subscribe(WsConnection c, Collection<String> streams) {
    for (String s : streams) {
      Set<WsConnection> set = subscribers.computeIfAbsent(s, k -> new LinkedHashSet<>());
      if (set.add(c) && set.size() == 1) {
        listeners.forEach(l -> l.firstSubscriber(s));
      }
    }
  }

  void unsubscribe(WsConnection c, Collection<String> streams) {
    for (String s : streams) {
      Set<WsConnection> set = subscribers.get(s);
      if (set != null && set.remove(c) && set.isEmpty()) {
        subscribers.remove(s);
        listeners.forEach(l -> l.lastUnsubscribed(s));
      }
    }
  }

  /** Connections subscribed to {@code stream}; empty when none. Event loop only. */
  Set<WsConnection> subscribers(String stream) {
    return subscribers.getOrDefault(stream, Set.of());
  }

  boolean hasSubscribers(String stream) {
    return subscribers.containsKey(stream);
  }

  int size() {
    return connections.size();
  }

  void forEach(Consumer<WsConnection> action) {
    connections.values().forEach(action);
  }

  /** Stream name to the number of open connections subscribed to it; safe from any thread. */
  Map<String, Integer> streamCounts() {
    Map<String, Integer> out = new TreeMap<>();
    connections.values().forEach(c -> c.streams().forEach(s -> out.merge(s, 1, Integer::sum)));
    return out;
  }

  /** Open connections that were silenced. */
  int silenced() {
    return (int) connections.values().stream().filter(WsConnection::isSilenced).count();
  }

  /** A copy of the open connections, so that closing them while iterating is safe. */
  List<WsConnection> snapshot() {
    return new ArrayList<>(connections.values());
  }

  /** Every stream of every open connection (a stream twice if two connections have it). */
  List<String> allStreams() {
    List<String> out = new ArrayList<>();
    connections.values().forEach(c -> out.addAll(c.streams()));
    return out;
  }
}
