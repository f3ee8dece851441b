package io.infracast.api.platform.logging;

import com.fasterxml.jackson.core.JsonStreamContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.logstash.logback.mask.ValueMasker;

/**
 * Last line of defence for secrets in logs: every string value of every JSON log event (message, arguments,
 * stack traces) is scanned for the registered secret values (database password, JWT secret) and those are
 * replaced by {@code ****}. The code also avoids logging them in the first place; this catches what a library
 * might print (an exception message that echoes a connection string, for example).
 */
public final class SecretMasker implements ValueMasker {
  public static final String MASK = "****";
  private static final List<String> SECRETS = new CopyOnWriteArrayList<>();

  /** Registers a value to be masked in every later log event; values shorter than 4 characters are ignored. */
  public static void register(String secret) {
    if (secret != null && secret.length() >= 4 && !SECRETS.contains(secret)) {
      SECRETS.add(secret);
    }
  }

  public static String mask(String s) {
    if (s == null) {
      return null;
    }
    String out = s;
    for (String secret : SECRETS) {
      if (out.contains(secret)) {
        out = out.replace(secret, MASK);
      }
    }
    return out;
  }

  @Override
  public Object mask(JsonStreamContext context, Object value) {
    if (value instanceof CharSequence cs && !SECRETS.isEmpty()) {
      String s = cs.toString();
      String masked = mask(s);
      return masked.equals(s) ? null : masked;
    }
    return null;
  }
}
