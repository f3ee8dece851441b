package io.infracast.operator;

import io.infracast.contract.BooleanSetting;
import io.infracast.contract.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's own configuration, from its environment (the Helm chart sets these).
 *
 * @param watchNamespaces namespaces to watch; empty means all
 * @param leaderElection whether replicas elect a leader through a Lease (on in a cluster)
 * @param leaseNamespace where the Lease lives
 * @param managementPort port of /healthz, /readyz and /metrics
 * @param resyncInterval longest time between two reconciles of an unchanged installation
 * @param waitingRecheck how soon an installation waiting for a user's Secret or a rollout slot is looked at again
 * @param maxConcurrentRollouts how many installations may migrate or roll out to a new version at once
 */
public record OperatorSettings(Set<String> watchNamespaces, boolean leaderElection, String leaseNamespace,
    int managementPort, Duration resyncInterval, Duration waitingRecheck, int maxConcurrentRollouts) {

  public static final String LEASE_NAME = "infracast-operator-leader";
  private static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  /**
   * Reads WATCH_NAMESPACES, LEADER_ELECTION, LEASE_NAMESPACE (else the pod's), MANAGEMENT_PORT,
   * RESYNC_SECONDS (600), WAITING_RECHECK_SECONDS (15) and MAX_CONCURRENT_ROLLOUTS (5).
   */
  public static OperatorSettings fromEnvironment(Map<String, String> env) {
    var namespaces = Arrays.stream(env.getOrDefault("WATCH_NAMESPACES", "").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    var leaderElection = BooleanSetting.read(env, "LEADER_ELECTION", true);
    var leaseNamespace = Optional.ofNullable(env.get("LEASE_NAMESPACE")).or(OperatorSettings::podNamespace)
        .orElse(null);
    if (leaderElection && leaseNamespace == null) {
      throw new ConfigException("LEADER_ELECTION is on but no namespace is known for its Lease: set"
          + " LEASE_NAMESPACE (in a cluster the pod's own namespace is used)");
    }
    return new OperatorSettings(namespaces, leaderElection, leaseNamespace,
        (int) parseNumber(env, "MANAGEMENT_PORT", 8081, 0, 65535),
        Duration.ofSeconds(parseNumber(env, "RESYNC_SECONDS", 600, 1, 86400)),
        Duration.ofSeconds(parseNumber(env, "WAITING_RECHECK_SECONDS", 15, 1, 3600)),
        (int) parseNumber(env, "MAX_CONCURRENT_ROLLOUTS", 5, 1, 1000));
  }

  private static long parseNumber(Map<String, String> env, String name, long fallback, long min, long max) {
    var value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      var number = Long.parseLong(value.trim());
      if (number < min || number > max) {
        throw new NumberFormatException();
      }
      return number;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a whole number from " + min + " to " + max + ", not '"
          + value + "'");
    }
  }

  private static Optional<String> podNamespace() {
    try {
      return Files.exists(SERVICE_ACCOUNT_NAMESPACE)
          ? Optional.of(Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim()) : Optional.empty();
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }
}
