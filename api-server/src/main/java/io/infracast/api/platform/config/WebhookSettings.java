package io.infracast.api.platform.config;

import io.infracast.api.platform.security.AddressBlocks;
import io.infracast.contract.ConfigException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How webhooks are delivered.
 *
 * @param timeout one attempt's limit, connecting included ({@code WEBHOOK_TIMEOUT_MS}; the product's 30 s)
 * @param maxAttempts attempts before a delivery fails ({@code WEBHOOK_MAX_ATTEMPTS})
 * @param retryBase the wait after the first failed attempt, doubled after each further one, with jitter
 *     ({@code WEBHOOK_RETRY_BASE_MS})
 * @param allowedNetworks when set, the only addresses webhooks may be sent to ({@code WEBHOOK_ALLOWED_NETWORKS});
 *     when not, any public address (never loopback, private, link-local and other special ranges)
 */
public record WebhookSettings(Duration timeout, int maxAttempts, Duration retryBase,
    Optional<AddressBlocks> allowedNetworks) {
  public static final String ALLOWED_NETWORKS = "WEBHOOK_ALLOWED_NETWORKS";
  public static final String TIMEOUT_MS = "WEBHOOK_TIMEOUT_MS";
  public static final String MAX_ATTEMPTS = "WEBHOOK_MAX_ATTEMPTS";
  public static final String RETRY_BASE_MS = "WEBHOOK_RETRY_BASE_MS";
  /** The longest wait between two attempts, however many failed. */
  public static final Duration RETRY_MAX = Duration.ofHours(1);

  static WebhookSettings read(Map<String, String> env) {
    return new WebhookSettings(
        Duration.ofMillis(number(env, TIMEOUT_MS, 30_000, 100, 30_000)),
        (int) number(env, MAX_ATTEMPTS, 8, 1, 20),
        Duration.ofMillis(number(env, RETRY_BASE_MS, 15_000, 100, RETRY_MAX.toMillis())),
        Optional.ofNullable(env.get(ALLOWED_NETWORKS)).filter(v -> !v.isBlank())
            .map(v -> AddressBlocks.parse(ALLOWED_NETWORKS, v)));
  }

  private static long number(Map<String, String> env, String name, long fallback, long min, long max) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ConfigException(name + " must be a whole number from " + min + " to " + max + ", got \""
        + (v.length() > 40 ? v.substring(0, 40) + "..." : v) + "\"");
  }

  @Override
  public String toString() {
    return "timeout=" + timeout.toMillis() + "ms, maxAttempts=" + maxAttempts + ", retryBase=" + retryBase.toMillis()
        + "ms, allowedNetworks=" + allowedNetworks.map(AddressBlocks::toString).orElse("public");
  }
}
