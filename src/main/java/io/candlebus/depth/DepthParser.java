package io.candlebus.depth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.candlebus.domain.Decimals;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Binance's depth JSON — {@code depthUpdate} events, {@code /api/v3/depth} snapshots, {@code bookTicker} — into
 * exact records. Prices and quantities stay decimal strings until {@link BigDecimal}; anything else is refused
 * with a {@link MalformedDepth} naming what is wrong, for the caller to count and skip.
 */
public final class DepthParser {
  // trailing tokens refused: "{…} x" is no frame Binance sends, and reading only its head would hide that
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** A frame that is not what it claims to be. */
  public static final class MalformedDepth extends IllegalArgumentException {
    private final String kind;

    public MalformedDepth(String kind, String message) {
      super(message);
      this.kind = kind;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // thrown for every bad frame: a stack trace would cost more than the frame
    }

    /** A short label of what was wrong, for a counter: a few fixed values, never the frame's content. */
    public String kind() {
      return kind;
    }
  }

  private DepthParser() {}

  /** A {@code depthUpdate}, bare or inside a combined-stream envelope {@code {"stream","data"}}. */
  public static DepthDiff diff(String json) {
    JsonNode n = data(read(json));
    if (!"depthUpdate".equals(n.path("e").asText(null))) {
      throw new MalformedDepth("not_depth_update", "not a depthUpdate");
    }
    long first = id(n, "U");
    long last = id(n, "u");
    if (last < first) {
      throw new MalformedDepth("bad_ids", "u " + last + " before U " + first);
    }
    return new DepthDiff(text(n, "s"), id(n, "E"), first, last, levels(n, "b"), levels(n, "a"));
  }

  public static DepthSnapshot snapshot(String json) {
    JsonNode n = read(json);
    return new DepthSnapshot(id(n, "lastUpdateId"), levels(n, "bids"), levels(n, "asks"));
  }

  public static BookTicker bookTicker(String json) {
    JsonNode n = data(read(json));
    return new BookTicker(text(n, "s"), id(n, "u"), decimal(n.get("b"), "b"), decimal(n.get("B"), "B"),
        decimal(n.get("a"), "a"), decimal(n.get("A"), "A"));
  }

  private static JsonNode read(String json) {
    try {
      JsonNode n = JSON.readTree(json);
      if (n == null || !n.isObject()) {
        throw new MalformedDepth("not_an_object", "not a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new MalformedDepth("invalid_json", "invalid JSON");
    }
  }

  private static JsonNode data(JsonNode n) {
    JsonNode data = n.get("data");
    return data != null && data.isObject() && n.has("stream") ? data : n;
  }

  private static long id(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() < 0) {
      throw new MalformedDepth("bad_field", "missing or bad " + field);
    }
    return v.asLong();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new MalformedDepth("bad_field", "missing or bad " + field);
    }
    return v.asText();
  }

  private static List<Level> levels(JsonNode n, String field) {
    JsonNode side = n.get(field);
    if (side == null || !side.isArray()) {
      throw new MalformedDepth("bad_field", "missing or bad " + field);
    }
    List<Level> out = new ArrayList<>(side.size());
    for (JsonNode level : side) {
      if (!level.isArray() || level.size() < 2) {
        throw new MalformedDepth("bad_level", "bad level in " + field);
      }
      BigDecimal price = decimal(level.get(0), field);
      BigDecimal quantity = decimal(level.get(1), field);
      if (price.signum() <= 0 || quantity.signum() < 0) {
        throw new MalformedDepth("bad_level", "bad level in " + field + ": " + price + " " + quantity);
      }
      out.add(new Level(price, quantity));
    }
    return out;
  }

  private static BigDecimal decimal(JsonNode v, String field) {
    if (v == null || !v.isTextual()) {
      throw new MalformedDepth("bad_decimal", "missing or bad decimal in " + field);
    }
    String text = v.asText();
    if (!Decimals.isPlain(text)) {
      throw new MalformedDepth("bad_decimal", "bad decimal in " + field);
    }
    return new BigDecimal(text);
  }
}
