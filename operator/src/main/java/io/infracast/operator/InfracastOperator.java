package io.infracast.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.infracast.contract.ConfigException;
import io.infracast.operator.data.aws.AwsClients;
import io.infracast.operator.reconciler.InstallationReconciler;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.AggregatedMetrics;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: configuration, leader election, metrics, health endpoints, then the reconciler. */
public final class InfracastOperator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InfracastOperator.class);

  private final Operator operator;
  private final ManagementServer management;
  /** Set while stopping on purpose: giving up the Lease then is expected, not a reason to exit. */
  private final AtomicBoolean stopping;

  /** This replica's identity in the Lease, null without leader election. */
  private final String identity;
  private final AwsClients aws;

  private InfracastOperator(Operator operator, ManagementServer management, AtomicBoolean stopping,
      String identity, AwsClients aws) {
    this.aws = aws;
    this.operator = operator;
    this.management = management;
    this.stopping = stopping;
    this.identity = identity;
  }

  public static void main(String[] args) {
    OperatorSettings settings;
    try {
      settings = OperatorSettings.fromEnvironment(System.getenv());
    } catch (ConfigException e) {
      log.error("invalid configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    try {
      var running = start(OperatorClient.builder(Config.autoConfigure(null)).build(), settings, Metrics.NOOP,
          true);
      Runtime.getRuntime().addShutdownHook(new Thread(running::close, "operator-shutdown"));
    } catch (IOException e) {
      log.error("cannot open the management port {}: {}", settings.managementPort(), e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Starts the operator against {@code client}; tests and the local runner call this directly. A replica that
   * loses its Lease stops reconciling; in a pod it also exits so that Kubernetes restarts it as a candidate, and
   * exits too when an informer stops (JOSDK's default).
   */
  public static InfracastOperator start(KubernetesClient client, OperatorSettings settings) throws IOException {
    return start(client, settings, Metrics.NOOP, false);
  }

  /** Embedded, with {@code also} told of every reconcile and event as the operator's own metrics are. */
  public static InfracastOperator start(KubernetesClient client, OperatorSettings settings, Metrics also)
      throws IOException {
    return start(client, settings, also, false);
  }

  private static InfracastOperator start(KubernetesClient client, OperatorSettings settings, Metrics also,
      boolean inPod) throws IOException {
    var stopping = new AtomicBoolean();
    var identity = settings.leaderElection().map(election -> uniqueIdentity(election.replicaName())).orElse(null);
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    var operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withMetrics(new AggregatedMetrics(List.of(MicrometerMetrics.withoutPerResourceMetrics(registry), also)))
          .withReconciliationTerminationTimeout(Duration.ofSeconds(20))
          .withCloseClientOnStop(false)
          // JOSDK updates ConfigMaps and Secrets by default, under the client's name; apply every owned object
          // instead, so that one field manager (the operator's) owns all of them.
          .withDefaultNonSSAResource(Set.of());
      if (!inPod) {
        // The framework's default exits the JVM when an informer stops (a 403 on its watch, say), which would take
        // an embedding JVM (tests, the local runner) with it; embedded, /readyz reports the informer instead.
        o.withInformerStoppedHandler((informer, error) -> {
          if (error != null) { // null: stopped with the operator
            log.error("the informer of {} stopped: {}", informer.getApiTypeClass().getSimpleName(),
                error.getMessage());
          }
        });
      }
      settings.leaderElection().ifPresent(election -> {
        // Never the framework's own exit: it calls System.exit inside our shutdown hook, which hangs the JVM.
        var onLostLease = inPod ? (Runnable) () -> exitUnlessStopping(stopping) : (Runnable) () -> { };
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(OperatorSettings.LEASE_NAME,
            election.leaseNamespace(), election.leaseDuration(), election.renewDeadline(), election.retryPeriod(),
            identity, new LeaderCallbacks(() -> log.info("leading as {}", identity), onLostLease, leader -> { }),
            false));
      });
    });
    var aws = new AwsClients(settings.aws());
    var reconciler = InstallationReconciler.create(client, settings, aws);
    InstallationMetrics.bindTo(registry, reconciler::cachedInstallations, Clock.systemUTC());
    operator.register(reconciler, o -> {
      o.withReconciliationMaxInterval(settings.resyncInterval());
      // Never give up on a failing installation (an API server outage can last minutes): back off to 2 minutes.
      o.withRetry(new GenericRetry().setInitialInterval(2_000).setIntervalMultiplier(1.5).setMaxInterval(120_000)
          .withoutMaxAttempts());
      if (settings.watchNamespaces().isEmpty()) {
        o.watchingAllNamespaces();
      } else {
        o.settingNamespaces(settings.watchNamespaces());
      }
    });
    var management = new ManagementServer(settings.managementPort(), operator, registry);
    operator.start();
    log.info("infracast operator started: namespaces={}, leaderElection={}, managementPort={}",
        settings.watchNamespaces().isEmpty() ? "all" : settings.watchNamespaces(),
        identity == null ? "off" : "as " + identity, management.port());
    return new InfracastOperator(operator, management, stopping, identity, aws);
  }

  /**
   * The replica's name plus a random part: two replicas may share a name (a reused host name, a pod recreated
   * under its name while the old process still holds the Lease), and with one identity both would lead.
   */
  private static String uniqueIdentity(String replicaName) {
    return replicaName + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A replica that lost its Lease exits, so that Kubernetes restarts it as a fresh candidate. */
  private static void exitUnlessStopping(AtomicBoolean stopping) {
    if (!stopping.get()) {
      log.error("lost the leader Lease; exiting so that this replica restarts as a candidate");
      new Thread(() -> System.exit(1), "lost-lease-exit").start();
    }
  }

  /** This replica's holder identity in the Lease; empty without leader election. */
  public Optional<String> identity() {
    return Optional.ofNullable(identity);
  }

  public int managementPort() {
    return management.port();
  }

  /** Stops reconciling (in-flight reconciles finish first), then the management endpoints. */
  @Override
  public void close() {
    stopping.set(true);
    operator.stop();
    management.close();
    aws.close();
    log.info("infracast operator stopped");
  }
}
