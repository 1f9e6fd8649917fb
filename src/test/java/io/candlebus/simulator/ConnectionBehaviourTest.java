package io.candlebus.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Binance's connection rules on real sockets: control messages, the 5 messages/s limit, pings and pongs. */
@ExtendWith(VertxExtension.class)
class ConnectionBehaviourTest {
  private BinanceSimulator sim;
  private SimClient client;

  @BeforeEach
  void start(Vertx vertx) {
    sim = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols("BTCUSDT").withRate(20)
        .withStartTime(1_704_067_200_000L).withSpeed(10).withHistoryMinutes(1).withPingIntervalMs(200)
        .withPongTimeoutMs(400));
    client = new SimClient(vertx, sim.port());
  }

  @Test
  void subscribeListUnsubscribeOnARawConnection() throws Exception {
    SimClient.Ws ws = client.connect("/ws");
    ws.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@aggTrade\",\"btcusdt@kline_1m\"],\"id\":1}");
    assertThat(ws.nextMatching(o -> o.containsKey("id")).encode()).isEqualTo("{\"result\":null,\"id\":1}");
    JsonObject trade = ws.nextMatching(o -> "aggTrade".equals(o.getString("e")));
    assertThat(trade.getString("s")).isEqualTo("BTCUSDT");
    assertThat(trade.containsKey("stream")).isFalse();
    assertThat(sim.subscriptions()).containsExactly("btcusdt@aggTrade", "btcusdt@kline_1m");

    ws.send("{\"method\":\"UNSUBSCRIBE\",\"params\":[\"btcusdt@aggTrade\"],\"id\":\"u2\"}");
    assertThat(ws.nextMatching(o -> o.containsKey("id")).encode()).isEqualTo("{\"result\":null,\"id\":\"u2\"}");
    ws.send("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":3}");
    assertThat(ws.nextMatching(o -> o.containsKey("id")).getJsonArray("result"))
        .isEqualTo(new JsonArray().add("btcusdt@kline_1m"));
    assertThat(sim.subscriptions()).containsExactly("btcusdt@kline_1m");

    ws.send("{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",true],\"id\":4}");
    assertThat(ws.nextMatching(o -> o.containsKey("id")).encode()).isEqualTo("{\"result\":null,\"id\":4}");
    JsonObject wrapped = ws.nextMatching(o -> o.containsKey("stream"));
    assertThat(wrapped.getString("stream")).isEqualTo("btcusdt@kline_1m");
    assertThat(wrapped.getJsonObject("data").getString("e")).isEqualTo("kline");
    ws.close();
  }

  @Test
  void badMethodAndMalformedJsonGetErrorReplies() throws Exception {
    SimClient.Ws ws = client.connect("/stream?streams=btcusdt@kline_1m");
    ws.send("{\"method\":\"SUBSCRIBEX\",\"params\":[],\"id\":7}");
    JsonObject bad = ws.nextMatching(o -> o.containsKey("code"));
    assertThat(bad.getInteger("code")).isEqualTo(2);
    assertThat(bad.getString("msg")).startsWith("Invalid request: unknown variant `SUBSCRIBEX`, expected one of");
    assertThat(bad.getInteger("id")).isEqualTo(7);
    ws.send("{\"method\": SUBSCRIBE}");
    JsonObject malformed = ws.nextMatching(o -> o.containsKey("code"));
    assertThat(malformed.getInteger("code")).isEqualTo(3);
    assertThat(malformed.getString("msg")).startsWith("Invalid JSON: expected value at line 1 column ");
    ws.send("{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":8}");
    assertThat(ws.nextMatching(o -> o.containsKey("id")).getBoolean("result")).isTrue();
    assertThat(ws.closed).isFalse();
    ws.close();
  }

  @Test
  void moreThanFiveMessagesInASecondCloseTheConnection() throws Exception {
    SimClient.Ws ws = client.connect("/ws");
    SimClient.awaitTrue("connection registered", () -> sim.openConnections() == 1);
    for (int i = 0; i < 6; i++) {
      ws.send("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":" + i + "}");
    }
    SimClient.awaitTrue("connection closed", () -> ws.closed);
    SimClient.awaitTrue("connection forgotten", () -> sim.openConnections() == 0);
    long replies = ws.texts.stream().filter(t -> t.contains("\"result\"")).count();
    assertThat(replies).isEqualTo(5);
  }

  @Test
  void pingsArriveOnTimeAndPongsAreCounted() throws Exception {
    SimClient.Ws ws = client.connect("/ws/btcusdt@aggTrade");
    SimClient.awaitTrue("6 pings", () -> ws.pingNanos.size() >= 6);
    // five intervals of 200 ms; generous bounds so a loaded box cannot fail it, tight enough to catch 20 s or 0
    long spanMs = (ws.pingNanos.get(5) - ws.pingNanos.get(0)) / 1_000_000L;
    assertThat(spanMs).isBetween(700L, 5_000L);
    SimClient.awaitTrue("5 pongs counted", () -> sim.pongsReceived() >= 5);
    // answering pings is not "too many messages", and answered pings never time out
    assertThat(ws.closed).isFalse();
    assertThat(sim.openConnections()).isEqualTo(1);
    ws.close();
  }

  @Test
  void aClientThatNeverAnswersPingsIsClosed(Vertx vertx) throws Exception {
    // a bare TCP client that upgrades to WebSocket by hand and then ignores every ping
    NetSocket socket = SimClient.await(vertx.createNetClient().connect(sim.port(), "127.0.0.1"));
    AtomicBoolean closed = new AtomicBoolean();
    StringBuilder received = new StringBuilder();
    socket.handler(b -> received.append(b.toString()));
    socket.closeHandler(v -> closed.set(true));
    SimClient.await(socket.write(Buffer.buffer("GET /ws/btcusdt@aggTrade HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n")));
    SimClient.awaitTrue("upgrade", () -> received.toString().startsWith("HTTP/1.1 101"));
    SimClient.awaitTrue("silent client dropped", closed::get);
    SimClient.awaitTrue("connection forgotten", () -> sim.openConnections() == 0);
    assertThat(sim.pongsReceived()).isZero();
  }

  @Test
  void injectRawReachesEveryConnectionAndDropClosesThemAll() throws Exception {
    SimClient.Ws a = client.connect("/ws");
    SimClient.Ws b = client.connect("/stream?streams=btcusdt@aggTrade");
    SimClient.awaitTrue("two connections", () -> sim.openConnections() == 2);
    sim.injectRaw("{\"hello\":1}");
    assertThat(a.next()).isEqualTo("{\"hello\":1}");
    assertThat(b.nextMatching(o -> o.containsKey("hello")).getInteger("hello")).isEqualTo(1);
    sim.dropAllConnections();
    SimClient.awaitTrue("both closed", () -> a.closed && b.closed);
    SimClient.awaitTrue("none open", () -> sim.openConnections() == 0);
    assertThat(sim.subscriptions()).isEmpty();
  }

  @Test
  void unknownPathsAreRefused() {
    assertThatThrownBy(() -> client.connect("/foo")).hasMessageContaining("404");
  }
}
