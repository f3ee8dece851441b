package io.infracast.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Provisioner;
import io.infracast.operator.data.ack.AckBucket;
import io.infracast.operator.data.ack.AckStatus;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.reconciler.StatusAggregator;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorTestBase;
import io.infracast.operator.testing.RealApiServer;
import io.infracast.operator.testing.ack.AckS3Controller;
import io.infracast.testing.aws.MotoServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * artifacts.provisioner ack on the real API server, with ACK's S3 controller played by {@link AckS3Controller}
 * against moto: the operator writes ACK's Bucket, ACK's status decides ArtifactStoreReady, and the bucket in
 * (emulated) AWS is checked through the AWS SDK. In order, because the first test starts without ACK's CRD,
 * which the shared API server then keeps.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AckBucketTest extends OperatorTestBase {

  private static MotoServer moto;
  private static AckS3Controller ack;

  @BeforeAll
  static void startMoto() {
    assertThat(client.apiextensions().v1().customResourceDefinitions().withName(AckBucket.CRD).get())
        .as("ACK's Bucket CRD before the first test (this class installs it)").isNull();
    moto = MotoServer.start();
  }

  @AfterAll
  static void stopMoto() {
    if (ack != null) {
      ack.close();
    }
    moto.close();
  }

  private static InfracastInstallation ackInstallation(String name, String bucketName) {
    client.resource(Installations.databaseSecret(namespace, name)).serverSideApply();
    var installation = Installations.development(namespace, name);
    var artifacts = installation.getSpec().getArtifacts();
    artifacts.setProvisioner(Provisioner.ACK);
    artifacts.setBucketName(bucketName);
    artifacts.setRegion(null);
    return installation;
  }

  @Test
  @Order(1)
  void withoutAcksCrdItSaysWhichIsMissingWithoutRetryingItAndCarriesOnOnceItAppears() throws InterruptedException {
    client.resource(ackInstallation("acme", "acme-evidence")).create();

    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      assertThat(condition("acme", StatusAggregator.ARTIFACT_STORE_READY)).satisfies(c -> {
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("AckCrdMissing");
        assertThat(c.getMessage()).contains("the CRD buckets.s3.services.k8s.aws is not installed",
            "install ACK's S3 controller");
      });
      assertThat(condition("acme", StatusAggregator.DEGRADED).getReason()).isEqualTo("AckCrdMissing");
    });
    var quiet = quietWindow("acme");
    assertThat(quiet.statusWrites()).as("status writes while the CRD is missing").isZero();
    assertThat(quiet.events()).as("Events while the CRD is missing").isZero();
    assertThat(quiet.reconciles()).as("reconciles in 5 s (a recheck each second, no hot loop)").isBetween(2L, 8L);
    assertThat(writes.reads("/buckets")).as("requests for the missing kind (an informer would list and watch it"
        + " again and again, and log each failure)").isZero();
    assertThat(writes.reads("/apis/" + AckBucket.API_VERSION)).as("discovery of the kind in 5 s (one per recheck)")
        .isBetween(1L, 6L);
    assertThat(client.apps().deployments().inNamespace(namespace).withName("acme-api").get()).isNull();

    RealApiServer.applyCrd(client, AckS3Controller.CRD);
    ack = new AckS3Controller(client, namespace, moto);

    awaitVersionServed("acme", "1.0.0");
    assertThat(condition("acme", StatusAggregator.ARTIFACT_STORE_READY)).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getMessage()).isEqualTo("bucket acme-evidence is provisioned by ACK (arn:aws:s3:::acme-evidence)");
    });
    assertThat(client.configMaps().inNamespace(namespace).withName("acme-config").get().getData())
        .containsEntry("ARTIFACTS_BUCKET", "acme-evidence").containsEntry("AWS_REGION", "us-east-1");
  }

  @Test
  @Order(2)
  void theBucketIsAcksWithEveryProtectionOnAndAwsHasItSo() {
    var bucket = bucket("acme-artifacts");
    assertThat(bucket.getMetadata().getAnnotations()).containsEntry(AckStatus.DELETION_POLICY, "retain");
    assertThat(bucket.getMetadata().getFinalizers()).containsExactly(AckS3Controller.FINALIZER);
    assertThat(bucket.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(owner -> assertThat(owner.getController()).isTrue());
    assertThat(bucket.getMetadata().getManagedFields()).filteredOn(f -> f.getSubresource() == null)
        .extracting(ManagedFieldsEntry::getManager).contains(InstallationLabels.OPERATOR_NAME);
    assertThat(bucket.<Map<String, Boolean>>get("spec", "publicAccessBlock")).isEqualTo(Map.of(
        "blockPublicACLs", true, "ignorePublicACLs", true, "blockPublicPolicy", true, "restrictPublicBuckets",
        true));
    assertThat(bucket.<String>get("status", "ackResourceMetadata", "ownerAccountID"))
        .isEqualTo(MotoServer.ACCOUNT_ID);

    try (var s3 = moto.s3()) {
      var encryption = s3.getBucketEncryption(b -> b.bucket("acme-evidence"))
          .serverSideEncryptionConfiguration().rules();
      assertThat(encryption).singleElement().satisfies(rule -> assertThat(
          rule.applyServerSideEncryptionByDefault().sseAlgorithm()).isEqualTo(ServerSideEncryption.AES256));
      var block = s3.getPublicAccessBlock(b -> b.bucket("acme-evidence")).publicAccessBlockConfiguration();
      assertThat(block.blockPublicAcls()).isTrue();
      assertThat(block.ignorePublicAcls()).isTrue();
      assertThat(block.blockPublicPolicy()).isTrue();
      assertThat(block.restrictPublicBuckets()).isTrue();
      assertThat(s3.getBucketVersioning(b -> b.bucket("acme-evidence")).status())
          .isEqualTo(BucketVersioningStatus.ENABLED);
      assertThat(s3.getBucketOwnershipControls(b -> b.bucket("acme-evidence")).ownershipControls().rules())
          .singleElement().satisfies(rule -> assertThat(rule.objectOwnership())
              .isEqualTo(ObjectOwnership.BUCKET_OWNER_ENFORCED));
      assertThat(s3.getBucketTagging(b -> b.bucket("acme-evidence")).tagSet())
          .extracting(Tag::key, Tag::value).contains(
              tuple("infracast.io/installation", "acme"),
              tuple("infracast.io/namespace", namespace));
    }
  }

  @Test
  @Order(3)
  void aKmsKeyMakesTheDefaultEncryptionSseKms() {
    var key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    var installation = ackInstallation("kms", "kms-evidence");
    installation.getSpec().getArtifacts().setKmsKeyId(key);
    client.resource(installation).create();

    awaitVersionServed("kms", "1.0.0");
    try (var s3 = moto.s3()) {
      var rule = s3.getBucketEncryption(b -> b.bucket("kms-evidence")).serverSideEncryptionConfiguration().rules()
          .get(0);
      assertThat(rule.applyServerSideEncryptionByDefault().sseAlgorithm()).isEqualTo(ServerSideEncryption.AWS_KMS);
      assertThat(rule.applyServerSideEncryptionByDefault().kmsMasterKeyID()).isEqualTo(key);
      assertThat(rule.bucketKeyEnabled()).isTrue();
    }
  }

  @Test
  @Order(4)
  void aBucketAwsRefusesDegradesWithAcksMessageAndNoHotLoop() throws InterruptedException {
    // Bucket names are global: another account has this one, so AWS refuses it and ACK reports Terminal.
    try (var otherAccount = moto.s3("210987654321")) {
      otherAccount.createBucket(b -> b.bucket("taken-evidence"));
    }
    client.resource(ackInstallation("taken", "taken-evidence")).create();

    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      assertThat(condition("taken", StatusAggregator.DEGRADED)).satisfies(c -> {
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("AckTerminal");
        assertThat(c.getMessage()).startsWith("ACK cannot provision bucket taken-evidence (Bucket " + namespace
            + "/taken-artifacts): BucketAlreadyExists: ");
      });
      assertThat(condition("taken", StatusAggregator.ARTIFACT_STORE_READY).getStatus()).isEqualTo("False");
    });
    var quiet = quietWindow("taken");
    assertThat(quiet.statusWrites()).as("status writes after Degraded").isZero();
    assertThat(quiet.events()).as("Events after Degraded").isZero();
    assertThat(quiet.reconciles()).as("reconciles in 5 s (a recheck each second, no hot loop)").isBetween(2L, 8L);
    assertThat(client.batch().v1().jobs().inNamespace(namespace).withLabel(InstallationLabels.INSTANCE, "taken")
        .list().getItems()).as("migration Jobs without a bucket").isEmpty();
  }

  @Test
  @Order(5)
  void deletingTheBucketObjectLeavesTheBucketAndItsEvidenceInAws() {
    try (var s3 = moto.s3()) {
      s3.putObject(b -> b.bucket("kms-evidence").key("evidence/1.json"), RequestBody.fromString("{}"));
      var before = bucket("kms-artifacts").getMetadata().getUid();

      // What the garbage collector does when the installation goes; ACK's finalizer holds it until ACK let go.
      client.genericKubernetesResources(AckBucket.API_VERSION, AckBucket.KIND).inNamespace(namespace)
          .withName("kms-artifacts").delete();

      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(bucket("kms-artifacts"))
          .as("the Bucket object, deleted (and made again: its installation is still there)")
          .satisfiesAnyOf(b -> assertThat(b).isNull(),
              b -> assertThat(b.getMetadata().getUid()).isNotEqualTo(before)));
      assertThat(s3.listObjectsV2(b -> b.bucket("kms-evidence")).contents()).extracting(S3Object::key)
          .containsExactly("evidence/1.json");
    }
  }

  private static GenericKubernetesResource bucket(String name) {
    return client.genericKubernetesResources(AckBucket.API_VERSION, AckBucket.KIND).inNamespace(namespace)
        .withName(name).get();
  }
}
