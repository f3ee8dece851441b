package io.infracast.contract;

import java.util.Map;

/**
 * A true/false setting, read the same way by the operator and the service: {@code true} or {@code false} in any
 * case, nothing else (no 1/0, yes/no), so a value one side accepts is never refused or read differently by the
 * other.
 */
public final class BooleanSetting {

  private static final int SHOWN_CHARACTERS = 20;

  private BooleanSetting() {}

  /** The value of {@code name} in {@code env}; {@code fallback} when unset or blank. */
  public static boolean read(Map<String, String> env, String name, boolean fallback) {
    var value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    var trimmed = value.trim();
    if (trimmed.equalsIgnoreCase("true")) {
      return true;
    }
    if (trimmed.equalsIgnoreCase("false")) {
      return false;
    }
    var shown = trimmed.length() > SHOWN_CHARACTERS ? trimmed.substring(0, SHOWN_CHARACTERS) + "..." : trimmed;
    throw new ConfigException(name + " must be true or false, got \"" + shown + "\"");
  }
}
