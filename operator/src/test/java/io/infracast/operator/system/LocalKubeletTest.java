package io.infracast.operator.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.infracast.operator.api.v1alpha1.ImageSpec;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.testing.RealApiServer;
import io.infracast.operator.testing.kubelet.LocalKubelet;
import io.infracast.operator.testing.kubelet.LocalKubelet.PodEvent;
import io.infracast.testing.postgres.ThrowawayPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local kubelet against the real API server and a real PostgreSQL 15, running the real api-server jar: a
 * migration Job completes (and the schema is there), a failing one reports the process's last line, a Deployment
 * becomes available and serves /healthz, and a template change rolls without a gap. No operator runs here: the
 * objects are built as the operator builds them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalKubeletTest {
  private static final String NS = "local-kubelet-test";
  private static final String DB_SECRET = "db";
  private static final String CONFIG = "api-config";
  private static final String IMAGE = ImageSpec.DEFAULT_REPOSITORY + ":1.0.0-test";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  @TempDir
  static Path work;
  private static KubernetesClient client;
  private static ThrowawayPostgres postgres;
  private static LocalKubelet kubelet;
  private static String database;
  private static String skipReason;

  @BeforeAll
  static void start() {
    Path jar = LocalKubelet.defaultJar();
    if (!Files.isRegularFile(jar)) {
      skipReason = "no api-server jar at " + jar + ": build it first (mvn -B -q -pl api-server package -DskipTests)";
      return; // each test reports itself skipped with this reason (an aborted @BeforeAll shows no reason)
    }
    client = RealApiServer.newClient();
    client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).serverSideApply();
    // As the ServiceAccount controller (none runs here) would make it: the API server admits no pod without it.
    client.resource(new ServiceAccountBuilder().withNewMetadata().withName("default").withNamespace(NS).endMetadata()
        .build()).serverSideApply();
    postgres = ThrowawayPostgres.start();
    database = postgres.createDatabase("infracast");
    client.resource(secret(DB_SECRET, postgres.postgresUrl(database))).serverSideApply();
    client.resource(new ConfigMapBuilder().withNewMetadata().withName(CONFIG).withNamespace(NS).endMetadata()
        .withData(Map.of("API_PORT", "8080", "MIGRATE_ON_START", "false")).build()).serverSideApply();
    kubelet = LocalKubelet.start(client, NS, jar, work);
  }

  @BeforeEach
  void requireJar() {
    assumeTrue(skipReason == null, skipReason);
  }

  @AfterAll
  static void stop() {
    if (kubelet != null) {
      kubelet.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    if (client != null) {
      client.close();
    }
  }

  @Test
  @Order(0)
  void apiServerValidatesJobStatusAsTheKubeletAssumes() {
    // Not labelled for the kubelet: nothing runs it; only its status writes are tried here.
    Job job = client.resource(new JobBuilder(job("status-rules", "migrate", DB_SECRET, 0)).editMetadata()
        .withLabels(Map.of()).endMetadata().build()).create();
    String start = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS).toString();
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

    assertThatThrownBy(() -> writeJobStatus(job, new JobStatusBuilder().withStartTime(start).withCompletionTime(now)
        .withSucceeded(1).withConditions(jobCondition("Complete", now)).build()))
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("SuccessCriteriaMet");
    assertThatThrownBy(() -> writeJobStatus(job, new JobStatusBuilder().withStartTime(start).withFailed(1)
        .withConditions(jobCondition("Failed", now)).build()))
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("FailureTarget");
    assertThatThrownBy(() -> writeJobStatus(job, new JobStatusBuilder().withCompletionTime(now).withSucceeded(1)
        .withConditions(jobCondition("SuccessCriteriaMet", now), jobCondition("Complete", now)).build()))
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("startTime");
    assertThatThrownBy(() -> writeJobStatus(job, new JobStatusBuilder().withStartTime(start).withSucceeded(1)
        .withConditions(jobCondition("SuccessCriteriaMet", now), jobCondition("Complete", now)).build()))
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("completionTime");
    assertThatThrownBy(() -> writeJobStatus(job, new JobStatusBuilder().withStartTime(start).withActive(1)
        .withFailed(1).withConditions(jobCondition("FailureTarget", now), jobCondition("Failed", now)).build()))
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("active>0 is invalid for finished job");
    // What the kubelet writes passes; then the terminal condition is there for good.
    writeJobStatus(job, new JobStatusBuilder().withStartTime(start).withCompletionTime(now).withSucceeded(1)
        .withConditions(jobCondition("SuccessCriteriaMet", now), jobCondition("Complete", now)).build());
    assertThatThrownBy(() -> writeJobStatus(job, new JobStatusBuilder().withStartTime(start).withActive(1).build()))
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("cannot disable the terminal Complete=True");
    client.resource(job).delete();
  }

  @Test
  @Order(1)
  void migrationJobCompletesAndTheSchemaIsThere() {
    client.resource(job("migrate", "migrate", DB_SECRET, 2)).create();

    Job done = awaitJob("migrate", j -> hasTrue(j, "Complete") || hasTrue(j, "Failed"));

    assertThat(hasTrue(done, "Complete")).as("Job conditions: %s", done.getStatus().getConditions()).isTrue();
    assertThat(done.getStatus().getConditions()).extracting(JobCondition::getType)
        .containsExactly("SuccessCriteriaMet", "Complete");
    assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(done.getStatus().getStartTime()).isNotNull();
    assertThat(Instant.parse(done.getStatus().getCompletionTime()))
        .isAfterOrEqualTo(Instant.parse(done.getStatus().getStartTime()));
    assertThat(postgres.query(database,
        "SELECT string_agg(version, ',' ORDER BY installed_rank) FROM flyway_schema_history WHERE success"))
        .isEqualTo(LocalKubelet.jarMigrations());
    assertThat(postgres.query(database, "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
        + "'public' AND table_name IN ('accounts', 'tenants', 'users', 'tenant_memberships', 'audit_log')"))
        .isEqualTo("5");
  }

  @Test
  @Order(2)
  void failingJobLeavesFailedPodsWithTheTailOfTheirLogs() throws IOException {
    client.resource(secret("closed-db", "postgres://postgres:nope@127.0.0.1:" + closedPort() + "/infracast"))
        .serverSideApply();
    // Explicit env wins over envFrom: a short connect retry keeps the two attempts quick.
    client.resource(job("migrate-closed", "migrate", "closed-db", 1,
        new EnvVarBuilder().withName("DB_CONNECT_RETRY_SECONDS").withValue("1").build())).create();

    Job done = awaitJob("migrate-closed", j -> hasTrue(j, "Complete") || hasTrue(j, "Failed"));

    assertThat(done.getStatus().getConditions()).extracting(JobCondition::getType)
        .containsExactly("FailureTarget", "Failed");
    JobCondition failed = condition(done, "Failed").orElseThrow();
    assertThat(failed.getReason()).isEqualTo("BackoffLimitExceeded");
    assertThat(done.getStatus().getFailed()).isEqualTo(2);
    assertThat(done.getStatus().getCompletionTime()).isNull();
    assertThat(failed.getMessage()).as("the Job controller's words").isEqualTo(
        "Job has reached the specified backoff limit");
    List<Path> logs = kubelet.logFiles(NS, "migrate-closed");
    assertThat(logs).hasSize(2);
    List<Pod> pods = client.pods().inNamespace(NS).withLabel("batch.kubernetes.io/job-name", "migrate-closed").list()
        .getItems();
    assertThat(pods).as("one failed pod per attempt").hasSize(2);
    for (Pod pod : pods) {
      assertThat(pod.getMetadata().getLabels()).containsEntry("job-name", "migrate-closed");
      assertThat(pod.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getUid()).isEqualTo(done.getMetadata().getUid()));
      assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
      var terminated = pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
      assertThat(terminated.getExitCode()).isNotZero();
      assertThat(terminated.getReason()).isEqualTo("Error");
      // FallbackToLogsOnError: the log's tail, at most 80 lines and 2048 bytes.
      Path log = work.resolve(NS).resolve(pod.getMetadata().getName() + ".log");
      assertThat(logs).contains(log);
      assertThat(terminated.getMessage()).hasSizeLessThanOrEqualTo(2048).endsWith(lastLine(log))
          .contains("infracast-api: database unreachable at 127.0.0.1:");
      assertThat(terminated.getMessage().lines()).hasSizeLessThanOrEqualTo(80);
    }
  }

  @Test
  @Order(3)
  void deploymentBecomesAvailableAndServesHealthz() throws Exception {
    Deployment created = client.resource(deployment("api", List.of())).create();

    DeploymentStatus status = awaitDeployment("api", created.getMetadata().getGeneration(), s -> {});

    assertThat(status.getAvailableReplicas()).isEqualTo(1);
    assertThat(status.getReadyReplicas()).isEqualTo(1);
    assertThat(status.getUpdatedReplicas()).isEqualTo(1);
    assertThat(status.getReplicas()).isEqualTo(1);
    assertThat(deploymentCondition(status, "Available")).extracting(DeploymentCondition::getStatus,
        DeploymentCondition::getReason).containsExactly("True", "MinimumReplicasAvailable");
    URI endpoint = kubelet.endpointOf(NS, "api").orElseThrow();
    HttpResponse<String> health = get(endpoint.resolve("/healthz"));
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"ok\",\"db_connected\":true}");
  }

  @Test
  @Order(4)
  void templateChangeRollsWithTheNewPodReadyBeforeTheOldStops() throws Exception {
    String oldPod = kubelet.pods(NS, "api").get(0).name();
    Deployment changed = client.apps().deployments().inNamespace(NS).withName("api").edit(d -> new DeploymentBuilder(d)
        .editSpec().editTemplate().editSpec().editFirstContainer()
        .addToEnv(new EnvVarBuilder().withName("ROLLOUT_MARKER").withValue("2").build())
        .endContainer().endSpec().endTemplate().endSpec().build());
    AtomicInteger maxReplicas = new AtomicInteger();

    DeploymentStatus status = awaitDeployment("api", changed.getMetadata().getGeneration(),
        seen -> maxReplicas.accumulateAndGet(Objects.requireNonNullElse(seen.getReplicas(), 0), Math::max));

    assertThat(status.getReplicas()).isEqualTo(1);
    assertThat(status.getUpdatedReplicas()).isEqualTo(1);
    assertThat(status.getAvailableReplicas()).isEqualTo(1);
    assertThat(maxReplicas.get()).as("the surge pod counts in status.replicas").isEqualTo(2);
    String newPod = kubelet.pods(NS, "api").get(0).name();
    assertThat(newPod).isNotEqualTo(oldPod);
    List<PodEvent> events = kubelet.events();
    int newReady = indexOf(events, newPod, PodEvent.Type.READY);
    int oldStopping = indexOf(events, oldPod, PodEvent.Type.STOPPING);
    assertThat(newReady).as("new pod ready (%s) before the old one stops (%s):%n%s", newReady, oldStopping,
        describe(events)).isBetween(0, oldStopping);
    assertThat(get(kubelet.endpointOf(NS, "api").orElseThrow().resolve("/healthz")).statusCode()).isEqualTo(200);
    Awaitility.await().atMost(Duration.ofSeconds(45))
        .until(() -> indexOf(kubelet.events(), oldPod, PodEvent.Type.STOPPED) >= 0);
  }

  @Test
  @Order(5)
  void missingSecretKeepsTheJobWaitingUntilTheSecretExists() {
    client.resource(job("migrate-later", "migrate", "created-later", 0)).create();

    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> kubelet.pods(NS, "migrate-later").stream()
        .anyMatch(p -> "CreateContainerConfigError".equals(p.waitingReason())));
    assertThat(kubelet.pods(NS, "migrate-later").get(0).waitingMessage()).isEqualTo("secret \"created-later\" not found");
    assertThat(kubelet.pods(NS, "migrate-later").get(0).running()).isFalse();
    // The kubelet writes the Job's status after the pod's state, on the same tick: read it once it is there.
    Job waiting = awaitJob("migrate-later", j -> true);
    assertThat(waiting.getStatus().getActive()).isEqualTo(1);
    assertThat(waiting.getStatus().getConditions()).isNullOrEmpty();

    client.resource(secret("created-later", postgres.postgresUrl(database))).serverSideApply();

    assertThat(hasTrue(awaitJob("migrate-later", j -> hasTrue(j, "Complete") || hasTrue(j, "Failed")), "Complete"))
        .isTrue();
  }

  @Test
  @Order(6)
  void deletingTheDeploymentStopsItsProcesses() {
    String pod = kubelet.pods(NS, "api").get(0).name();

    client.apps().deployments().inNamespace(NS).withName("api").delete();

    Awaitility.await().atMost(Duration.ofSeconds(45))
        .until(() -> indexOf(kubelet.events(), pod, PodEvent.Type.STOPPED) >= 0);
    assertThat(kubelet.pods(NS, "api")).isEmpty();
    assertThat(kubelet.endpointOf(NS, "api")).isEmpty();
  }

  @Test
  @Order(7)
  void activeDeadlineKillsTheProcessAndFailsTheJob() {
    Job job = new JobBuilder(job("migrate-deadline", "migrate", "closed-db", 3,
        new EnvVarBuilder().withName("DB_CONNECT_RETRY_SECONDS").withValue("120").build()))
        .editSpec().withActiveDeadlineSeconds(3L).endSpec().build();
    client.resource(job).create();

    Job done = awaitJob("migrate-deadline", j -> hasTrue(j, "Failed"));

    assertThat(done.getStatus().getConditions()).extracting(JobCondition::getType, JobCondition::getReason)
        .containsExactly(tuple("FailureTarget", "DeadlineExceeded"), tuple("Failed", "DeadlineExceeded"));
    assertThat(done.getStatus().getFailed()).isEqualTo(1);
    assertThat(kubelet.pods(NS, "migrate-deadline")).allMatch(p -> !p.running());
  }

  @Test
  @Order(8)
  void deletingARunningJobKillsItsProcess() {
    client.resource(job("migrate-deleted", "migrate", "closed-db", 0,
        new EnvVarBuilder().withName("DB_CONNECT_RETRY_SECONDS").withValue("120").build())).create();
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> kubelet.pods(NS, "migrate-deleted").stream()
        .anyMatch(LocalKubelet.PodInfo::running));
    String pod = kubelet.pods(NS, "migrate-deleted").get(0).name();

    client.batch().v1().jobs().inNamespace(NS).withName("migrate-deleted").delete();

    Awaitility.await().atMost(Duration.ofSeconds(45))
        .until(() -> indexOf(kubelet.events(), pod, PodEvent.Type.STOPPED) >= 0);
  }

  @Test
  @Order(9)
  void crashingPodIsRestartedAndTheDeploymentIsNotAvailable() {
    // A configuration error makes the service exit at once (a database outage would not: it serves, not ready).
    Deployment crashing = new DeploymentBuilder(deployment("api-crashing", List.of())).editSpec().editTemplate()
        .editSpec().editFirstContainer().withEnv(List.of(secretEnv("DATABASE_URL", DB_SECRET),
            new EnvVarBuilder().withName("JWT_SECRET").withValue("too-short").build()))
        .endContainer().endSpec().endTemplate().endSpec().build();
    client.resource(crashing).create();

    Awaitility.await().atMost(START_TIMEOUT).until(() -> kubelet.pods(NS, "api-crashing").stream()
        .anyMatch(p -> p.restarts() >= 2));
    DeploymentStatus status = client.apps().deployments().inNamespace(NS).withName("api-crashing").get().getStatus();
    assertThat(status.getReplicas()).isEqualTo(1);
    assertThat(status.getAvailableReplicas()).isNull(); // zero: the API server omits it
    assertThat(status.getUnavailableReplicas()).isEqualTo(1);
    assertThat(deploymentCondition(status, "Available")).extracting(DeploymentCondition::getStatus,
        DeploymentCondition::getReason).containsExactly("False", "MinimumReplicasUnavailable");
    assertThat(deploymentCondition(status, "Progressing").getReason()).isEqualTo("ReplicaSetUpdated");
    assertThat(kubelet.endpointOf(NS, "api-crashing")).isEmpty();
    assertThat(kubelet.events()).filteredOn(e -> e.owner().equals("api-crashing") && e.type() == PodEvent.Type.EXITED)
        .first().extracting(PodEvent::detail).asString().startsWith("exit 2: ").contains("JWT_SECRET is too short");
    client.resource(crashing).delete();
  }

  // --- objects built as the operator builds them ---

  private static Secret secret(String name, String databaseUrl) {
    return new SecretBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withStringData(Map.of("DATABASE_URL", databaseUrl,
            "JWT_SECRET", "local-kubelet-test-jwt-secret-of-at-least-32-bytes"))
        .build();
  }

  private static Container container(String command, String dbSecret, List<EnvVar> extraEnv, boolean probe) {
    List<EnvVar> env = new ArrayList<>(extraEnv);
    env.add(secretEnv("DATABASE_URL", dbSecret));
    env.add(secretEnv("JWT_SECRET", dbSecret));
    ContainerBuilder c = new ContainerBuilder().withName("api").withImage(IMAGE).withArgs(command)
        .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
        .withEnv(env)
        .addNewEnvFrom().withNewConfigMapRef().withName(CONFIG).endConfigMapRef().endEnvFrom();
    if (probe) {
      c.withNewReadinessProbe().withNewHttpGet().withPath("/healthz").withNewPort("http").endHttpGet()
          .withPeriodSeconds(5).withTimeoutSeconds(3).withFailureThreshold(2).endReadinessProbe();
    }
    return c.build();
  }

  private static EnvVar secretEnv(String name, String secret) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(name)
        .endSecretKeyRef().endValueFrom().build();
  }

  private static Job job(String name, String command, String dbSecret, int backoffLimit, EnvVar... extraEnv) {
    return new JobBuilder().withNewMetadata().withName(name).withNamespace(NS)
        .withLabels(Map.of(InstallationLabels.MANAGED_BY, InstallationLabels.OPERATOR_NAME)).endMetadata()
        .withNewSpec().withBackoffLimit(backoffLimit).withActiveDeadlineSeconds(300L)
          .withNewTemplate().withNewSpec().withRestartPolicy("Never")
            .withContainers(new ContainerBuilder(container(command, dbSecret, List.of(extraEnv), false))
                .withTerminationMessagePolicy("FallbackToLogsOnError").build())
          .endSpec().endTemplate()
        .endSpec().build();
  }

  private static Deployment deployment(String name, List<EnvVar> extraEnv) {
    Map<String, String> labels = Map.of("app.kubernetes.io/name", "infracast", "app.kubernetes.io/component", "api");
    return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NS)
        .withLabels(Map.of(InstallationLabels.MANAGED_BY, InstallationLabels.OPERATOR_NAME)).endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(labels).endSelector()
          .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate().withNewMaxUnavailable(0)
            .withNewMaxSurge(1).endRollingUpdate().endStrategy()
          .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
            .withNewSpec().withContainers(container("serve", DB_SECRET, extraEnv, true)).endSpec()
          .endTemplate()
        .endSpec().build();
  }

  // --- waiting and reading ---

  private static Job awaitJob(String name, Predicate<Job> done) {
    try {
      return Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250))
          .until(() -> client.batch().v1().jobs().inNamespace(NS).withName(name).get(),
              j -> j != null && j.getStatus() != null && done.test(j));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("Job " + name + ": " + client.batch().v1().jobs().inNamespace(NS).withName(name).get()
          .getStatus() + "\n" + describe(kubelet.events()), e);
    }
  }

  /**
   * Waits for a rolled-out Deployment (observedGeneration, all replicas updated and available, Progressing with
   * NewReplicaSetAvailable); {@code observer} sees every status polled on the way.
   */
  private static DeploymentStatus awaitDeployment(String name, long generation,
      Consumer<DeploymentStatus> observer) {
    try {
      return Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
          .until(() -> Optional.ofNullable(client.apps().deployments().inNamespace(NS).withName(name).get())
              .map(Deployment::getStatus).orElse(null), s -> s != null && observed(observer, s)
              && Objects.equals(s.getObservedGeneration(), generation)
              && Objects.equals(s.getUpdatedReplicas(), 1) && Objects.equals(s.getReplicas(), 1)
              && Objects.equals(s.getAvailableReplicas(), 1)
              && "NewReplicaSetAvailable".equals(deploymentCondition(s, "Progressing").getReason()));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("Deployment " + name + ": " + client.apps().deployments().inNamespace(NS).withName(name)
          .get().getStatus() + "\n" + describe(kubelet.events()), e);
    }
  }

  private static boolean observed(Consumer<DeploymentStatus> observer, DeploymentStatus status) {
    observer.accept(status);
    return true;
  }

  private static void writeJobStatus(Job job, JobStatus status) {
    Job current = client.batch().v1().jobs().inNamespace(NS).withName(job.getMetadata().getName()).get();
    client.resource(new JobBuilder(current).withStatus(status).build()).updateStatus();
  }

  private static JobCondition jobCondition(String type, String time) {
    return new JobConditionBuilder().withType(type).withStatus("True").withReason("Test").withMessage("test")
        .withLastProbeTime(time).withLastTransitionTime(time).build();
  }

  private static boolean hasTrue(Job job, String type) {
    return condition(job, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    return Optional.ofNullable(job.getStatus()).map(s -> s.getConditions()).orElse(List.of()).stream()
        .filter(c -> type.equals(c.getType())).findFirst();
  }

  private static DeploymentCondition deploymentCondition(DeploymentStatus status, String type) {
    return Objects.requireNonNullElse(status.getConditions(), List.<DeploymentCondition>of()).stream()
        .filter(c -> type.equals(c.getType())).findFirst().orElse(new DeploymentCondition());
  }

  private static int indexOf(List<PodEvent> events, String pod, PodEvent.Type type) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).pod().equals(pod) && events.get(i).type() == type) {
        return i;
      }
    }
    return -1;
  }

  private static String describe(List<PodEvent> events) {
    return events.stream().map(e -> e.at() + " " + e.pod() + " " + e.type() + (e.detail() == null ? ""
        : " " + e.detail())).collect(Collectors.joining("\n"));
  }

  private static String lastLine(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
  }

  private static int closedPort() {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort(); // closed again when this returns: nothing listens there
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
