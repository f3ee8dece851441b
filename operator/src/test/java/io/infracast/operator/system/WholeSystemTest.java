package io.infracast.operator.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.infracast.operator.api.v1alpha1.ApiSpec;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.InfracastInstallationStatus;
import io.infracast.operator.api.v1alpha1.MigrationSpec;
import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorConfig;
import io.infracast.operator.testing.OperatorTestBase;
import io.infracast.operator.testing.kubelet.LocalKubelet;
import io.infracast.operator.testing.kubelet.LocalKubelet.PodEvent;
import io.infracast.testing.postgres.ThrowawayPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's env contract against the real service: the local kubelet runs the migration Job's container
 * (the api-server's `migrate`) and the Deployment's pods (`serve`) as real processes against a real PostgreSQL,
 * and the installation is driven through its CR as a user would.
 */
@OperatorConfig(fakeControllers = false)
class WholeSystemTest extends OperatorTestBase {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static ThrowawayPostgres postgres;
  private static LocalKubelet kubelet;

  @BeforeAll
  static void startPodsAndDatabase() throws Exception {
    var jar = LocalKubelet.defaultJar();
    assertThat(jar).as("the api-server jar; build it with mvn -pl api-server package").exists();
    postgres = ThrowawayPostgres.start();
    kubelet = LocalKubelet.start(client, namespace, jar, Files.createTempDirectory("whole-system-"));
  }

  @AfterAll
  static void stopPodsAndDatabase() {
    kubelet.close();
    postgres.close();
  }

  /** A development installation on its own database; the service gives up on a dead database after 1 s. */
  private static InfracastInstallation installation(String name, String version) {
    var database = postgres.createDatabase(name.replace('-', '_'));
    client.resource(new SecretBuilder().withNewMetadata().withName(Installations.databaseSecretName(name))
        .withNamespace(namespace).endMetadata()
        .withStringData(Map.of("DATABASE_URL", postgres.postgresUrl(database))).build()).serverSideApply();
    var installation = Installations.development(namespace, name);
    installation.getSpec().setVersion(version);
    var api = new ApiSpec();
    api.setEnv(List.of(new EnvVar("DB_CONNECT_RETRY_SECONDS", "1", null)));
    installation.getSpec().setApi(api);
    var migration = new MigrationSpec();
    migration.setBackoffLimit(0);
    installation.getSpec().setMigration(migration);
    return installation;
  }

  private static void awaitServing(String name, String version) {
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      var status = installation(name).get().getStatus();
      assertThat(status).isNotNull();
      assertThat(status.getPhase()).isEqualTo(Phase.Ready);
      assertThat(status.getVersion()).isEqualTo(version);
    });
  }

  private static HttpResponse<String> healthz(String name) throws Exception {
    URI endpoint = kubelet.endpointOf(namespace, name + "-api").orElseThrow();
    return HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/healthz")).timeout(Duration.ofSeconds(3)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * 1.0.0 to 1.1.0 is a real upgrade: the local kubelet runs 1.1.0 as a newer build that adds migration V100
   * (table release_1_1_0). The Job applies it while the 1.0.0 pod keeps answering; a 1.1.0 pod is ready only once
   * V100 is applied, and one started early against the 1.0.0 schema says why it is not.
   */
  @Test
  void anUpgradeMigratesWhileTheOldVersionServesAndTheNewOneNeedsIt() throws Exception {
    client.resource(installation("acme", "1.0.0")).create();

    awaitServing("acme", "1.0.0");
    var health = healthz("acme");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"ok\",\"db_connected\":true}");
    assertThat(appliedMigrations("acme")).as("migrations applied by the 1.0.0 Job")
        .isEqualTo(LocalKubelet.jarMigrations());
    assertThat(installation("acme").get().getStatus().getSchemaVersion()).isEqualTo("1.0.0");
    String oldPod = kubelet.pods(namespace, "acme-api").get(0).name();

    try (var probe = ServingProbe.start(kubelet, namespace, "acme-api", "/healthz", "/api/v1/version")) {
      // The new build against the old schema, as `kubectl set image` without the migration would run it.
      var early = startEarly("acme", "1.1.0");
      var notReady = awaitNotReady(early);
      assertThat(notReady.body()).isEqualTo("{\"status\":\"not_ready\",\"db_connected\":true,"
          + "\"reason\":\"database schema is at version " + lastOf(LocalKubelet.jarMigrations()) + ", this binary needs "
          + LocalKubelet.NEWER_BUILD_MIGRATION + ": run migrate\"}");

      editSpec("acme", spec -> spec.setVersion("1.1.0"));
      awaitServing("acme", "1.1.0");

      var job = client.batch().v1().jobs().inNamespace(namespace).withName("acme-migrate-1-1-0").get();
      assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
      assertThat(appliedMigrations("acme")).as("the 1.1.0 Job applied V100")
          .isEqualTo(LocalKubelet.jarMigrations() + "," + LocalKubelet.NEWER_BUILD_MIGRATION);
      assertThat(postgres.query("acme", "select to_regclass('public.release_1_1_0') is not null")).isEqualTo("t");
      Instant jobStarted = event("acme-migrate-1-1-0", null, PodEvent.Type.STARTED).at();
      Instant jobEnded = event("acme-migrate-1-1-0", null, PodEvent.Type.EXITED).at();
      Instant overlayApplied = Instant.ofEpochMilli(Math.round(1000 * Double.parseDouble(postgres.query("acme",
          "select extract(epoch from installed_on) from flyway_schema_history where version = '100'"))));

      var pods = kubelet.pods(namespace, "acme-api");
      assertThat(pods).hasSize(1).allSatisfy(pod -> {
        assertThat(pod.image()).endsWith(":1.1.0");
        assertThat(pod.ready()).isTrue();
        assertThat(event("acme-api", pod.name(), PodEvent.Type.READY).at())
            .as("the new pod is ready only after the migration").isAfter(jobEnded).isAfter(overlayApplied);
      });
      assertThat(healthz("acme").statusCode()).isEqualTo(200);

      // The early pod needed nothing but the migration: ready now, never restarted.
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(kubelet.pods(namespace, early)).singleElement()
          .satisfies(pod -> assertThat(pod.ready()).isTrue()).satisfies(pod -> assertThat(pod.restarts()).isZero()));
      client.apps().deployments().inNamespace(namespace).withName(early).delete();

      probe.stop();
      assertThat(probe.failures()).as("failed probes of acme-api during the upgrade").isEmpty();
      assertThat(probe.longestSilence()).as("longest time without an answer").isLessThan(Duration.ofSeconds(3));
      var whileMigrating = probe.answers().stream()
          .filter(a -> a.at().isAfter(jobStarted) && a.at().isBefore(jobEnded)).toList();
      assertThat(whileMigrating).as("the 1.0.0 pod answered while the Job ran").isNotEmpty()
          .allSatisfy(a -> assertThat(a.pod()).isEqualTo(oldPod))
          .allSatisfy(a -> assertThat(a.image()).endsWith(":1.0.0"));
    }
  }

  /**
   * Status lost as a backup restore loses it, the migration Jobs gone with their TTL and the ledger deleted too:
   * the pods answer throughout, none is replaced, no migration runs, and the installation is Ready again.
   */
  @Test
  void aLostStatusKeepsTheTenantServing() throws Exception {
    client.resource(installation("gamma", "1.0.0")).create();
    awaitServing("gamma", "1.0.0");
    var pods = kubelet.pods(namespace, "gamma-api").stream().map(LocalKubelet.PodInfo::name).toList();

    try (var probe = ServingProbe.start(kubelet, namespace, "gamma-api", "/healthz")) {
      client.batch().v1().jobs().inNamespace(namespace).withLabel(InstallationLabels.INSTANCE, "gamma")
          .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
      client.configMaps().inNamespace(namespace).withName("gamma-migrations").delete();
      installation("gamma").editStatus(i -> {
        i.setStatus(new InfracastInstallationStatus());
        return i;
      });
      awaitServing("gamma", "1.0.0");
      Thread.sleep(3000); // more reconciles, with everything lost found again
      probe.stop();

      assertThat(probe.failures()).as("failed probes while the status was lost").isEmpty();
      assertThat(kubelet.pods(namespace, "gamma-api")).extracting(LocalKubelet.PodInfo::name)
          .as("the same pods, never replaced").isEqualTo(pods);
      assertThat(client.batch().v1().jobs().inNamespace(namespace).withLabel(InstallationLabels.INSTANCE, "gamma")
          .list().getItems()).as("no migration started for a schema the Deployment proves").isEmpty();
      assertThat(installation("gamma").get().getStatus().getSchemaVersion()).isEqualTo("1.0.0");
    }
  }

  private static String lastOf(String migrations) {
    return migrations.substring(migrations.lastIndexOf(',') + 1);
  }

  private static String appliedMigrations(String database) {
    return postgres.query(database, "select string_agg(version, ',' order by installed_rank) "
        + "from flyway_schema_history where success");
  }

  /** A pod's (or, for null, any pod's) first event of a type for a Deployment or Job. */
  private static PodEvent event(String owner, String pod, PodEvent.Type type) {
    return kubelet.events().stream().filter(e -> e.owner().equals(owner) && e.type() == type)
        .filter(e -> pod == null || e.pod().equals(pod)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " event of " + owner + ": " + kubelet.events()));
  }

  /**
   * A one-replica Deployment {@code <name>-early}, not the operator's, running the installation's pod template
   * at another version: the kubelet runs it like any Deployment of the Infracast image.
   */
  private static String startEarly(String name, String version) {
    var theirs = client.apps().deployments().inNamespace(namespace).withName(name + "-api").get();
    var spec = theirs.getSpec().getTemplate().getSpec();
    var image = spec.getContainers().get(0).getImage();
    var early = name + "-early";
    var selector = Map.of("app", early);
    client.resource(new DeploymentBuilder()
        .withNewMetadata().withName(early).withNamespace(namespace)
          .withLabels(Map.of(InstallationLabels.MANAGED_BY, InstallationLabels.OPERATOR_NAME)).endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(selector).endSelector()
          .withNewTemplate().withNewMetadata().withLabels(selector).endMetadata()
            .withSpec(new PodSpecBuilder(spec).editFirstContainer()
              .withImage(image.substring(0, image.lastIndexOf(':') + 1) + version).endContainer().build())
          .endTemplate()
        .endSpec().build()).create();
    return early;
  }

  /** Waits for the Deployment's pod to run and answer /healthz with 503, and returns that answer. */
  private static HttpResponse<String> awaitNotReady(String deployment) {
    return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
      var pods = kubelet.pods(namespace, deployment);
      if (pods.size() != 1 || !pods.get(0).running()) {
        return null;
      }
      try {
        return HTTP.send(HttpRequest.newBuilder(pods.get(0).endpoint().resolve("/healthz"))
            .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        return null; // not listening yet
      }
    }, r -> r != null && r.statusCode() == 503 && r.body().contains("run migrate"));
  }

  @Test
  void aFailedMigrationKeepsTheOldVersionServing() throws Exception {
    client.resource(installation("beta", "1.0.0")).create();
    awaitServing("beta", "1.0.0");

    // The database moves away: pods already running keep their connection settings, a new Job cannot connect.
    client.resource(new SecretBuilder().withNewMetadata().withName(Installations.databaseSecretName("beta"))
        .withNamespace(namespace).endMetadata()
        .withStringData(Map.of("DATABASE_URL", "postgres://infracast:pw@127.0.0.1:9/beta")).build())
        .serverSideApply();
    editSpec("beta", spec -> spec.setVersion("1.1.0"));

    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      var degraded = installation("beta").get().getStatus().getConditions().stream()
          .filter(c -> "Degraded".equals(c.getType())).findFirst().orElseThrow();
      assertThat(degraded.getReason()).isEqualTo("MigrationFailed");
      assertThat(degraded.getMessage()).contains("beta-migrate-1-1-0", "database unreachable");
    });
    var status = installation("beta").get().getStatus();
    assertThat(status.getVersion()).isEqualTo("1.0.0");
    assertThat(status.getSchemaVersion()).isEqualTo("1.0.0");
    assertThat(healthz("beta").statusCode()).as("the old version keeps serving").isEqualTo(200);
  }

}
