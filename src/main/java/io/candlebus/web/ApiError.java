package io.candlebus.web;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** A request that cannot be answered as asked: the status and a message naming what was wrong. */
public final class ApiError extends RuntimeException {
  private final int status;
  private final long retryAfterMs;

  private ApiError(int status, String message, long retryAfterMs) {
    super(message, null, false, false);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }

  public static ApiError badParameter(String name, String problem) {
    return new ApiError(400, "parameter " + name + ": " + problem, 0);
  }

  public static ApiError unauthorized() {
    return new ApiError(401, "not logged in, or wrong username or password", 0);
  }

  public static ApiError forbidden(String message) {
    return new ApiError(403, message, 0);
  }

  public static ApiError notFound(String message) {
    return new ApiError(404, message, 0);
  }

  public static ApiError unsupportedMediaType(String message) {
    return new ApiError(415, message, 0);
  }

  public static ApiError tooManyRequests(String message, long retryAfterMs) {
    return new ApiError(429, message, retryAfterMs);
  }

  /** An error another verticle answered with its status (404, 409, 501...); anything else is 503. */
  public static ApiError of(int status, String message) {
    return new ApiError(status >= 400 && status <= 599 ? status : 503, message, 0);
  }

  public static ApiError unavailable(String message) {
    return new ApiError(503, message, 0);
  }

  /** The request's body as a JSON object, or null when it is none (empty, not JSON, an array...). */
  static JsonObject jsonBody(RoutingContext ctx) {
    try {
      return ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  public int status() {
    return status;
  }

  /** For 429: how long to wait, in ms (sent as {@code Retry-After} in seconds). */
  public long retryAfterMs() {
    return retryAfterMs;
  }
}
