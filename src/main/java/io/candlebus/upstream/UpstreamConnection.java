package io.candlebus.upstream;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket to Binance's combined-stream endpoint, opened once (the {@link UpstreamSlot} replaces it). The
 * first streams go in the URL, the rest and later changes as {@code SUBSCRIBE}/{@code UNSUBSCRIBE} messages,
 * paced under Binance's 5 incoming messages per second (our pongs count too). Vert.x answers pings with pongs
 * echoing their payload; every frame, pings included, counts as a sign of life for the silence watchdog. Public for
 * {@code capture}, which opens its own.
 */
public final class UpstreamConnection {
  private static final Logger log = LoggerFactory.getLogger(UpstreamConnection.class);
  /** One control message per this many ms: ~3 per second leaves room for pongs under Binance's 5. */
  static final long CONTROL_SPACING_MS = 300;
  /** Streams per SUBSCRIBE message. */
  static final int STREAMS_PER_MESSAGE = 100;
  private static final AtomicLong IDS = new AtomicLong();
  /** A message this large closes the connection; the parser skips (and counts) far smaller oversize ones. */
  static final int MAX_MESSAGE_BYTES = 16 << 20;

  /** The WebSocket client the upstream verticles open their Binance connections with (TLS for wss). */
  public static WebSocketClient newClient(Vertx vertx, URI base) {
    return vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(MAX_MESSAGE_BYTES)
        .setMaxMessageSize(MAX_MESSAGE_BYTES)
        .setConnectTimeout(10_000)
        .setSsl("wss".equalsIgnoreCase(base.getScheme()))
        .setVerifyHost(true));
  }

  public interface Listener {
    void frame(UpstreamConnection connection, String text);

    void opened(UpstreamConnection connection);

    /** Connect failed or the socket closed; called once. */
    void ended(UpstreamConnection connection, String reason);
  }

  private final long id = IDS.incrementAndGet();
  private final Vertx vertx;
  private final WebSocketClient client;
  private final URI base;
  private final Listener listener;
  private final Set<String> streams = new LinkedHashSet<>();
  private final ArrayDeque<String> control = new ArrayDeque<>();
  private final List<String> urlStreams = new ArrayList<>();
  private WebSocket socket;
  private boolean ended;
  private long openedAt = -1;
  private long lastFrameAt;
  private long lastControlAt = Long.MIN_VALUE / 2;
  private long controlTimer = -1;
  private long nextRequestId = 1;
  private Buffer partial;

  public UpstreamConnection(Vertx vertx, WebSocketClient client, URI base, Collection<String> initialStreams,
      Listener listener) {
    this.vertx = vertx;
    this.client = client;
    this.base = base;
    this.listener = listener;
    int chars = 0;
    List<String> rest = new ArrayList<>();
    for (String s : initialStreams) {
      if (chars + s.length() + 1 <= StreamNames.MAX_URL_STREAM_CHARS && rest.isEmpty()) {
        urlStreams.add(s);
        chars += s.length() + 1;
      } else {
        rest.add(s);
      }
    }
    streams.addAll(initialStreams);
    queue("SUBSCRIBE", rest);
  }

  long id() {
    return id;
  }

  public boolean isOpen() {
    return socket != null && !ended;
  }

  boolean hasEnded() {
    return ended;
  }

  long openedAt() {
    return openedAt;
  }

  /** Ms since the last frame of any kind; 0 while not open. */
  public long silentFor(long now) {
    return isOpen() ? now - lastFrameAt : 0;
  }

  Set<String> streams() {
    return streams;
  }

  public String describe() {
    return "#" + id + " (" + streams.size() + " streams)";
  }

  public void open() {
    boolean tls = "wss".equals(base.getScheme().toLowerCase(Locale.ROOT));
    int port = base.getPort() > 0 ? base.getPort() : tls ? 443 : 80;
    String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
    String path = basePath + "/stream" + (urlStreams.isEmpty() ? "" : "?streams=" + String.join("/", urlStreams));
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(base.getHost()).setPort(port).setSsl(tls).setURI(path);
    client.connect(options).onComplete(ar -> {
      if (ar.failed()) {
        end("connect failed: " + ar.cause().getMessage());
        return;
      }
      WebSocket ws = ar.result();
      if (ended) {
        ws.close();
        return;
      }
      socket = ws;
      openedAt = System.currentTimeMillis();
      lastFrameAt = openedAt;
      ws.frameHandler(this::handleFrame);
      ws.exceptionHandler(e -> log.warn("upstream {}: {}", describe(), e.toString()));
      ws.closeHandler(v -> end("closed" + (ws.closeStatusCode() == null ? "" : " (" + ws.closeStatusCode()
          + (ws.closeReason() == null ? "" : " " + ws.closeReason()) + ")")));
      log.info("upstream {}: connected", describe());
      listener.opened(this);
      pump();
    });
  }

  /** Text messages, reassembled when Binance splits one over frames; every frame is a sign of life. */
  private void handleFrame(WebSocketFrame frame) {
    lastFrameAt = System.currentTimeMillis();
    WebSocketFrameType type = frame.type();
    if (type == WebSocketFrameType.TEXT && frame.isFinal()) {
      listener.frame(this, frame.textData());
    } else if (type == WebSocketFrameType.TEXT || (type == WebSocketFrameType.CONTINUATION && partial != null)) {
      if (partial == null) {
        partial = Buffer.buffer();
      }
      partial.appendBuffer(frame.binaryData());
      if (partial.length() > MAX_MESSAGE_BYTES) {
        partial = null;
        close("a message over " + MAX_MESSAGE_BYTES + " bytes");
      } else if (frame.isFinal()) {
        String text = partial.toString(StandardCharsets.UTF_8);
        partial = null;
        listener.frame(this, text);
      }
    }
  }

  void subscribe(Collection<String> names) {
    List<String> added = names.stream().filter(streams::add).toList();
    queue("SUBSCRIBE", added);
    pump();
  }

  void unsubscribe(Collection<String> names) {
    List<String> removed = names.stream().filter(streams::remove).toList();
    queue("UNSUBSCRIBE", removed);
    pump();
  }

  public Future<Void> close(String reason) {
    if (ended) {
      return Future.succeededFuture();
    }
    log.info("upstream {}: closing: {}", describe(), reason);
    WebSocket ws = socket;
    end(reason);
    return ws == null ? Future.succeededFuture() : ws.close().recover(e -> Future.succeededFuture());
  }

  private void queue(String method, List<String> names) {
    for (int i = 0; i < names.size(); i += STREAMS_PER_MESSAGE) {
      JsonArray params = new JsonArray(new ArrayList<>(names.subList(i, Math.min(names.size(),
          i + STREAMS_PER_MESSAGE))));
      control.add(method + " " + params.encode());
    }
  }

  /** Sends the next control message when the spacing allows, else comes back when it will. */
  private void pump() {
    if (!isOpen() || control.isEmpty() || controlTimer >= 0) {
      return;
    }
    long now = System.currentTimeMillis();
    long wait = lastControlAt + CONTROL_SPACING_MS - now;
    if (wait > 0) {
      controlTimer = vertx.setTimer(wait, t -> {
        controlTimer = -1;
        pump();
      });
      return;
    }
    String next = control.poll();
    int space = next.indexOf(' ');
    JsonObject msg = new JsonObject().put("method", next.substring(0, space))
        .put("params", new JsonArray(next.substring(space + 1))).put("id", nextRequestId++);
    lastControlAt = now;
    socket.writeTextMessage(msg.encode());
    pump();
  }

  private void end(String reason) {
    if (ended) {
      return;
    }
    ended = true;
    socket = null;
    if (controlTimer >= 0) {
      vertx.cancelTimer(controlTimer);
      controlTimer = -1;
    }
    listener.ended(this, reason);
  }
}
