package io.candlebus.web;

import io.candlebus.config.LimitSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the instances of {@link HttpVerticle} on one node share: the login throttle (a password guesser gets no
 * more tries by landing on another event loop), the carried symbols, the first-start check for an admin, the
 * counts the node's caps apply to (connections, live indicators), the bridge gauges summed over the instances,
 * and the bound port.
 */
public final class HttpShared {
  private final LoginThrottle throttle = new LoginThrottle();
  /** Bridge sockets per login and per user, counted over the node's event loops. */
  private final BridgeSockets bridgeSockets = new BridgeSockets();
  private final CarriedSymbols carried = new CarriedSymbols();
  private final List<MarketBridge> bridges = new CopyOnWriteArrayList<>();
  private final AtomicBoolean listening = new AtomicBoolean();
  private volatile int port = -1;
  /** The node's open connections, which its caps apply to. */
  private final ConnectionCounts connections = new ConnectionCounts();
  /** The live indicators registered over all the node's bridges. */
  private final IndicatorQuota indicatorQuota;

  public HttpShared(MeterRegistry registry, LimitSettings limits) {
    indicatorQuota = new IndicatorQuota(limits.indicatorMaxFeedsPerUser(), limits.indicatorMaxFeeds());
    registry.gauge("candlebus_bridge_sockets", bridges,
        bs -> bs.stream().mapToInt(MarketBridge::sockets).sum());
    registry.gauge("candlebus_bridge_queued_max", bridges,
        bs -> bs.stream().mapToInt(MarketBridge::queuedMax).max().orElse(0));
    registry.gauge(ConnectionCounts.GAUGE, connections, ConnectionCounts::total);
  }

  /** The bound HTTP port (the same for every instance: they share one listening socket). */
  public int port() {
    if (port < 0) {
      throw new IllegalStateException("the HTTP server is not listening yet");
    }
    return port;
  }

  CarriedSymbols carried() {
    return carried;
  }

  LoginThrottle throttle() {
    return throttle;
  }

  ConnectionCounts connections() {
    return connections;
  }

  IndicatorQuota indicatorQuota() {
    return indicatorQuota;
  }

  BridgeSockets bridgeSockets() {
    return bridgeSockets;
  }

  void add(MarketBridge bridge) {
    bridges.add(bridge);
  }

  void remove(MarketBridge bridge) {
    bridges.remove(bridge);
  }

  /** Records the port; true for the first instance to listen, which does what is done once per node. */
  boolean listened(int actualPort) {
    port = actualPort;
    return listening.compareAndSet(false, true);
  }
}
