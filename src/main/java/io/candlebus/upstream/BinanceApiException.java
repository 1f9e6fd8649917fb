package io.candlebus.upstream;

/** Binance answered a REST call with an error status; {@code code} is Binance's error code when it sent one. */
public final class BinanceApiException extends RuntimeException {
  private final int status;
  private final Integer code;

  public BinanceApiException(int status, Integer code, String message) {
    super("HTTP " + status + (code == null ? "" : " code " + code) + ": " + message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public Integer code() {
    return code;
  }
}
