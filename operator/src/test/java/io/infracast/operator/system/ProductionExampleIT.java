package io.infracast.operator.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.infracast.contract.DatabaseUrl;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.data.ack.AckRds;
import io.infracast.operator.testing.OperatorConfig;
import io.infracast.operator.testing.OperatorTestBase;
import io.infracast.operator.testing.RealApiServer;
import io.infracast.operator.testing.ack.AckRdsController;
import io.infracast.operator.testing.ack.AckS3Controller;
import io.infracast.operator.testing.kubelet.LocalKubelet;
import io.infracast.testing.aws.MotoServer;
import io.infracast.testing.postgres.ThrowawayPostgres;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/production.yaml} as a platform team applies it, end to end: ACK's RDS and S3 controllers
 * (played against moto) make the database and the bucket, the "RDS instance" is a real PostgreSQL where the
 * master user gets the password the operator generated, and the local kubelet runs the real migration Job and
 * the serving pod. Only the ids that must exist in the AWS account (the subnets) and the namespace are
 * replaced. A failsafe test: it installs ACK's CRDs, which the surefire tests on their shared API server expect
 * to be absent at first.
 */
@OperatorConfig(fakeControllers = false)
class ProductionExampleIT extends OperatorTestBase {

  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final Path EXAMPLE = Path.of("..", "examples", "production.yaml");

  private static MotoServer moto;
  private static ThrowawayPostgres postgres;
  private static LocalKubelet kubelet;
  private static AckRdsController rds;
  private static AckS3Controller s3;
  private static List<String> subnets;

  @BeforeAll
  static void startAwsAndPods() throws Exception {
    RealApiServer.applyCrd(client, AckRdsController.CRDS);
    RealApiServer.applyCrd(client, AckS3Controller.CRD);
    moto = MotoServer.start();
    subnets = moto.dataSubnets();
    postgres = ThrowawayPostgres.start();
    rds = new AckRdsController(client, namespace, moto, Optional.of(postgres));
    s3 = new AckS3Controller(client, namespace, moto);
    kubelet = LocalKubelet.start(client, namespace, LocalKubelet.defaultJar(),
        Files.createTempDirectory("production-example-"));
  }

  @AfterAll
  static void stopAwsAndPods() {
    kubelet.close();
    s3.close();
    rds.close();
    postgres.close();
    moto.close();
  }

  /** The example's InfracastInstallation, in this test's namespace, on subnets that exist in moto. */
  private static InfracastInstallation example() throws Exception {
    var document = Arrays.stream(Files.readString(EXAMPLE).split("\n---\n"))
        .filter(d -> d.contains("kind: InfracastInstallation")).findFirst().orElseThrow();
    var installation = Serialization.unmarshal(document, InfracastInstallation.class);
    installation.getMetadata().setNamespace(namespace);
    installation.getSpec().getDatabase().setSubnetIds(subnets);
    return installation;
  }

  @Test
  void theProductionExampleServesOnAcksDatabaseAndBucket() throws Exception {
    client.resource(example()).create();

    await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      var status = installation("acme").get().getStatus();
      assertThat(status).isNotNull();
      assertThat(status.getPhase()).as("phase; conditions %s", status.getConditions()).isEqualTo(Phase.Ready);
      assertThat(status.getVersion()).isEqualTo("1.4.2");
    });

    var endpoint = kubelet.endpointOf(namespace, "acme-api").orElseThrow();
    var health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.resolve("/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"ok\",\"db_connected\":true}");
    // No HPA controller runs here, so the pods stay at the Deployment's one; the HPA says what a cluster would run.
    assertThat(kubelet.pods(namespace, "acme-api")).isNotEmpty().allSatisfy(pod -> assertThat(pod.ready()).isTrue());
    var autoscaler = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace)
        .withName("acme-api").get().getSpec();
    assertThat(autoscaler.getMinReplicas()).as("the example's api.minReplicas").isEqualTo(3);
    assertThat(autoscaler.getMaxReplicas()).isEqualTo(12);
    assertThat(client.batch().v1().jobs().inNamespace(namespace).withName("acme-migrate-1-4-2").get().getStatus()
        .getSucceeded()).as("the real migrate Job").isEqualTo(1);

    // The schema is in the database ACK's "RDS" serves, reached with the password the operator generated.
    var url = DatabaseUrl.parse(secret("acme-db-url", "DATABASE_URL"));
    assertThat(url.user()).isEqualTo(AckRds.MASTER_USERNAME);
    assertThat(url.password()).isEqualTo(secret("acme-db-master", AckRds.PASSWORD_KEY));
    assertThat(postgres.query(AckRds.DATABASE_NAME, "select string_agg(version, ',' order by installed_rank)"
        + " from flyway_schema_history where success")).as("the 1.4.2 build's")
        .isEqualTo(LocalKubelet.jarMigrations() + "," + LocalKubelet.NEWER_BUILD_MIGRATION);

    var identifier = AckRds.instanceIdentifier(installation("acme").get());
    try (var aws = moto.rds()) {
      var instance = aws.describeDBInstances(r -> r.dbInstanceIdentifier(identifier)).dbInstances().get(0);
      assertThat(instance.dbInstanceClass()).isEqualTo("db.r6g.xlarge");
      assertThat(instance.multiAZ()).isTrue();
      assertThat(instance.deletionProtection()).isTrue();
      assertThat(instance.storageEncrypted()).isTrue();
      assertThat(instance.kmsKeyId()).isEqualTo(example().getSpec().getDatabase().getKmsKeyId());
    }
    try (var bucket = moto.s3()) {
      var name = "acme-infracast-evidence";
      assertThat(bucket.getBucketEncryption(r -> r.bucket(name)).serverSideEncryptionConfiguration().rules())
          .singleElement().satisfies(rule -> assertThat(rule.applyServerSideEncryptionByDefault().sseAlgorithmAsString())
              .isEqualTo("AES256"));
      assertThat(bucket.getPublicAccessBlock(r -> r.bucket(name)).publicAccessBlockConfiguration().blockPublicAcls())
          .isTrue();
      assertThat(bucket.getBucketVersioning(r -> r.bucket(name)).statusAsString()).isEqualTo("Enabled");
    }

    // Retain: deleting the installation leaves the tenant's data in AWS.
    installation("acme").delete();
    await().atMost(TIMEOUT).until(() -> installation("acme").get() == null);
    try (var aws = moto.rds(); var bucket = moto.s3()) {
      assertThat(aws.describeDBInstances(r -> r.dbInstanceIdentifier(identifier)).dbInstances().get(0)
          .dbInstanceStatus()).isEqualTo("available");
      assertThat(bucket.listBuckets().buckets()).extracting(b -> b.name()).contains("acme-infracast-evidence");
    }
  }

  private static String secret(String name, String key) {
    var data = client.secrets().inNamespace(namespace).withName(name).get().getData().get(key);
    return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
  }
}
