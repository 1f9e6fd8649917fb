package io.candlebus.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The per-browser queue on its own: what a slow browser gets once it can take messages again. */
@ExtendWith(VertxExtension.class)
class BridgeClientTest {
  /** An in-memory transport that takes nothing until opened. */
  private static final class Transport implements BridgeClient.Sink {
    final List<String> written = new ArrayList<>();
    boolean open;
    Runnable waiting;

    @Override
    public boolean writable() {
      return open;
    }

    @Override
    public void whenWritable(Runnable r) {
      waiting = r;
    }

    @Override
    public void write(Outbound[] messages, int n, Runnable done) {
      for (int i = 0; i < n; i++) {
        written.add(messages[i].json());
      }
      done.run();
    }

    @Override
    public void close() {}
  }

  private final AtomicInteger dropped = new AtomicInteger();
  private final AtomicInteger conflated = new AtomicInteger();
  private final BridgeClient.Counters counters = new BridgeClient.Counters() {
    @Override
    public void delivered(int n) {}

    @Override
    public void droppedTrade() {
      dropped.incrementAndGet();
    }

    @Override
    public void conflatedCandle() {
      conflated.incrementAndGet();
    }
  };

  private static Outbound candle(long open, boolean closed, int trades) {
    return Outbound.of(new JsonObject().put("openTime", open).put("closed", closed).put("trades", trades).encode());
  }

  @Test
  void candlesAreConflatedButAWindowsCloseIsKept(Vertx vertx) {
    Transport t = new Transport();
    BridgeClient c = new BridgeClient(t, "alice", vertx.getOrCreateContext(), counters, 0);
    String a = "market.candle.BTCUSDT.1m";
    c.offerCandle(a, candle(0, false, 1), 0, false);
    c.offerCandle(a, candle(0, false, 2), 0, false);
    c.offerCandle(a, candle(0, true, 3), 0, true);
    c.offerCandle(a, candle(60_000, false, 1), 60_000, false);
    c.offerCandle(a, candle(60_000, false, 2), 60_000, false);
    assertThat(c.queued()).isEqualTo(2);
    t.open = true;
    c.flush();
    assertThat(t.written).containsExactly(candle(0, true, 3).json(), candle(60_000, false, 2).json());
    assertThat(conflated.get()).isEqualTo(3);
  }

  @Test
  void tradesBeyondTheBoundAreDroppedAndTheBrowserIsToldHowMany() {
    Transport t = new Transport();
    BridgeClient c = new BridgeClient(t, "alice", Vertx.vertx().getOrCreateContext(), counters, 0);
    String a = "market.trade.BTCUSDT";
    for (int i = 0; i < BridgeClient.MAX_QUEUED + 17; i++) {
      c.offer(BridgeClient.Kind.TRADE, a, Outbound.of("{\"n\":" + i + "}"));
    }
    assertThat(dropped.get()).isEqualTo(17);
    assertThat(c.queued()).isEqualTo(BridgeClient.MAX_QUEUED);
    t.open = true;
    c.flush();
    c.offer(BridgeClient.Kind.TRADE, a, Outbound.of("{\"n\":\"next\"}"));
    c.flush();
    assertThat(t.written).hasSize(BridgeClient.MAX_QUEUED + 2);
    assertThat(new JsonObject(t.written.get(BridgeClient.MAX_QUEUED)).getJsonObject("body"))
        .isEqualTo(new JsonObject().put("symbol", "BTCUSDT").put("missed", 17L));
    assertThat(t.written.get(BridgeClient.MAX_QUEUED + 1)).isEqualTo("{\"n\":\"next\"}");
  }

  @Test
  void literalsEscapeQuotesBackslashesAndNonAscii() {
    assertThat(Outbound.literal("{\"a\":\"b\\\\c\u00e9\u2028\"}"))
        .isEqualTo("\"{\\\"a\\\":\\\"b\\\\\\\\c\\u00e9\\u2028\\\"}\"");
  }
}
