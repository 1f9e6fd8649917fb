package io.candlebus.simulator;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Binance's live control messages on a stream connection (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS,
 * SET_PROPERTY, GET_PROPERTY) and their replies, error codes 0-3 as in the notes §1.3. Pure: the connection
 * state sits behind {@link Session}.
 *
 * <p>The "line L column C" in error texts imitate Binance's parser (serde_json): C counts the characters read on
 * the line up to and including the offending token. Binance echoes {@code id} only in some error replies; we
 * echo it whenever it could be read.
 */
final class ControlProtocol {
  static final int MAX_STREAMS = 1024;
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Pattern STRING_ID = Pattern.compile("[A-Za-z0-9_-]{1,36}");
  private static final String METHODS =
      "`SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`";

  /** What a control message may read or change on its connection. */
  interface Session {
    List<String> streams();

    void subscribe(List<String> streams);

    void unsubscribe(List<String> streams);

    boolean combined();

    void combined(boolean combined);
  }

  private ControlProtocol() {}

  /** Applies one text message to {@code session} and returns the reply to send. */
  static String handle(String text, Session session) {
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
      if (root == null || root.isMissingNode()) {
        return error(3, "Invalid JSON: expected value at line 1 column " + (text.length() + 1), null);
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      long line = at == null ? 1 : at.getLineNr();
      long col = at == null ? 1 : at.getColumnNr();
      return error(3, "Invalid JSON: expected value at line " + line + " column " + col, null);
    }
    if (!root.isObject()) {
      return error(2, "Invalid request: expected a JSON object at line 1 column 1", null);
    }
    JsonNode method = root.get("method");
    if (method == null || method.isNull()) {
      return error(2, "Invalid request: missing field `method` at " + position(text, null), null);
    }
    JsonNode idNode = root.get("id");
    if (idNode == null || !validId(idNode)) {
      return error(2, "Invalid request: request ID must be an unsigned integer", null);
    }
    Object id = idNode.isNull() ? null : idNode.isTextual() ? idNode.asText() : (Object) idNode.asLong();
    String name = method.isTextual() ? method.asText() : method.toString();
    JsonNode params = root.get("params");
    if (params != null && !params.isNull() && !params.isArray()) {
      return error(2, "Invalid request: invalid type for `params`, expected a sequence", id);
    }
    List<JsonNode> args = new ArrayList<>();
    if (params != null && params.isArray()) {
      params.forEach(args::add);
    }
    return switch (name) {
      case "SUBSCRIBE" -> subscribe(args, id, session, true);
      case "UNSUBSCRIBE" -> subscribe(args, id, session, false);
      case "LIST_SUBSCRIPTIONS" -> args.isEmpty()
          ? result(new JsonArray(new ArrayList<>(session.streams())), id)
          : error(2, "Invalid request: too many parameters", id);
      case "SET_PROPERTY" -> setProperty(args, id, session);
      case "GET_PROPERTY" -> getProperty(args, id, session);
      default -> error(2, "Invalid request: unknown variant `" + name + "`, expected one of " + METHODS
          + " at " + position(text, "method"), id);
    };
  }

  private static String subscribe(List<JsonNode> args, Object id, Session session, boolean add) {
    List<String> streams = new ArrayList<>(args.size());
    for (JsonNode a : args) {
      if (!a.isTextual()) {
        return error(2, "Invalid request: invalid type: " + a + ", expected a stream name string", id);
      }
      streams.add(a.asText());
    }
    if (add) {
      long after = session.streams().size()
          + streams.stream().distinct().filter(s -> !session.streams().contains(s)).count();
      if (after > MAX_STREAMS) {
        return error(2, "Invalid request: too many streams; at most " + MAX_STREAMS + " per connection", id);
      }
      session.subscribe(streams);
    } else {
      session.unsubscribe(streams);
    }
    return result(null, id);
  }

  private static String setProperty(List<JsonNode> args, Object id, Session session) {
    if (args.isEmpty() || !args.get(0).isTextual()) {
      return error(2, "Invalid request: property name must be a string", id);
    }
    if (args.size() > 2) {
      return error(2, "Invalid request: too many parameters", id);
    }
    if (!"combined".equals(args.get(0).asText())) {
      return error(0, "Unknown property", id);
    }
    if (args.size() < 2 || !args.get(1).isBoolean()) {
      return error(1, "Invalid value type: expected Boolean", id);
    }
    session.combined(args.get(1).asBoolean());
    return result(null, id);
  }

  private static String getProperty(List<JsonNode> args, Object id, Session session) {
    if (args.isEmpty() || !args.get(0).isTextual()) {
      return error(2, "Invalid request: property name must be a string", id);
    }
    if (args.size() > 1) {
      return error(2, "Invalid request: too many parameters", id);
    }
    if (!"combined".equals(args.get(0).asText())) {
      return error(0, "Unknown property", id);
    }
    return result(session.combined(), id);
  }

  /** Signed 64-bit integer, a short alphanumeric string, or null. */
  private static boolean validId(JsonNode id) {
    return id.isNull() || (id.isIntegralNumber() && id.canConvertToLong())
        || (id.isTextual() && STRING_ID.matcher(id.asText()).matches());
  }

  private static String result(Object value, Object id) {
    return new JsonObject().put("result", value).put("id", id).encode();
  }

  private static String error(int code, String msg, Object id) {
    JsonObject o = new JsonObject().put("code", code).put("msg", msg);
    if (id != null) {
      o.put("id", id);
    }
    return o.encode();
  }

  /**
   * "line L column C" just after the value of top-level {@code field}, or after the closing brace of the object
   * when {@code field} is null.
   */
  private static String position(String text, String field) {
    try (JsonParser p = MAPPER.getFactory().createParser(text)) {
      int depth = 0;
      boolean wanted = false;
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t.isStructStart()) {
          depth++;
        } else if (t.isStructEnd()) {
          depth--;
        }
        if (field != null && depth == 1 && t == JsonToken.FIELD_NAME) {
          wanted = field.equals(p.currentName());
        } else if (wanted && (depth == 1 && t.isScalarValue() || depth == 1 && t.isStructEnd())) {
          p.finishToken();  // strings are read lazily; the position must be after the closing quote
          return at(p.currentLocation());
        }
        if (field == null && depth == 0 && t.isStructEnd()) {
          return at(p.currentLocation());
        }
      }
    } catch (IOException e) {
      // the text already parsed once; fall through to a plain position
    }
    return "line 1 column " + text.length();
  }

  private static String at(JsonLocation loc) {
    // Jackson's column points at the next character (1-based); serde counts the characters read so far
    return "line " + loc.getLineNr() + " column " + (loc.getColumnNr() - 1);
  }
}
