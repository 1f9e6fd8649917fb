package io.candlebus.tail;

/**
 * A reason to stop for good rather than reconnect: the gateway refused the login or the bridge refused us, which
 * trying again would not change. The message is the whole line shown to the user (after "candlebus tail: ").
 */
public final class TailFailure extends RuntimeException {
  /** Refused by the gateway: wrong name or password, throttled, origin not allowed, address not allowed. */
  public static final int EXIT_REFUSED = 3;

  private final int exitCode;

  TailFailure(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  static TailFailure refused(String message) {
    return new TailFailure(EXIT_REFUSED, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
