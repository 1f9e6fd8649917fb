package io.candlebus.simulator;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A snapshot of what the simulator has seen since it started.
 *
 * @param connectionAttempts WebSocket handshakes received, accepted or not
 * @param openConnections stream connections open now
 * @param silencedConnections of those, how many were silenced
 * @param rateLimitCloses connections closed for more than 5 incoming messages in a second
 * @param pongTimeoutCloses connections closed because a ping went unanswered too long
 * @param controlMessages text frames received on stream connections
 * @param pongsReceived pong frames received
 * @param restRequests REST requests received (the /sim control routes are not counted)
 * @param restRefused REST requests answered 429 or 418
 * @param restViolations REST requests that came while a Retry-After we announced had not passed (answered 418)
 * @param maxWeightUsed the highest X-MBX-USED-WEIGHT-1M announced
 * @param weightLimit the REQUEST_WEIGHT limit per minute
 * @param streamsSubscribed stream name to the number of open connections subscribed to it
 */
public record SimStats(long connectionAttempts, int openConnections, int silencedConnections, long rateLimitCloses,
    long pongTimeoutCloses, long controlMessages, long pongsReceived, long restRequests, long restRefused,
    long restViolations, int maxWeightUsed, int weightLimit, Map<String, Integer> streamsSubscribed) {

  public SimStats {
    streamsSubscribed = Map.copyOf(streamsSubscribed);
  }

  public JsonObject toJson() {
    JsonObject streams = new JsonObject();
    streamsSubscribed.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> streams.put(e.getKey(), e.getValue()));
    return new JsonObject()
        .put("connectionAttempts", connectionAttempts)
        .put("openConnections", openConnections)
        .put("silencedConnections", silencedConnections)
        .put("rateLimitCloses", rateLimitCloses)
        .put("pongTimeoutCloses", pongTimeoutCloses)
        .put("controlMessages", controlMessages)
        .put("pongsReceived", pongsReceived)
        .put("restRequests", restRequests)
        .put("restRefused", restRefused)
        .put("restViolations", restViolations)
        .put("maxWeightUsed", maxWeightUsed)
        .put("weightLimit", weightLimit)
        .put("streamsSubscribed", streams);
  }
}
