package io.candlebus.web;

/** A request that cannot be answered as asked: the status and a message naming what was wrong. */
public final class ApiError extends RuntimeException {
  private final int status;

  private ApiError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public static ApiError badParameter(String name, String problem) {
    return new ApiError(400, "parameter " + name + ": " + problem);
  }

  public static ApiError notFound(String message) {
    return new ApiError(404, message);
  }

  public static ApiError unavailable(String message) {
    return new ApiError(503, message);
  }

  public int status() {
    return status;
  }
}
