package io.infracast.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.infracast.operator.InfracastOperator;
import io.infracast.operator.OperatorClient;
import io.infracast.operator.OperatorSettings;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.InfracastInstallationSpec;
import io.infracast.operator.api.v1alpha1.MigrationSpec;
import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.dependent.MigrationJobDependentResource;
import io.infracast.operator.testing.aws.MotoAccess;
import io.infracast.testing.aws.MotoServer;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Runs the real operator in-process against the shared real API server, in a namespace of the test class's own,
 * with the fake Deployment controller. {@link #writes} sees every write the operator makes.
 */
public abstract class OperatorTestBase {

  protected static KubernetesClient client;
  protected static String namespace;
  protected static WriteCounter writes;
  protected static FakeDeploymentController deployments;
  protected static FakeJobController jobs;
  /** API faults for the operator's client, with {@code @OperatorConfig(apiFaults = true)}. */
  protected static ApiFaults faults;
  /** AWS, emulated, with {@code @OperatorConfig(moto = true)}. */
  protected static MotoServer moto;
  private static OperatorConfig config;
  private static KubernetesClient operatorClient;
  private static InfracastOperator operator;
  /** Reconciles by installation (namespace/name), as JOSDK reports them to the operator's metrics. */
  private static final Map<String, AtomicLong> reconciles = new ConcurrentHashMap<>();
  private static final Metrics RECONCILE_COUNTER = new Metrics() {
    @Override
    public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
      reconciles.computeIfAbsent(resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName(),
          k -> new AtomicLong()).incrementAndGet();
    }
  };

  @BeforeAll
  static void startOperator(org.junit.jupiter.api.TestInfo info) throws IOException {
    var testClass = info.getTestClass().orElseThrow();
    config = testClass.isAnnotationPresent(OperatorConfig.class) ? testClass.getAnnotation(OperatorConfig.class)
        : Defaults.class.getAnnotation(OperatorConfig.class);
    client = RealApiServer.newClient();
    RealApiServer.applyCrd(client, RealApiServer.COMMITTED_CRD);
    namespace = testClass.getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2")
        .toLowerCase(Locale.ROOT);
    client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();
    writes = new WriteCounter();
    if (config.apiFaults()) {
      faults = new ApiFaults();
    }
    if (config.fakeControllers()) {
      deployments = new FakeDeploymentController(client, namespace);
      jobs = new FakeJobController(client, namespace);
    }
    if (config.moto()) {
      moto = MotoServer.start();
    }
    startOperatorProcess();
  }

  /** Starts (or starts again, as after a crash) the operator. */
  protected static void startOperatorProcess() throws IOException {
    operatorClient = newOperatorClient();
    operator = startOperator(operatorClient);
  }

  protected static KubernetesClient newOperatorClient() {
    return newOperatorClient(writes);
  }

  /** A client whose requests {@code counter} records, for a replica whose writes are told apart. */
  protected static KubernetesClient newOperatorClient(WriteCounter counter) {
    var clientConfig = Config.fromKubeconfig(RealApiServer.kubeConfigYaml());
    if (config.requestTimeoutSeconds() > 0) {
      clientConfig.setRequestTimeout(config.requestTimeoutSeconds() * 1000);
    }
    return OperatorClient.builder(clientConfig)
        .withHttpClientBuilderConsumer(b -> {
          b.addOrReplaceInterceptor("write-counter", counter);
          if (faults != null) {
            b.addOrReplaceInterceptor("api-faults", faults);
          }
        })
        .build();
  }

  /** One more operator replica on {@code operatorClient}; the caller closes both. */
  protected static InfracastOperator startOperator(KubernetesClient operatorClient) throws IOException {
    var election = Optional.of(new OperatorSettings.LeaderElection(namespace, "test-replica", LEASE_DURATION,
        Duration.ofSeconds(4), LEASE_RETRY_PERIOD)).filter(e -> config.leaderElection());
    var reread = Duration.ofSeconds(config.awsRereadSeconds());
    return InfracastOperator.start(operatorClient, new OperatorSettings(Set.of(namespace), election, 0,
        Duration.ofSeconds(config.resyncSeconds()), Duration.ofSeconds(config.waitingRecheckSeconds()),
        config.maxConcurrentRollouts(), config.maxConcurrentFirstInstalls(),
        Duration.ofSeconds(config.deletionTimeoutSeconds()),
        moto != null ? MotoAccess.of(moto, reread) : MotoAccess.noCredentials(reread)), RECONCILE_COUNTER);
  }

  /** Short leases (renew deadline 4 s), so that a handover takes seconds; every replica here names itself alike. */
  protected static final Duration LEASE_DURATION = Duration.ofSeconds(6);
  protected static final Duration LEASE_RETRY_PERIOD = Duration.ofSeconds(1);

  @OperatorConfig
  private static final class Defaults {}

  protected static int operatorManagementPort() {
    return operator.managementPort();
  }

  protected static void stopOperatorProcess() {
    operator.close();
    operatorClient.close();
  }

  /**
   * Stops the operator as a crash would: its connection goes first, so it can neither write nor give up its
   * Lease, and only then is what is left of it shut down.
   */
  protected static void crashOperatorProcess() {
    operatorClient.close();
    operator.close();
  }

  /** The identity of the replica {@link #startOperatorProcess} started, as the Lease names its holder. */
  protected static String operatorIdentity() {
    return operator.identity().orElseThrow();
  }

  @AfterAll
  static void stopOperator() {
    stopOperatorProcess();
    if (config.fakeControllers()) {
      deployments.close();
      jobs.close();
    }
    if (faults != null) {
      faults.close();
      faults = null;
    }
    if (moto != null) {
      moto.close();
      moto = null;
    }
    client.close();
  }

  /** Changes the spec as a user would, retrying when the operator's status write got there first. */
  protected static void editSpec(String name, java.util.function.Consumer<InfracastInstallationSpec> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        installation(name).edit(i -> {
          change.accept(i.getSpec());
          return i;
        });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** What a user does to retry a failed migration: spec.migration.retry set to {@code retry}. */
  protected static void raiseRetry(String name, int retry) {
    editSpec(name, spec -> {
      var migration = new MigrationSpec();
      migration.setRetry(retry);
      spec.setMigration(migration);
    });
  }

  /** Time for one installation to get somewhere on a loaded 2-core CI machine. */
  /** What the operator did for one installation in 5 s once its status had settled. */
  protected record QuietWindow(long reconciles, long statusWrites, long events) {}

  /**
   * Waits until the installation's status stops changing, then counts its reconciles, status writes and Events
   * for 5 s.
   */
  protected static QuietWindow quietWindow(String name) throws InterruptedException {
    var statusPath = "/infracastinstallations/" + name + "/status";
    await().atMost(TIMEOUT).pollDelay(Duration.ofSeconds(1)).until(() -> {
      var before = writes.writes().stream().filter(w -> w.endsWith(statusPath)).count();
      Thread.sleep(1500);
      return writes.writes().stream().filter(w -> w.endsWith(statusPath)).count() == before;
    });
    var eventsBefore = eventCount(name);
    var reconcilesBefore = reconciles(name);
    writes.reset();
    Thread.sleep(5000);
    return new QuietWindow(reconciles(name) - reconcilesBefore,
        writes.writes().stream().filter(w -> w.endsWith(statusPath)).count(), eventCount(name) - eventsBefore);
  }

  /** Reconciles of the installation so far, by any operator replica this class started. */
  protected static long reconciles(String name) {
    return reconciles.getOrDefault(namespace + "/" + name, new AtomicLong()).get();
  }

  private static long eventCount(String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName())).count();
  }

  protected static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Creates an installation (and its database Secret) at {@code version} and waits until it serves it. */
  protected static InfracastInstallation readyAt(String name, String version) {
    client.resource(Installations.databaseSecret(namespace, name)).serverSideApply();
    var installation = Installations.development(namespace, name);
    installation.getSpec().setVersion(version);
    client.resource(installation).create();
    awaitVersionServed(name, version);
    return installation(name).get();
  }

  protected static void awaitVersionServed(String name, String version) {
    await().atMost(TIMEOUT).untilAsserted(() -> {
      var status = installation(name).get().getStatus();
      assertThat(status).isNotNull();
      assertThat(status.getPhase()).isEqualTo(Phase.Ready);
      assertThat(status.getVersion()).isEqualTo(version);
      assertThat(status.getSchemaVersion()).isEqualTo(version);
    });
  }

  /** The image of the installation's API Deployment. */
  protected static String image(String name) {
    return client.apps().deployments().inNamespace(namespace).withName(name + "-api").get()
        .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  protected static List<Job> migrationJobs(String name, String version) {
    return client.batch().v1().jobs().inNamespace(namespace)
        .withLabel(InstallationLabels.INSTANCE, name)
        .withLabel(MigrationJobDependentResource.TARGET_VERSION_LABEL, version).list().getItems();
  }

  protected static Condition condition(String name, String type) {
    return installation(name).get().getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  protected static Resource<InfracastInstallation> installation(String name) {
    return client.resources(InfracastInstallation.class).inNamespace(namespace).withName(name);
  }
}
