package io.candlebus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes immutable Java objects (records) between verticles of one node without serialising them. Such
 * messages must be sent with local-only delivery; they never cross the cluster.
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {
  private final String name;

  private LocalCodec(Class<T> type) {
    this.name = "local." + type.getName();
  }

  /** Registers a default local codec for each type, once per Vert.x instance. */
  public static void register(Vertx vertx, Class<?>... types) {
    EventBus bus = vertx.eventBus();
    for (Class<?> type : types) {
      registerOne(bus, type);
    }
  }

  private static <T> void registerOne(EventBus bus, Class<T> type) {
    try {
      bus.registerDefaultCodec(type, new LocalCodec<>(type));
    } catch (IllegalStateException alreadyRegistered) {
      // a second gateway in the same Vert.x (tests) registers the same codecs
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T t) {
    throw new UnsupportedOperationException(name + " is local-only");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(name + " is local-only");
  }

  @Override
  public T transform(T t) {
    return t;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
