package io.infracast.contract;

/**
 * A setting is missing or malformed. The message is one line meant for an operator: it names the setting and
 * never contains a secret (no password, no JWT secret).
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
