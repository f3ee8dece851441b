package io.infracast.operator.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.infracast.operator.api.v1alpha1.ApiSpec;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.MigrationSpec;
import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorConfig;
import io.infracast.operator.testing.OperatorTestBase;
import io.infracast.operator.testing.kubelet.LocalKubelet;
import io.infracast.testing.postgres.ThrowawayPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
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

  @Test
  void anInstallationMigratesServesAndUpgrades() throws Exception {
    client.resource(installation("acme", "1.0.0")).create();

    awaitServing("acme", "1.0.0");
    var health = healthz("acme");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"ok\",\"db_connected\":true}");
    assertThat(postgres.query("acme", "select count(*) from flyway_schema_history where success").trim())
        .as("migrations applied by the Job").isNotEqualTo("0");
    assertThat(installation("acme").get().getStatus().getSchemaVersion()).isEqualTo("1.0.0");

    editSpec("acme", spec -> spec.setVersion("1.1.0"));

    awaitServing("acme", "1.1.0");
    assertThat(client.batch().v1().jobs().inNamespace(namespace).withName("acme-migrate-1-1-0").get().getStatus()
        .getSucceeded()).isEqualTo(1);
    assertThat(healthz("acme").statusCode()).isEqualTo(200);
    assertThat(kubelet.pods(namespace, "acme-api")).hasSize(1)
        .allSatisfy(pod -> assertThat(pod.ready()).isTrue());
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
