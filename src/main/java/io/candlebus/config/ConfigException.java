package io.candlebus.config;

/** A bad configuration value. Its message is the one line printed before candlebus exits. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
