package io.candlebus.web;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Gives the bridge an event loop of its own, apart from the sockets' transport event loop. */
final class BridgeVerticle extends VerticleBase {
  private final MarketBridge bridge;

  BridgeVerticle(MarketBridge bridge) {
    this.bridge = bridge;
  }

  @Override
  public Future<?> start() {
    bridge.start(context);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    bridge.closeAll();
    return Future.succeededFuture();
  }
}
