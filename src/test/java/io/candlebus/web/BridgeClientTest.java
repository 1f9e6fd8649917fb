package io.candlebus.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The per-browser queue on its own: what a slow browser gets once it can take messages again. */
@ExtendWith(VertxExtension.class)
class BridgeClientTest {
  /** An in-memory transport that takes nothing until opened. */
  private static final class Transport implements BridgeClient.Sink {
    final List<String> written = new ArrayList<>();
    boolean open;
    Runnable waiting;
    String closedWith;

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
    public void close(int code, String reason) {
      closedWith = code + " " + reason;
    }
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
    public void conflated(BridgeClient.Kind kind) {
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
    c.offerLatest(BridgeClient.Kind.CANDLE, a, candle(0, false, 1), 0, false);
    c.offerLatest(BridgeClient.Kind.CANDLE, a, candle(0, false, 2), 0, false);
    c.offerLatest(BridgeClient.Kind.CANDLE, a, candle(0, true, 3), 0, true);
    c.offerLatest(BridgeClient.Kind.CANDLE, a, candle(60_000, false, 1), 60_000, false);
    c.offerLatest(BridgeClient.Kind.CANDLE, a, candle(60_000, false, 2), 60_000, false);
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

  /** A message of {@code kind} on one of {@code ADDRESSES} addresses, windowed kinds closing every 10th. */
  private static void offer(BridgeClient c, BoardFrames board, BridgeClient.Kind kind, int i) {
    String a = address(kind, i % ADDRESSES);
    Outbound m = Outbound.of("{\"n\":" + i + "}");
    switch (kind) {
      case CANDLE, INDICATOR -> c.offerLatest(kind, a, m, i / 10 * 60_000L, i % 10 == 9);
      case TICKER -> c.offerBoard(board, board.add(new JsonArray().add(ticker("M" + i % 3_000, "24h", i))));
      default -> c.offer(kind, a, m);
    }
  }

  private static final int ADDRESSES = 7;

  private static String address(BridgeClient.Kind kind, int n) {
    return switch (kind) {
      case TRADE -> "market.trade.S" + n;
      case CANDLE -> "market.candle.S" + n + ".1m";
      case INDICATOR -> "market.indicator.S" + n + ".1m.rsi:14";
      case DEPTH -> "market.depth.S" + n;
      case STATUS -> "market.status";
      case TICKER -> "market.ticker";
      case ALERT -> "alerts.alice";
    };
  }

  private static JsonObject ticker(String symbol, String window, long time) {
    return new JsonObject().put("symbol", symbol).put("window", window).put("time", time).put("last", "1");
  }

  /** What waits for a browser that never takes anything stays within its kind's bound, however much comes. */
  @ParameterizedTest
  @EnumSource(BridgeClient.Kind.class)
  void everyKindStaysBoundedForABrowserThatNeverReads(BridgeClient.Kind kind, Vertx vertx) {
    Transport t = new Transport(); // never writable
    BridgeClient c = new BridgeClient(t, "alice", vertx.getOrCreateContext(), counters, 0);
    BoardFrames board = new BoardFrames();
    int bound = switch (kind) {
      case TRADE -> BridgeClient.MAX_QUEUED;
      case CANDLE, INDICATOR -> 2 * ADDRESSES; // the newest and one older close per address
      case DEPTH -> ADDRESSES;
      case STATUS, TICKER -> 1;
      case ALERT -> BridgeClient.MAX_URGENT;
    };
    int most = 0;
    for (int i = 0; i < 100_000; i++) {
      offer(c, board, kind, i);
      c.flush();
      most = Math.max(most, c.queued());
    }
    assertThat(most).as("most waiting at once").isLessThanOrEqualTo(bound);
    assertThat(t.written).isEmpty();
    if (kind == BridgeClient.Kind.ALERT) {
      // alerts may be neither dropped nor merged: beyond the bound the browser is closed instead
      assertThat(c.closed).isTrue();
      assertThat(c.queued()).isZero();
    } else {
      assertThat(c.closed).isFalse();
    }
  }

  @Test
  void allKindsAtOnceStayWithinTheClientsBound(Vertx vertx) {
    Transport t = new Transport();
    BridgeClient c = new BridgeClient(t, "alice", vertx.getOrCreateContext(), counters, 0);
    BoardFrames board = new BoardFrames();
    int most = 0;
    for (int i = 0; i < 100_000; i++) {
      for (BridgeClient.Kind kind : BridgeClient.Kind.values()) {
        if (kind != BridgeClient.Kind.ALERT || i < BridgeClient.MAX_URGENT) {
          offer(c, board, kind, i);
        }
      }
      c.flush();
      most = Math.max(most, c.queued());
    }
    // the addresses the browser has: 7 each of trades, candles, indicators, books; the status, the board, alerts
    assertThat(most).isLessThanOrEqualTo(BridgeClient.maxQueued(4 * ADDRESSES + 3));
    assertThat(c.closed).isFalse();
  }

  @Test
  void aSlowBrowserGetsTheNewestOfEachBookStatusAndIndicatorAndAnIndicatorsClose(Vertx vertx) {
    Transport t = new Transport();
    BridgeClient c = new BridgeClient(t, "alice", vertx.getOrCreateContext(), counters, 0);
    for (int i = 0; i < 100; i++) {
      c.offer(BridgeClient.Kind.DEPTH, "market.depth.BTCUSDT", Outbound.of("{\"book\":" + i + "}"));
      c.offer(BridgeClient.Kind.DEPTH, "market.depth.ETHUSDT", Outbound.of("{\"eth\":" + i + "}"));
      c.offer(BridgeClient.Kind.STATUS, "market.status", Outbound.of("{\"status\":" + i + "}"));
    }
    String rsi = "market.indicator.BTCUSDT.1m.rsi:14";
    c.offerLatest(BridgeClient.Kind.INDICATOR, rsi, Outbound.of("{\"rsi\":1}"), 0, false);
    c.offerLatest(BridgeClient.Kind.INDICATOR, rsi, Outbound.of("{\"rsi\":2,\"closed\":true}"), 0, true);
    c.offerLatest(BridgeClient.Kind.INDICATOR, rsi, Outbound.of("{\"rsi\":3}"), 60_000, false);
    c.offerLatest(BridgeClient.Kind.INDICATOR, rsi, Outbound.of("{\"rsi\":4}"), 60_000, false);
    String sma = "market.indicator.BTCUSDT.1m.sma:20";
    c.offerLatest(BridgeClient.Kind.INDICATOR, sma, Outbound.of("{\"sma\":1}"), 0, false);
    c.offerLatest(BridgeClient.Kind.INDICATOR, sma, Outbound.of("{\"sma\":2}"), 0, false);
    assertThat(c.queued()).isEqualTo(6);
    t.open = true;
    c.flush();
    assertThat(t.written).containsExactlyInAnyOrder("{\"book\":99}", "{\"eth\":99}", "{\"status\":99}",
        "{\"rsi\":2,\"closed\":true}", "{\"rsi\":4}", "{\"sma\":2}");
    assertThat(t.written.indexOf("{\"rsi\":2,\"closed\":true}")).isLessThan(t.written.indexOf("{\"rsi\":4}"));
  }

  @Test
  void aSlowBrowserGetsEveryMarketsNewestBoardEntryInOneMessage(Vertx vertx) {
    Transport t = new Transport();
    BridgeClient c = new BridgeClient(t, "alice", vertx.getOrCreateContext(), counters, 0);
    BoardFrames board = new BoardFrames();
    // a frame a browser keeping up took already: not sent again
    t.open = true;
    BoardFrames.Frame first = board.add(new JsonArray().add(ticker("OLD", "24h", 1)));
    c.offerBoard(board, first);
    c.flush();
    assertThat(t.written).containsExactly(first.message().json());
    t.written.clear();
    t.open = false;
    Map<String, Long> newest = new HashMap<>();
    for (int frame = 0; frame < 50; frame++) {
      JsonArray changed = new JsonArray();
      for (int m = frame % 7; m < 300; m += 7) { // each frame some markets, every market in some frames
        String window = m % 2 == 0 ? "24h" : "1h";
        changed.add(ticker("M" + m, window, 1_000 + frame));
        newest.put(window + " M" + m, 1_000L + frame);
      }
      c.offerBoard(board, board.add(changed));
    }
    assertThat(c.queued()).isEqualTo(1);
    t.open = true;
    c.flush();
    assertThat(t.written).hasSize(1);
    JsonObject merged = new JsonObject(t.written.get(0));
    assertThat(merged.getString("address")).isEqualTo("market.ticker");
    Map<String, Long> got = new HashMap<>();
    merged.getJsonArray("body").forEach(o -> {
      JsonObject e = (JsonObject) o;
      assertThat(got.put(e.getString("window") + " " + e.getString("symbol"), e.getLong("time"))).isNull();
    });
    assertThat(got).isEqualTo(newest);
  }

  @Test
  void alertsBeyondTheBoundCloseTheBrowser(Vertx vertx) {
    Transport t = new Transport();
    BridgeClient c = new BridgeClient(t, "alice", vertx.getOrCreateContext(), counters, 0);
    for (int i = 0; i < BridgeClient.MAX_URGENT; i++) {
      c.offer(BridgeClient.Kind.ALERT, "alerts.alice", Outbound.of("{\"alert\":" + i + "}"));
    }
    assertThat(c.closed).isFalse();
    assertThat(c.queued()).isEqualTo(BridgeClient.MAX_URGENT);
    c.offer(BridgeClient.Kind.ALERT, "alerts.alice", Outbound.of("{\"alert\":\"one too many\"}"));
    assertThat(c.closed).isTrue();
    assertThat(c.refusal()).isEqualTo(Refusal.BRIDGE_QUEUE);
    assertThat(t.closedWith).startsWith(BridgeClient.CLOSE_REFUSED + " bridge_queue");
    assertThat(c.queued()).isZero();
  }

  @Test
  void aFrameEarnsOneErrorFrameHoweverManyOfItsMessagesAreBad(Vertx vertx) {
    Transport t = new Transport();
    BridgeClient c = new BridgeClient(t, "alice", vertx.getOrCreateContext(), counters, 0);
    c.startFrame();
    for (int i = 0; i < 16_000; i++) {
      c.error("invalid_json");
    }
    c.startFrame();
    c.error("access_denied");
    c.error("access_denied");
    assertThat(c.queued()).isEqualTo(2);
    t.open = true;
    c.flush();
    assertThat(t.written).extracting(m -> new JsonObject(m).getString("body"))
        .containsExactly("invalid_json", "access_denied");
  }

  @Test
  void literalsEscapeQuotesBackslashesAndNonAscii() {
    assertThat(Outbound.literal("{\"a\":\"b\\\\c\u00e9\u2028\"}"))
        .isEqualTo("\"{\\\"a\\\":\\\"b\\\\\\\\c\\u00e9\\u2028\\\"}\"");
  }
}
