package io.infracast.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.infracast.contract.DatabaseUrl;
import io.infracast.operator.api.v1alpha1.DeletionPolicy;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Profile;
import io.infracast.operator.api.v1alpha1.Provisioner;
import io.infracast.operator.api.v1alpha1.SecretKeyRef;
import io.infracast.operator.api.v1alpha1.SecretsSpec;
import io.infracast.operator.data.ack.AckApis;
import io.infracast.operator.data.ack.AckRds;
import io.infracast.operator.data.ack.AckStatus;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.reconciler.StatusAggregator;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorConfig;
import io.infracast.operator.testing.OperatorTestBase;
import io.infracast.operator.testing.RealApiServer;
import io.infracast.operator.testing.ack.AckRdsController;
import io.infracast.testing.aws.MotoServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * database.provisioner ack on the real API server, with ACK's RDS controller played by {@link AckRdsController}
 * against moto: the operator writes ACK's DBSubnetGroup and DBInstance and a master password, ACK's status decides
 * DatabaseReady, the operator composes DATABASE_URL from the reported endpoint, and the instance in (emulated) AWS
 * is checked through the AWS SDK. In order, because the first test starts without ACK's RDS CRDs, which the
 * shared API server then keeps. Each installation references a JWT Secret of its own: the operator reads it once
 * per reconcile, which counts reconciles.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@OperatorConfig(deletionTimeoutSeconds = AckDatabaseTest.DELETION_TIMEOUT_SECONDS)
class AckDatabaseTest extends OperatorTestBase {

  static final int DELETION_TIMEOUT_SECONDS = 10;

  private static MotoServer moto;
  private static AckRdsController ack;
  private static List<String> subnets;

  @BeforeAll
  static void startMoto() {
    for (var kind : AckApis.DATABASE_KINDS) {
      assertThat(client.apiextensions().v1().customResourceDefinitions()
          .withName(io.fabric8.kubernetes.client.CustomResource.getCRDName(kind)).get())
          .as("ACK's RDS CRDs before the first test (this class installs them)").isNull();
    }
    moto = MotoServer.start();
    subnets = moto.dataSubnets();
  }

  @AfterAll
  static void stopMoto() {
    if (ack != null) {
      ack.close();
    }
    moto.close();
  }

  /** A production installation whose database comes through ACK, in the subnets made in moto. */
  private static InfracastInstallation ackInstallation(String name) {
    client.resource(new SecretBuilder().withNewMetadata().withName(name + "-jwt-key").withNamespace(namespace)
        .endMetadata().withStringData(Map.of("JWT_SECRET", "k".repeat(48))).build()).serverSideApply();
    var installation = Installations.production(namespace, name);
    var spec = installation.getSpec();
    var secrets = new SecretsSpec();
    secrets.setJwtSecretRef(new SecretKeyRef(name + "-jwt-key", "JWT_SECRET"));
    spec.setSecrets(secrets);
    var database = spec.getDatabase();
    database.setProvisioner(Provisioner.ACK);
    database.setExternalSecretRef(null);
    database.setSubnetIds(subnets);
    database.setSecurityGroupIds(List.of("sg-0123456789abcdef0"));
    return installation;
  }

  @Test
  @Order(1)
  void withoutAcksCrdsItSaysWhichAreMissingWithoutRetryingAndCarriesOnOnceTheyAppear() throws Exception {
    client.resource(ackInstallation("acme")).create();

    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      assertThat(condition("acme", StatusAggregator.DATABASE_READY)).satisfies(c -> {
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("AckCrdMissing");
        assertThat(c.getMessage()).contains("dbinstances.rds.services.k8s.aws", "install ACK's RDS controller");
      });
      assertThat(condition("acme", StatusAggregator.DEGRADED).getReason()).isEqualTo("AckCrdMissing");
    });
    var quiet = quietWindow("acme");
    assertThat(quiet.statusWrites()).as("status writes while the CRDs are missing").isZero();
    assertThat(quiet.events()).as("Events while the CRDs are missing").isZero();
    assertThat(quiet.reconciles()).as("reconciles in 5 s (a recheck each second, no hot loop)").isBetween(2L, 8L);
    assertThat(writes.reads("/dbinstances")).as("requests for the missing kind").isZero();
    assertThat(client.batch().v1().jobs().inNamespace(namespace).withLabel(InstallationLabels.INSTANCE, "acme")
        .list().getItems()).as("migration Jobs without a database").isEmpty();

    RealApiServer.applyCrd(client, AckRdsController.CRDS);
    ack = new AckRdsController(client, namespace, moto, Optional.empty());

    awaitVersionServed("acme", "1.0.0");
    var identifier = AckRds.instanceIdentifier(installation("acme").get());
    assertThat(condition("acme", StatusAggregator.DATABASE_READY)).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getMessage()).startsWith("RDS instance " + identifier + " is available at " + identifier
          + ".aaaaaaaaaa.us-east-1.rds.amazonaws.com:5432 (arn:aws:rds:us-east-1:" + MotoServer.ACCOUNT_ID
          + ":db:" + identifier + ")");
    });
    var url = DatabaseUrl.parse(secretValue("acme-db-url", "DATABASE_URL"));
    assertThat(url.hosts()).isEqualTo(identifier + ".aaaaaaaaaa.us-east-1.rds.amazonaws.com:5432");
    assertThat(url.user()).isEqualTo("infracast");
    assertThat(url.database()).isEqualTo("infracast");
    assertThat(url.password()).isEqualTo(secretValue("acme-db-master", AckRds.PASSWORD_KEY)).hasSize(32);
    assertThat(client.apps().deployments().inNamespace(namespace).withName("acme-api").get().getSpec()
        .getTemplate().getSpec().getContainers().get(0).getEnv())
        .filteredOn(e -> e.getName().equals("DATABASE_URL")).singleElement().satisfies(e -> {
          assertThat(e.getValue()).isNull();
          assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("acme-db-url");
        });
  }

  @Test
  @Order(2)
  void theInstanceIsTheProfilesWithEveryProtectionOnAndAwsHasItSo() {
    var instance = object("DBInstance", "acme-db");
    assertThat(instance.getMetadata().getAnnotations()).containsEntry(AckStatus.DELETION_POLICY, "retain");
    assertThat(object("DBSubnetGroup", "acme-db").getMetadata().getAnnotations())
        .containsEntry(AckStatus.DELETION_POLICY, "retain");
    assertThat(instance.<Map<String, String>>get("spec", "masterUserPassword")).isEqualTo(Map.of(
        "namespace", namespace, "name", "acme-db-master", "key", "password"));

    var aws = awsInstance(rdsId("acme"));
    assertThat(aws.engine()).isEqualTo("postgres");
    assertThat(aws.dbInstanceClass()).isEqualTo("db.r5.large");
    assertThat(aws.allocatedStorage()).isEqualTo(100);
    assertThat(aws.maxAllocatedStorage()).isEqualTo(1000);
    assertThat(aws.storageType()).isEqualTo("gp3");
    assertThat(aws.storageEncrypted()).isTrue();
    assertThat(aws.multiAZ()).isTrue();
    assertThat(aws.backupRetentionPeriod()).isEqualTo(35);
    assertThat(aws.deletionProtection()).isTrue();
    assertThat(aws.publiclyAccessible()).isFalse();
    assertThat(aws.dbName()).isEqualTo("infracast");
    assertThat(aws.dbSubnetGroup().dbSubnetGroupName()).isEqualTo(rdsId("acme"));
    assertThat(aws.dbSubnetGroup().subnets()).extracting(s -> s.subnetIdentifier())
        .containsExactlyInAnyOrderElementsOf(subnets);
    assertThat(aws.vpcSecurityGroups()).extracting(g -> g.vpcSecurityGroupId()).containsExactly("sg-0123456789abcdef0");
    assertThat(aws.tagList()).extracting(Tag::key, Tag::value).contains(
        tuple("infracast.io/installation", "acme"), tuple("infracast.io/namespace", namespace));
  }

  @Test
  @Order(3)
  void anOverrideReachesAwsAndTheMasterPasswordIsNeverRegenerated() {
    var password = secretValue("acme-db-master", AckRds.PASSWORD_KEY);
    editSpec("acme", spec -> spec.getDatabase().setInstanceClass("db.r6g.xlarge"));

    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(awsInstance(rdsId("acme")).dbInstanceClass())
        .isEqualTo("db.r6g.xlarge"));
    assertThat(secretValue("acme-db-master", AckRds.PASSWORD_KEY)).isEqualTo(password);
    assertThat(DatabaseUrl.parse(secretValue("acme-db-url", "DATABASE_URL")).password()).isEqualTo(password);
  }

  @Test
  @Order(4)
  void aSubnetGroupAwsDoesNotKnowDegradesWithAcksMessageAndNoHotLoop() throws InterruptedException {
    var installation = ackInstallation("lost");
    installation.getSpec().setProfile(Profile.DEVELOPMENT);
    installation.getSpec().getDatabase().setSubnetIds(null);
    installation.getSpec().getDatabase().setSubnetGroupName("no-such-group");
    client.resource(installation).create();

    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      assertThat(condition("lost", StatusAggregator.DEGRADED)).satisfies(c -> {
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("AckTerminal");
        assertThat(c.getMessage()).startsWith("ACK cannot provision RDS instance " + rdsId("lost") + " (DBInstance "
            + namespace + "/lost-db): DBSubnetGroupNotFoundFault: ");
      });
      assertThat(condition("lost", StatusAggregator.DATABASE_READY).getStatus()).isEqualTo("False");
    });
    var quiet = quietWindow("lost");
    assertThat(quiet.statusWrites()).as("status writes after Degraded").isZero();
    assertThat(quiet.events()).as("Events after Degraded").isZero();
    assertThat(quiet.reconciles()).as("reconciles in 5 s (no hot loop)").isBetween(0L, 8L);
    assertThat(client.batch().v1().jobs().inNamespace(namespace).withLabel(InstallationLabels.INSTANCE, "lost")
        .list().getItems()).as("migration Jobs without a database").isEmpty();
    assertThat(client.secrets().inNamespace(namespace).withName("lost-db-url").get())
        .as("no DATABASE_URL without an endpoint").isNull();
  }

  @Test
  @Order(5)
  void anUpgradeSnapshotsTheDatabaseBeforeItsMigrationJob() {
    editSpec("acme", spec -> spec.setVersion("1.1.0"));

    // ACK reports a new snapshot creating for a second before it is available: no Job meanwhile.
    var snapshots = client.genericKubernetesResources(AckRds.API_VERSION, "DBSnapshot").inNamespace(namespace)
        .withLabel(InstallationLabels.INSTANCE, "acme");
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50))
        .until(() -> !snapshots.list().getItems().isEmpty());
    assertThat(migrationJobs("acme", "1.1.0")).as("Jobs while the snapshot is taken").isEmpty();
    awaitVersionServed("acme", "1.1.0");
    var identifier = AckRds.snapshotIdentifier(installation("acme").get(), "1.1.0");
    try (var rds = moto.rds()) {
      var snapshot = rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier(identifier)).dbSnapshots().get(0);
      assertThat(snapshot.status()).isEqualTo("available");
      assertThat(snapshot.dbInstanceIdentifier()).isEqualTo(rdsId("acme"));
      var job = migrationJobs("acme", "1.1.0").get(0);
      assertThat(snapshot.snapshotCreateTime()).as("the snapshot, taken before the Job was created")
          .isBeforeOrEqualTo(java.time.Instant.parse(job.getMetadata().getCreationTimestamp()));
    }
    assertThat(installation("acme").get().getStatus().getDatabase().getLastSnapshot()).isEqualTo(identifier);
    assertThat(snapshots.list().getItems()).singleElement().satisfies(o -> assertThat(o.getMetadata().getAnnotations())
        .containsEntry(AckStatus.DELETION_POLICY, "retain"));
  }

  @Test
  @Order(6)
  void aSnapshotAwsRefusesBlocksTheMigrationWithTheReasonWhileTheOldVersionServes() throws Exception {
    // The fault: the instance is gone from AWS behind ACK's back, so AWS refuses to snapshot it.
    try (var rds = moto.rds()) {
      rds.modifyDBInstance(r -> r.dbInstanceIdentifier(rdsId("acme")).deletionProtection(false)
          .applyImmediately(true));
      rds.deleteDBInstance(r -> r.dbInstanceIdentifier(rdsId("acme")).skipFinalSnapshot(true));
    }
    editSpec("acme", spec -> spec.setVersion("1.2.0"));
    var snapshot = AckRds.snapshotIdentifier(installation("acme").get(), "1.2.0");

    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      assertThat(condition("acme", StatusAggregator.DEGRADED)).satisfies(c -> {
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("SnapshotFailed");
        assertThat(c.getMessage()).startsWith("RDS snapshot " + snapshot + " before migrating to version 1.2.0"
            + " failed: DBInstanceNotFound: ").contains("version 1.1.0 keeps serving");
      });
      assertThat(condition("acme", StatusAggregator.MIGRATED).getReason()).isEqualTo("SnapshotFailed");
    });
    var quiet = quietWindow("acme");
    assertThat(quiet.statusWrites()).as("status writes after Degraded").isZero();
    assertThat(quiet.reconciles()).as("reconciles in 5 s (no hot loop)").isBetween(0L, 8L);
    assertThat(migrationJobs("acme", "1.2.0")).as("no migration Job without its snapshot").isEmpty();
    assertThat(installation("acme").get().getStatus().getVersion()).isEqualTo("1.1.0");
  }

  @Test
  @Order(7)
  void eachDeletionPolicyLeavesInAwsWhatItSays() {
    var policies = Map.of("kept", DeletionPolicy.Retain, "snapped", DeletionPolicy.Snapshot,
        "dropped", DeletionPolicy.Delete);
    policies.forEach((name, policy) -> {
      var installation = ackInstallation(name);
      installation.getSpec().setProfile(Profile.DEVELOPMENT);
      installation.getSpec().getDatabase().setDeletionPolicy(policy);
      client.resource(installation).create();
    });
    var identifiers = new HashMap<String, String>();
    var finalSnapshots = new HashMap<String, String>();
    policies.keySet().forEach(name -> {
      await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> assertThat(condition(name,
          StatusAggregator.DATABASE_READY).getStatus()).isEqualTo("True"));
      identifiers.put(name, rdsId(name));
      finalSnapshots.put(name, AckRds.finalSnapshotIdentifier(installation(name).get()));
    });
    assertThat(object("DBInstance", "snapped-db").getMetadata().getAnnotations())
        .as("what ACK is to do should the retain annotation go")
        .containsEntry(AckRds.SKIP_FINAL_SNAPSHOT, "false")
        .containsEntry(AckRds.FINAL_SNAPSHOT_IDENTIFIER, finalSnapshots.get("snapped"));

    policies.keySet().forEach(name -> installation(name).delete());
    policies.keySet().forEach(name -> await().atMost(TIMEOUT).until(() -> installation(name).get() == null));

    try (var rds = moto.rds()) {
      assertThat(awsInstance(identifiers.get("kept")).dbInstanceStatus()).as("Retain").isEqualTo("available");
      assertThat(rds.describeDBSubnetGroups(r -> r.dbSubnetGroupName(identifiers.get("kept"))).dbSubnetGroups())
          .as("Retain keeps the subnet group").hasSize(1);
      for (var gone : List.of("snapped", "dropped")) {
        assertThat(rds.describeDBInstances().dbInstances()).extracting(i -> i.dbInstanceIdentifier())
            .as("deletionPolicy " + policies.get(gone)).doesNotContain(identifiers.get(gone));
        assertThat(rds.describeDBSubnetGroups().dbSubnetGroups()).extracting(g -> g.dbSubnetGroupName())
            .as("its subnet group goes with it").doesNotContain(identifiers.get(gone));
      }
      assertThat(rds.describeDBSnapshots().dbSnapshots()).extracting(s -> s.dbSnapshotIdentifier())
          .as("Snapshot leaves a final snapshot, Delete none, Retain needs none")
          .contains(finalSnapshots.get("snapped"))
          .doesNotContain(finalSnapshots.get("dropped"), finalSnapshots.get("kept"));
    }
    assertThat(eventsOf("kept")).extracting(e -> e.getReason() + ": " + e.getMessage()).anySatisfy(e -> assertThat(e)
        .startsWith("DataRetained: left in AWS: RDS instance " + identifiers.get("kept") + " (DBInstance " + namespace
            + "/kept-db)"));
    assertThat(eventsOf("snapped")).extracting(e -> e.getReason() + ": " + e.getMessage()).contains(
        "DeletingDatabase: deletionPolicy Snapshot: ACK deletes RDS instance " + identifiers.get("snapped")
            + " (DBInstance " + namespace + "/snapped-db) after a final snapshot " + finalSnapshots.get("snapped"),
        "DatabaseDeleted: RDS instance " + identifiers.get("snapped") + " is deleted in AWS, after its final snapshot "
            + finalSnapshots.get("snapped"));
    assertThat(eventsOf("dropped")).extracting(e -> e.getReason()).contains("DeletingDatabase", "DatabaseDeleted")
        .doesNotContain("DeletionTimedOut");
  }

  @Test
  @Order(8)
  void aDeletionAckCannotFinishLetsGoAfterTheTimeoutSayingWhatIsLeftAndAckFinishesItLater() {
    var installation = ackInstallation("stuck");
    installation.getSpec().setProfile(Profile.DEVELOPMENT);
    installation.getSpec().getDatabase().setDeletionPolicy(DeletionPolicy.Snapshot);
    client.resource(installation).create();
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> assertThat(condition("stuck",
        StatusAggregator.DATABASE_READY).getStatus()).isEqualTo("True"));
    var identifier = rdsId("stuck");
    var finalSnapshot = AckRds.finalSnapshotIdentifier(installation("stuck").get());

    ack.close(); // the fault: ACK's RDS controller is down while the installation is deleted
    installation("stuck").delete();
    await().atMost(TIMEOUT).until(() -> object("DBInstance", "stuck-db").getMetadata().getDeletionTimestamp() != null);
    assertThat(installation("stuck").get()).as("held while AWS deletes the database").isNotNull();

    await().atMost(Duration.ofSeconds(DELETION_TIMEOUT_SECONDS).plus(TIMEOUT))
        .until(() -> installation("stuck").get() == null);
    assertThat(eventsOf("stuck")).filteredOn(e -> e.getReason().equals("DeletionTimedOut")).singleElement()
        .satisfies(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getMessage()).isEqualTo("gave up waiting for AWS to delete the database; left in AWS: RDS"
              + " instance " + identifier + " (DBInstance " + namespace + "/stuck-db), which ACK had not deleted"
              + " after " + DELETION_TIMEOUT_SECONDS + " s; the DBInstance stays marked for deletion, so ACK's RDS"
              + " controller deletes it as asked once it can");
        });
    assertThat(awsInstance(identifier).dbInstanceStatus()).isEqualTo("available");

    ack = new AckRdsController(client, namespace, moto, Optional.empty());
    await().atMost(TIMEOUT).until(() -> object("DBInstance", "stuck-db") == null);
    try (var rds = moto.rds()) {
      assertThat(rds.describeDBInstances().dbInstances()).extracting(i -> i.dbInstanceIdentifier())
          .as("ACK, back, deletes what it was asked to").doesNotContain(identifier);
      assertThat(rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier(finalSnapshot)).dbSnapshots()).hasSize(1);
    }
  }

  private static List<Event> eventsOf(String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
  }

  /** The RDS identifier of an installation of this test's namespace. */
  private static String rdsId(String name) {
    return AckRds.instanceIdentifier(installation(name).get());
  }

  private static DBInstance awsInstance(String identifier) {
    try (var rds = moto.rds()) {
      return rds.describeDBInstances(r -> r.dbInstanceIdentifier(identifier)).dbInstances().get(0);
    }
  }

  private static String secretValue(String name, String key) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static GenericKubernetesResource object(String kind, String name) {
    return client.genericKubernetesResources(AckRds.API_VERSION, kind).inNamespace(namespace).withName(name).get();
  }
}
