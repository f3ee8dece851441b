package io.infracast.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.infracast.operator.api.v1alpha1.DeletionPolicy;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.data.AwsNames;
import io.infracast.operator.data.terraform.TofuDataPlane;
import io.infracast.operator.data.terraform.TofuRunner;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.migration.MigrationJobNames;
import io.infracast.operator.migration.MigrationPlan;
import io.infracast.operator.reconciler.StatusAggregator;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorTestBase;
import io.infracast.operator.testing.kubelet.LocalKubelet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The terraform provisioner end to end with real OpenTofu: the local kubelet runs the runner Jobs as
 * terraform/runner/runner.sh with the built {@code tofu}, against a provider-free stand-in of infracast-data
 * (src/test/resources/tofu-modules/), its state in the real kubernetes backend on the test API server. The fake
 * controllers play the migration Jobs and the Deployment.
 */
class TerraformProvisionerTest extends OperatorTestBase {

  private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(90);
  private static LocalKubelet kubelet;

  @BeforeAll
  static void startKubelet() throws Exception {
    kubelet = LocalKubelet.startJobs(client, namespace, Files.createTempDirectory("tofu-runner-"));
    client.resource(Installations.awsCredentials(namespace)).serverSideApply();
  }

  @AfterAll
  static void stopKubelet() {
    kubelet.close();
  }

  private static InfracastInstallation terraform(String name, DeletionPolicy policy) {
    return Installations.terraform(namespace, name, policy);
  }

  @Test
  void appliesAndItsOutputsReachTheDeploymentThenAChangedInputAppliesAgainAndDeleteDestroys() throws Exception {
    var created = Instant.now();
    client.resource(terraform("acme", DeletionPolicy.Delete)).create();
    var installation = installation("acme").get();
    var firstJob = TofuRunner.applyJob(installation);

    awaitReady("acme");
    var job = client.batch().v1().jobs().inNamespace(namespace).withName(firstJob).get();
    System.out.printf("terraform apply Job: %s from its start to Complete, ready %s after create%n",
        Duration.between(Instant.parse(job.getStatus().getStartTime()),
            Instant.parse(job.getStatus().getCompletionTime())), Duration.between(created, Instant.now()));
    var env = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertThat(env).filteredOn(e -> e.getName().startsWith("AWS_ACCESS") || e.getName().startsWith("AWS_SECRET"))
        .as("AWS credentials through secretKeyRef only").hasSize(2)
        .allSatisfy(e -> {
          assertThat(e.getValue()).isNull();
          assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("aws-credentials");
        });
    assertThat(env).extracting(EnvVar::getName).contains("TF_VAR_name", "TF_VAR_vpc_id", "TF_VAR_subnet_ids");
    assertThat(env).filteredOn(e -> e.getName().equals("TF_VAR_db_deletion_protection")).singleElement()
        .as("the development profile's deletion protection").satisfies(e -> assertThat(e.getValue()).isEqualTo("false"));

    var url = new String(Base64.getDecoder().decode(client.secrets().inNamespace(namespace).withName("acme-db-url")
        .get().getData().get("DATABASE_URL")), StandardCharsets.UTF_8);
    // The module's name carries the namespace (RDS identifiers are unique per account and region).
    var awsName = AwsNames.identifier(installation, 42);
    assertThat(awsName).startsWith(namespace + "-acme-");
    assertThat(url).isEqualTo("postgresql://infracast:generated-by-" + awsName + "@" + awsName
        + ".db.internal:5432/infracast");
    var deployment = client.apps().deployments().inNamespace(namespace).withName("acme-api").get();
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("DATABASE_URL")).singleElement()
        .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("acme-db-url"));
    assertThat(client.configMaps().inNamespace(namespace).withName("acme-config").get().getData())
        .containsEntry("ARTIFACTS_BUCKET", awsName + "-evidence").containsEntry("AWS_REGION", "eu-west-1");
    assertThat(installation("acme").get().getStatus().getDatabase().getEndpoint())
        .isEqualTo(awsName + ".db.internal:5432");
    assertThat(client.leases().inNamespace(namespace).withName("lock-tfstate-default-acme").get()).isNotNull();
    assertThat(client.rbac().roles().inNamespace(namespace).withName("acme-tofu").get().getRules())
        .extracting(r -> r.getResources().get(0) + ":" + r.getVerbs())
        .containsExactly("secrets:[get, list, create, update]", "leases:[get, create, update]");

    installation("acme").edit(i -> {
      i.getSpec().getDatabase().setInstanceClass("db.t3.large");
      return i;
    });
    var secondJob = TofuRunner.applyJob(installation("acme").get());
    assertThat(secondJob).as("changed inputs, a new Job").isNotEqualTo(firstJob);
    await().atMost(APPLY_TIMEOUT).untilAsserted(() -> {
      var second = client.batch().v1().jobs().inNamespace(namespace).withName(secondJob).get();
      assertThat(second).isNotNull();
      assertThat(MigrationPlan.completed(second)).isTrue();
      assertThat(stateOutput("acme", "instance_class")).isEqualTo("db.t3.large");
    });

    installation("acme").delete();
    await().atMost(APPLY_TIMEOUT).untilAsserted(() -> assertThat(installation("acme").get()).isNull());
    var destroy = client.batch().v1().jobs().inNamespace(namespace).withName("acme-tf-destroy").get();
    assertThat(MigrationPlan.completed(destroy)).as("the destroy Job completed").isTrue();
    var state = client.secrets().inNamespace(namespace).withName("tfstate-default-acme").get();
    assertThat(TofuDataPlane.outputs(state)).as("destroyed: no outputs left").isEmpty();
    assertThat(stateJson(state)).contains("\"resources\":[]");
  }

  @Test
  void aFailingValidationIsDegradedWithOpenTofusMessageAndNoMigrationWithoutAHotLoop() throws Exception {
    // An instance class the API server takes and AWS refuses for PostgreSQL (the test module plays AWS).
    var name = "refused";
    var installation = terraform(name, DeletionPolicy.Retain);
    installation.getSpec().getDatabase().setInstanceClass("db.t2.nano");
    client.resource(installation).create();

    // Conditions appear with the first status write: until then there is none to read.
    await().atMost(APPLY_TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      var degraded = condition(name, StatusAggregator.DEGRADED);
      assertThat(degraded.getStatus()).isEqualTo("True");
      assertThat(degraded.getReason()).isEqualTo("TofuApplyFailed");
      assertThat(degraded.getMessage()).contains("Error: Resource precondition failed")
          .contains("InvalidParameterCombination: RDS does not support creating a DB instance with the following"
              + " combination: DBInstanceClass=db.t2.nano");
    });
    System.out.println("Degraded: " + condition(name, StatusAggregator.DEGRADED).getMessage());
    var quiet = quietWindow(name);
    System.out.printf("failed apply, quiet window: %d reconciles, %d status writes, %d events in 5 s%n",
        quiet.reconciles(), quiet.statusWrites(), quiet.events());
    assertThat(quiet.reconciles()).as("reconciles in 5 s (a recheck each second, no hot loop)").isBetween(0L, 8L);
    assertThat(quiet.statusWrites()).isZero();
    assertThat(writes.reads("/namespaces/" + namespace + "/pods")).as("the failed Job's pods, read once before")
        .isZero();
    assertThat(client.batch().v1().jobs().inNamespace(namespace).withLabel(InstallationLabels.INSTANCE, name).list()
        .getItems()).as("the one failed apply, no migration Job").singleElement()
        .satisfies(j -> assertThat(MigrationJobNames.isMigration(j)).isFalse());
  }

  @Test
  void retainKeepsTheStateSecretWithoutADestroyJob() {
    client.resource(terraform("kept", DeletionPolicy.Retain)).create();
    awaitReady("kept");

    installation("kept").delete();
    await().atMost(APPLY_TIMEOUT).untilAsserted(() -> assertThat(installation("kept").get()).isNull());

    var state = client.secrets().inNamespace(namespace).withName("tfstate-default-kept").get();
    assertThat(state.getMetadata().getOwnerReferences()).as("nobody owns it: no garbage collection").isEmpty();
    assertThat(TofuDataPlane.outputs(state)).hasValueSatisfying(o -> assertThat(o.bucket())
        .isEqualTo(AwsNames.identifier(terraform("kept", DeletionPolicy.Retain), 42) + "-evidence"));
    assertThat(client.batch().v1().jobs().inNamespace(namespace).withName("kept-tf-destroy").get()).isNull();
  }

  private static void awaitReady(String name) {
    await().atMost(APPLY_TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      assertThat(condition(name, StatusAggregator.DATABASE_READY).getStatus()).isEqualTo("True");
      assertThat(condition(name, StatusAggregator.READY).getStatus()).isEqualTo("True");
    });
  }

  private static String stateOutput(String name, String output) throws Exception {
    var state = client.secrets().inNamespace(namespace).withName("tfstate-default-" + name).get();
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(stateJson(state)).path("outputs").path(output)
        .path("value").asText();
  }

  private static String stateJson(io.fabric8.kubernetes.api.model.Secret state) throws Exception {
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(Base64.getDecoder()
        .decode(state.getData().get("tfstate"))))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
