package io.infracast.operator;

import io.infracast.contract.BooleanSetting;
import io.infracast.contract.ConfigException;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The operator's own configuration, from its environment (the Helm chart sets these).
 *
 * @param watchNamespaces namespaces to watch; empty means all
 * @param leaderElection how replicas elect a leader through a Lease (on in a cluster); empty when off
 * @param managementPort port of /healthz, /readyz and /metrics
 * @param resyncInterval longest time between two reconciles of an unchanged installation
 * @param waitingRecheck how soon an installation waiting for a user's Secret (or ACK, AWS, a deletion) is looked at
 *     again; one waiting for a rollout slot is woken when a slot frees, not rechecked
 * @param maxConcurrentRollouts how many installations that serve may migrate or roll out at once
 * @param maxConcurrentFirstInstalls how many installations that serve nobody yet may migrate or roll out at once
 * @param deletionTimeout the longest a deleted installation waits for AWS to delete its database (deletionPolicy
 *     Snapshot or Delete) before the operator lets it go, with a Warning saying what is left
 * @param aws how the operator reaches AWS (Secrets Manager, and S3 to check external buckets)
 */
public record OperatorSettings(Set<String> watchNamespaces, Optional<LeaderElection> leaderElection,
    int managementPort, Duration resyncInterval, Duration waitingRecheck, int maxConcurrentRollouts,
    int maxConcurrentFirstInstalls, Duration deletionTimeout, Aws aws) {

  public static final String LEASE_NAME = "infracast-operator-leader";
  /**
   * First installs at once: each is a migration Job and then a Deployment of pods starting, which the API server
   * takes easily but the nodes must schedule; 50 keeps a 1,000-tenant onboarding to about 20 waves (bench/fleet).
   */
  public static final int DEFAULT_FIRST_INSTALLS = 50;
  private static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  /**
   * Leader election through the Lease {@link #LEASE_NAME}.
   *
   * @param leaseNamespace where the Lease lives
   * @param replicaName this replica's name (the pod's); the identity in the Lease adds a random part to it
   * @param leaseDuration how long followers wait after the leader's last renewal before taking over
   * @param renewDeadline how long the leader keeps trying to renew before it stops leading
   * @param retryPeriod how often the leader renews and followers try to acquire
   */
  public record LeaderElection(String leaseNamespace, String replicaName, Duration leaseDuration,
      Duration renewDeadline, Duration retryPeriod) {}

  /**
   * AWS access. The region of each call is the resource's own (a secret ARN's region, artifacts.region).
   *
   * @param endpoint where every AWS call goes instead of AWS (an emulator such as moto); S3 then uses path-style
   *     addresses
   * @param reread how often a Secrets Manager secret is read again and an external bucket checked again
   * @param credentials the SDK's default chain in a cluster: IRSA's web identity token, then the environment
   */
  public record Aws(Optional<URI> endpoint, Duration reread, AwsCredentialsProvider credentials) {}

  /**
   * Reads WATCH_NAMESPACES, LEADER_ELECTION, LEASE_NAMESPACE (else the pod's), LEASE_DURATION_SECONDS (15),
   * LEASE_RENEW_DEADLINE_SECONDS (10), LEASE_RETRY_PERIOD_SECONDS (2), POD_NAME (else HOSTNAME), MANAGEMENT_PORT,
   * RESYNC_SECONDS (600), WAITING_RECHECK_SECONDS (15), MAX_CONCURRENT_ROLLOUTS (5), MAX_CONCURRENT_FIRST_INSTALLS
   * (50), DELETION_TIMEOUT_SECONDS (1800: RDS takes minutes to take a final snapshot and delete an instance),
   * AWS_ENDPOINT_URL (none) and AWS_REREAD_SECONDS (300).
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
    // Read even when off, so that a typo shows before leader election is turned on.
    var lease = leaderElection(env, leaseNamespace);
    return new OperatorSettings(namespaces, leaderElection ? Optional.of(lease) : Optional.empty(),
        (int) parseNumber(env, "MANAGEMENT_PORT", 8081, 0, 65535),
        Duration.ofSeconds(parseNumber(env, "RESYNC_SECONDS", 600, 1, 86400)),
        Duration.ofSeconds(parseNumber(env, "WAITING_RECHECK_SECONDS", 15, 1, 3600)),
        (int) parseNumber(env, "MAX_CONCURRENT_ROLLOUTS", 5, 1, 1000),
        (int) parseNumber(env, "MAX_CONCURRENT_FIRST_INSTALLS", DEFAULT_FIRST_INSTALLS, 1, 10000),
        Duration.ofSeconds(parseNumber(env, "DELETION_TIMEOUT_SECONDS", 1800, 1, 604800)),
        new Aws(endpoint(env), Duration.ofSeconds(parseNumber(env, "AWS_REREAD_SECONDS", 300, 1, 86400)),
            DefaultCredentialsProvider.builder().build()));
  }

  /** AWS_ENDPOINT_URL, the SDK's own name for it, checked here so that a typo stops the operator with one line. */
  private static Optional<URI> endpoint(Map<String, String> env) {
    var value = env.get("AWS_ENDPOINT_URL");
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      var uri = new URI(value.trim());
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return Optional.of(uri);
      }
    } catch (URISyntaxException e) {
      // said below
    }
    throw new ConfigException("AWS_ENDPOINT_URL must be an http or https URL such as http://localhost:5000, not '"
        + value + "'");
  }

  /**
   * JOSDK's timings unless set. A leader must give up (renew deadline) before followers may take over (lease
   * duration), and must get to retry its renewal at least once before that deadline.
   */
  private static LeaderElection leaderElection(Map<String, String> env, String leaseNamespace) {
    var duration = parseNumber(env, "LEASE_DURATION_SECONDS",
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE.toSeconds(), 1, 3600);
    var renewDeadline = parseNumber(env, "LEASE_RENEW_DEADLINE_SECONDS",
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE.toSeconds(), 1, 3600);
    var retryPeriod = parseNumber(env, "LEASE_RETRY_PERIOD_SECONDS",
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE.toSeconds(), 1, 3600);
    if (renewDeadline >= duration) {
      throw new ConfigException("LEASE_RENEW_DEADLINE_SECONDS (" + renewDeadline + ") must be less than"
          + " LEASE_DURATION_SECONDS (" + duration + "): a leader must stop before another replica may take over");
    }
    // fabric8's leader elector waits up to retryPeriod * (1 + 1.2 jitter) between two renewals and refuses to
    // start, with a stack trace, unless the deadline leaves room for one: check it here with one clear line.
    if (renewDeadline <= retryPeriod * 2.2) {
      throw new ConfigException("LEASE_RENEW_DEADLINE_SECONDS (" + renewDeadline + ") must be more than 2.2 times"
          + " LEASE_RETRY_PERIOD_SECONDS (" + retryPeriod + "): a leader must get to retry a failed renewal, with"
          + " up to 120 % jitter, before it gives up");
    }
    return new LeaderElection(leaseNamespace, replicaName(env), Duration.ofSeconds(duration),
        Duration.ofSeconds(renewDeadline), Duration.ofSeconds(retryPeriod));
  }

  /** The pod's name (POD_NAME, from the downward API), else the host's; never blank. */
  private static String replicaName(Map<String, String> env) {
    return Stream.of(env.get("POD_NAME"), env.get("HOSTNAME")).filter(n -> n != null && !n.isBlank())
        .map(String::trim).findFirst().orElse("infracast-operator");
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
