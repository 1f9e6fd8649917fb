package io.candlebus.capture;

import static io.candlebus.testing.Await.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The test's own client of the same streams as a capture: a separate WebSocket that keeps every event with its
 * local receive time, to hold the capture's files against.
 */
final class StreamObserver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One event: when it came (epoch ms), its stream and its data object. */
  record Frame(long receivedAt, String stream, JsonNode data) {}

  private final WebSocketClient client;
  private final WebSocket socket;
  private final List<Frame> frames = new ArrayList<>();

  private StreamObserver(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.textMessageHandler(text -> {
      long now = System.currentTimeMillis();
      try {
        JsonNode n = JSON.readTree(text);
        synchronized (frames) {
          frames.add(new Frame(now, n.get("stream").asText(), n.get("data")));
        }
      } catch (Exception e) {
        throw new IllegalStateException("the simulator sent a frame the observer cannot read: " + text, e);
      }
    });
  }

  static StreamObserver open(Vertx vertx, String wsBase, List<String> streams) {
    URI base = URI.create(wsBase);
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket ws = await(client.connect(new WebSocketConnectOptions().setHost(base.getHost())
        .setPort(base.getPort()).setURI("/stream?streams=" + String.join("/", streams))));
    return new StreamObserver(client, ws);
  }

  List<Frame> frames() {
    synchronized (frames) {
      return List.copyOf(frames);
    }
  }

  int count() {
    synchronized (frames) {
      return frames.size();
    }
  }

  @Override
  public void close() {
    await(socket.close());
    await(client.close());
  }
}
