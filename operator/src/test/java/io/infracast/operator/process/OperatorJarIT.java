package io.infracast.operator.process;

import static io.infracast.operator.testing.Installations.databaseSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.testing.FakeDeploymentController;
import io.infracast.operator.testing.FakeJobController;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorProcess;
import io.infracast.operator.testing.RealApiServer;
import io.infracast.testing.postgres.ThrowawayPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The packaged operator, run as the image runs it: `java -jar`, configured by its environment only. */
class OperatorJarIT {

  private static final Path JAR = OperatorProcess.JAR;
  private static final String NAMESPACE = "operator-jar-it";

  private static KubernetesClient client;

  @BeforeAll
  static void controlPlane() throws Exception {
    client = RealApiServer.newClient();
    RealApiServer.applyCrd(client, RealApiServer.COMMITTED_CRD);
    client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
  }

  @AfterAll
  static void close() throws Exception {
    client.close();
  }

  private static Process start(Map<String, String> env, Path output) throws Exception {
    return OperatorProcess.start(env, output).process();
  }

  @Test
  void theJarReconcilesLogsJsonAndStopsOnSigterm() throws Exception {
    assertThat(JAR).as("built by mvn package").exists();
    int port = ThrowawayPostgres.freePort();
    var output = Files.createTempFile("operator-it-", ".log");
    var operator = start(Map.of("LEADER_ELECTION", "true", "LEASE_NAMESPACE", NAMESPACE,
        "WATCH_NAMESPACES", NAMESPACE, "MANAGEMENT_PORT", String.valueOf(port)), output);
    var deployments = new FakeDeploymentController(client, NAMESPACE);
    var jobs = new FakeJobController(client, NAMESPACE);
    try {
      client.resource(databaseSecret(NAMESPACE, "packaged")).serverSideApply();
      client.resource(Installations.development(NAMESPACE, "packaged")).create();

      await().atMost(Duration.ofSeconds(60)).until(() -> {
        InfracastInstallation installation = client.resources(InfracastInstallation.class).inNamespace(NAMESPACE)
            .withName("packaged").get();
        return installation.getStatus() != null && installation.getStatus().getPhase() == Phase.Ready;
      });
      var ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
    } finally {
      deployments.close();
      jobs.close();
      operator.toHandle().destroy();
      assertThat(operator.waitFor(30, TimeUnit.SECONDS)).as("stops within 30 s of SIGTERM").isTrue();
    }

    List<String> lines = Files.readAllLines(output);
    var json = new ObjectMapper();
    assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(json.readTree(line).has("formattedMessage"))
        .as("a JSON log line: %s", line).isTrue());
    assertThat(lines).anyMatch(line -> line.contains("infracast operator started"))
        .anyMatch(line -> line.contains("infracast operator stopped"));
  }

  @Test
  void aBadSettingStopsItWithOneLineNamingTheSetting() throws Exception {
    var output = Files.createTempFile("operator-it-", ".log");
    var operator = start(Map.of("LEADER_ELECTION", "false", "MANAGEMENT_PORT", "http"), output);
    assertThat(operator.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(operator.exitValue()).isEqualTo(2);
    assertThat(Files.readAllLines(output)).singleElement().asString()
        .contains("MANAGEMENT_PORT must be a whole number from 0 to 65535, not 'http'");
  }
}
