package io.candlebus.simulator;

/** A Binance REST error: HTTP status plus {@code {"code":..,"msg":..}}. */
final class BinanceError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final int code;

  BinanceError(int status, int code, String msg) {
    super(msg, null, false, false);
    this.status = status;
    this.code = code;
  }

  static BinanceError badRequest(int code, String msg) {
    return new BinanceError(400, code, msg);
  }

  static BinanceError invalidSymbol() {
    return badRequest(-1121, "Invalid symbol.");
  }

  static BinanceError mandatory(String param) {
    return badRequest(-1102, "Mandatory parameter '" + param + "' was not sent, was empty/null, or malformed.");
  }

  int status() {
    return status;
  }

  int code() {
    return code;
  }
}
