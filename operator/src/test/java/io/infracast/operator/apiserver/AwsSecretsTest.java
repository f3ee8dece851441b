package io.infracast.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.SecretsSpec;
import io.infracast.operator.dependent.DeploymentDependentResource;
import io.infracast.operator.reconciler.StatusAggregator;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorConfig;
import io.infracast.operator.testing.OperatorTestBase;
import io.infracast.testing.aws.MotoServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/**
 * secrets.jwtSecretArn and database.credentialsSecretArn against Secrets Manager in moto, and the checks of an
 * external bucket against S3 in moto: the operator copies each secret into a Secret of its own, reads it again
 * every 2 s here (AWS_REREAD_SECONDS), rolls the pods when it changes, and says what AWS answered when it cannot.
 */
@OperatorConfig(moto = true, awsRereadSeconds = 2)
class AwsSecretsTest extends OperatorTestBase {

  private static final String JWT = "j".repeat(48);
  private static final String ROTATED_JWT = "r".repeat(48);

  @Test
  void secretsFromSecretsManagerReachThePodsAndARotationRollsThemWithoutAPodEverLackingOne() {
    var bucket = privateEncryptedBucket("acme-evidence");
    String jwtArn;
    String databaseArn;
    try (var sm = moto.secretsmanager()) {
      jwtArn = sm.createSecret(r -> r.name("acme/jwt").secretString(JWT)).arn();
      databaseArn = sm.createSecret(r -> r.name("acme/database").secretString("{\"engine\":\"postgres\","
          + "\"username\":\"infracast\",\"password\":\"p@ss:w/rd\",\"host\":\"acme.cluster.example.com\","
          + "\"port\":5432,\"dbname\":\"vulcan\"}")).arn();
    }
    client.resource(fromAws("acme", jwtArn, databaseArn)).create();
    awaitVersionServed("acme", "1.0.0");

    assertThat(value("acme-jwt-aws", "JWT_SECRET")).isEqualTo(JWT);
    assertThat(value("acme-db-url-aws", "DATABASE_URL"))
        .isEqualTo("postgresql://infracast:p%40ss%3Aw%2Frd@acme.cluster.example.com:5432/vulcan");
    assertThat(condition("acme", StatusAggregator.DATABASE_READY).getMessage())
        .isEqualTo("Using the database at acme.cluster.example.com:5432 from AWS Secrets Manager secret "
            + databaseArn + " (Secret acme-db-url-aws)");
    assertThat(condition("acme", StatusAggregator.ARTIFACT_STORE_CHECKED)).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("EncryptedAndPrivate");
      assertThat(c.getMessage()).isEqualTo("bucket " + bucket + " has default encryption (aws:kms) and all four"
          + " public-access blocks on");
    });
    var container = deployment("acme").getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getEnv()).filteredOn(e -> e.getValueFrom() != null)
        .extracting(EnvVar::getName, e -> e.getValueFrom().getSecretKeyRef().getName())
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("JWT_SECRET", "acme-jwt-aws"),
            org.assertj.core.groups.Tuple.tuple("DATABASE_URL", "acme-db-url-aws"),
            // The service's own keys are never in AWS: generated in the cluster (ServiceKeysTest).
            org.assertj.core.groups.Tuple.tuple("ENCRYPTION_KEYS", "acme-keys"),
            org.assertj.core.groups.Tuple.tuple("EVIDENCE_SIGNING_KEY", "acme-keys"));
    assertThat(client.secrets().inNamespace(namespace).withName("acme-jwt").get())
        .as("no generated key when the key comes from AWS").isNull();

    var jwtSecret = client.secrets().inNamespace(namespace).withName("acme-jwt-aws").get();
    var hashBefore = secretsHash("acme");
    try (var sm = moto.secretsmanager()) {
      sm.putSecretValue(r -> r.secretId(jwtArn).secretString(ROTATED_JWT));
    }
    var rotated = System.nanoTime();
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
        .until(() -> !hashBefore.equals(secretsHash("acme")));
    var rolled = Duration.ofNanos(System.nanoTime() - rotated);
    System.out.printf("rotation in moto to a new pod template: %d ms%n", rolled.toMillis());

    var updated = client.secrets().inNamespace(namespace).withName("acme-jwt-aws").get();
    assertThat(updated.getMetadata().getUid()).as("updated in place, never deleted and made again")
        .isEqualTo(jwtSecret.getMetadata().getUid());
    assertThat(value("acme-jwt-aws", "JWT_SECRET")).as("the Secret holds the new key before the pods roll")
        .isEqualTo(ROTATED_JWT);
    assertThat(rolled).as("the re-read interval (2 s) plus a reconcile or two").isLessThan(Duration.ofSeconds(10));
    awaitVersionServed("acme", "1.0.0");
    assertThat(condition("acme", StatusAggregator.READY).getStatus()).isEqualTo("True");
  }

  @Test
  void aSecretAwsDoesNotHaveIsAConditionQuotingAwsRetriedWithBackoffNotAHotLoop() throws Exception {
    var bucket = "open-evidence";
    try (var s3 = moto.s3()) {
      s3.createBucket(r -> r.bucket(bucket));
    }
    var missingArn = "arn:aws:secretsmanager:us-east-1:" + MotoServer.ACCOUNT_ID + ":secret:open/jwt-AbCdEf";
    client.resource(Installations.databaseSecret(namespace, "open")).serverSideApply();
    var installation = Installations.development(namespace, "open");
    installation.getSpec().getArtifacts().setBucketName(bucket);
    var secrets = new SecretsSpec();
    secrets.setJwtSecretArn(missingArn);
    installation.getSpec().setSecrets(secrets);
    client.resource(installation).create();

    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      assertThat(condition("open", StatusAggregator.DEGRADED)).satisfies(c -> {
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("JwtSecretArnNotFound");
        assertThat(c.getMessage()).isEqualTo("AWS secret " + missingArn + " (secrets.jwtSecretArn): AWS Secrets"
            + " Manager answered ResourceNotFoundException: Secrets Manager can't find the specified secret.");
      });
      assertThat(condition("open", StatusAggregator.ARTIFACT_STORE_CHECKED)).satisfies(c -> {
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("BucketNotEncrypted");
        assertThat(c.getMessage()).isEqualTo("bucket open-evidence: it has no default encryption; its public-access"
            + " block leaves off BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets");
      });
    });
    var quiet = quietWindow("open");
    System.out.printf("reconciles in 5 s with a missing secret ARN: %d%n", quiet.reconciles());
    assertThat(quiet.statusWrites()).as("status writes while the secret is missing").isZero();
    assertThat(quiet.events()).as("Events while the secret is missing").isZero();
    assertThat(quiet.reconciles()).as("reconciles in 5 s (a recheck each second, no hot loop)").isBetween(2L, 8L);
    assertThat(client.apps().deployments().inNamespace(namespace).withName("open-api").get())
        .as("no pods without their key").isNull();

    String jwtArn;
    try (var sm = moto.secretsmanager()) {
      jwtArn = sm.createSecret(r -> r.name("open/jwt").secretString(JWT)).arn();
    }
    editSpec("open", spec -> spec.getSecrets().setJwtSecretArn(jwtArn));
    awaitVersionServed("open", "1.0.0");
    assertThat(value("open-jwt-aws", "JWT_SECRET")).isEqualTo(JWT);
  }

  @Test
  void credentialsAwsHoldsWithoutAHostAreRefusedWithoutEchoingThePassword() {
    privateEncryptedBucket("nohost-evidence");
    String databaseArn;
    String jwtArn;
    try (var sm = moto.secretsmanager()) {
      // What RDS keeps for a master password it manages: no host.
      databaseArn = sm.createSecret(r -> r.name("nohost/database")
          .secretString("{\"username\":\"infracast\",\"password\":\"hunter2-secret\"}")).arn();
      jwtArn = sm.createSecret(r -> r.name("nohost/jwt").secretString(JWT)).arn();
    }
    client.resource(fromAws("nohost", jwtArn, databaseArn)).create();

    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() ->
        assertThat(condition("nohost", StatusAggregator.DATABASE_READY)).satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo("DatabaseUrlInvalid");
          assertThat(c.getMessage()).isEqualTo("AWS secret " + databaseArn + " (database.credentialsSecretArn) has"
              + " no host: the JSON form needs username, password and host (port and dbname are optional), or"
              + " store a postgres:// URL instead");
        }));
    assertThat(installation("nohost").get().getStatus().toString()).doesNotContain("hunter2");
    assertThat(client.secrets().inNamespace(namespace).withName("nohost-db-url-aws").get())
        .as("nothing the service would refuse is written").isNull();
  }

  /** A development installation whose JWT key and database credentials come from Secrets Manager. */
  private static InfracastInstallation fromAws(String name, String jwtArn, String databaseArn) {
    var installation = Installations.development(namespace, name);
    var secrets = new SecretsSpec();
    secrets.setJwtSecretArn(jwtArn);
    installation.getSpec().setSecrets(secrets);
    installation.getSpec().getDatabase().setExternalSecretRef(null);
    installation.getSpec().getDatabase().setCredentialsSecretArn(databaseArn);
    return installation;
  }

  /** A bucket in moto with SSE-KMS default encryption and every public-access block on. */
  private static String privateEncryptedBucket(String bucket) {
    try (var s3 = moto.s3()) {
      s3.createBucket(r -> r.bucket(bucket));
      s3.putBucketEncryption(r -> r.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(
          ServerSideEncryptionRule.builder().applyServerSideEncryptionByDefault(d -> d
              .sseAlgorithm(ServerSideEncryption.AWS_KMS)).build())));
      s3.putPublicAccessBlock(r -> r.bucket(bucket).publicAccessBlockConfiguration(b -> b.blockPublicAcls(true)
          .ignorePublicAcls(true).blockPublicPolicy(true).restrictPublicBuckets(true)));
    }
    return bucket;
  }

  private static String value(String secret, String key) {
    Secret found = client.secrets().inNamespace(namespace).withName(secret).get();
    return new String(Base64.getDecoder().decode(found.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(namespace).withName(name + "-api").get();
  }

  private static String secretsHash(String name) {
    return deployment(name).getSpec().getTemplate().getMetadata().getAnnotations()
        .get(DeploymentDependentResource.AWS_SECRETS_HASH_ANNOTATION);
  }
}
