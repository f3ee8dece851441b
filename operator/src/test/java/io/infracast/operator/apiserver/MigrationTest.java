package io.infracast.operator.apiserver;

import static io.infracast.operator.testing.Installations.databaseSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.dependent.MigrationJobDependentResource;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorTestBase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upgrades: the migration Job runs first, the new image only after it succeeded; failures keep the old one. */
class MigrationTest extends OperatorTestBase {

  @Test
  void upgradeRunsTheMigrationJobFirstAndRollsOnlyAfterItSucceeded() {
    readyAt("up", "1.0.0");
    assertThat(migrationJobs("up", "1.0.0")).as("the first install migrated an empty schema").hasSize(1);
    jobs.hold();
    try {
      editSpec("up", spec -> spec.setVersion("1.1.0"));

      await().atMost(TIMEOUT).until(() -> migrationJobs("up", "1.1.0").size() == 1);
      await().atMost(TIMEOUT).until(() -> installation("up").get().getStatus().getPhase() == Phase.Migrating);
      var job = migrationJobs("up", "1.1.0").get(0);
      var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(job.getMetadata().getName()).isEqualTo("up-migrate-1-1-0");
      assertThat(container.getImage()).isEqualTo("infracast/vulcan-api:1.1.0");
      assertThat(container.getArgs()).containsExactly("migrate");
      assertThat(container.getEnv()).extracting(e -> e.getName()).contains("DATABASE_URL", "JWT_SECRET");
      assertThat(container.getEnv()).allSatisfy(e -> assertThat(e.getValue()).isNull());
      assertThat(job.getSpec().getParallelism()).isEqualTo(1);
      assertThat(job.getSpec().getCompletions()).isEqualTo(1);
      assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
      assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(1800L);
      assertThat(job.getSpec().getTtlSecondsAfterFinished()).isPositive();
      assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
      assertThat(image("up")).as("the old version serves while migrating").isEqualTo("infracast/vulcan-api:1.0.0");
      assertThat(condition("up", "Migrated").getReason()).isEqualTo("Migrating");
      assertThat(installation("up").get().getStatus().getSchemaVersion()).isEqualTo("1.0.0");
    } finally {
      jobs.release();
    }
    awaitVersionServed("up", "1.1.0");
    assertThat(image("up")).isEqualTo("infracast/vulcan-api:1.1.0");
    assertThat(condition("up", "Migrated").getStatus()).isEqualTo("True");
    assertThat(migrationJobs("up", "1.1.0")).hasSize(1);
  }

  @Test
  void aFailedMigrationKeepsTheOldVersionServingAndARetryRunsOnce() {
    readyAt("fails", "1.0.0");
    jobs.failVersion("1.2.0");
    editSpec("fails", spec -> spec.setVersion("1.2.0"));

    await().atMost(TIMEOUT).untilAsserted(() -> {
      var degraded = condition("fails", "Degraded");
      assertThat(degraded.getStatus()).isEqualTo("True");
      assertThat(degraded.getReason()).isEqualTo("MigrationFailed");
      assertThat(degraded.getMessage()).contains("fails-migrate-1-2-0", "column \"tenant_id\" does not exist",
          "spec.migration.retry to 1");
    });
    var status = installation("fails").get().getStatus();
    assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
    assertThat(status.getVersion()).isEqualTo("1.0.0");
    assertThat(status.getSchemaVersion()).isEqualTo("1.0.0");
    assertThat(image("fails")).isEqualTo("infracast/vulcan-api:1.0.0");
    assertThat(condition("fails", "Ready").getStatus()).as("1.2.0 is not served").isEqualTo("False");

    jobs.succeedVersion("1.2.0");
    raiseRetry("fails", 1);

    awaitVersionServed("fails", "1.2.0");
    assertThat(migrationJobs("fails", "1.2.0")).extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder("fails-migrate-1-2-0", "fails-migrate-1-2-0-r1");
    assertThat(condition("fails", "Degraded").getStatus()).isEqualTo("False");
  }

  @Test
  void aFailedMigrationWhosePodsAreGoneSaysWhatTheJobSays() {
    readyAt("podless", "1.0.0");
    jobs.failVersionWithoutPods("1.4.0");
    try {
      editSpec("podless", spec -> spec.setVersion("1.4.0"));

      await().atMost(TIMEOUT).untilAsserted(() -> {
        var degraded = condition("podless", "Degraded");
        assertThat(degraded.getReason()).isEqualTo("MigrationFailed");
        assertThat(degraded.getMessage()).contains("podless-migrate-1-4-0",
            "BackoffLimitExceeded: Job has reached the specified backoff limit");
      });
    } finally {
      jobs.succeedVersion("1.4.0");
    }
  }

  @Test
  void aDowngradeIsRefusedAndTouchesNothing() {
    readyAt("down", "1.3.0");
    var deploymentVersion = client.apps().deployments().inNamespace(namespace).withName("down-api").get()
        .getMetadata().getResourceVersion();

    editSpec("down", spec -> {
      spec.setVersion("1.2.9");
      spec.getArtifacts().setBucketName("another-bucket");
    });

    await().atMost(TIMEOUT).untilAsserted(() -> {
      var degraded = condition("down", "Degraded");
      assertThat(degraded.getReason()).isEqualTo("DowngradeRefused");
      assertThat(degraded.getMessage()).contains("1.2.9 is older than the schema's version 1.3.0");
    });
    assertThat(migrationJobs("down", "1.2.9")).isEmpty();
    assertThat(client.apps().deployments().inNamespace(namespace).withName("down-api").get().getMetadata()
        .getResourceVersion()).isEqualTo(deploymentVersion);
    assertThat(client.configMaps().inNamespace(namespace).withName("down-config").get().getData())
        .containsEntry("ARTIFACTS_BUCKET", "down-evidence");
    assertThat(installation("down").get().getStatus().getVersion()).isEqualTo("1.3.0");
  }

  @Test
  void anOperatorRestartedAfterCreatingTheJobDoesNotCreateASecond() throws Exception {
    var installation = readyAt("crash", "1.0.0");
    stopOperatorProcess();
    // The operator died right after creating the Job of 1.1.0, before it wrote any status.
    jobs.hold();
    try {
      client.resource(new JobBuilder()
          .withNewMetadata().withName("crash-migrate-1-1-0").withNamespace(namespace)
            .addToLabels(InstallationLabels.of(installation, "migration"))
            .addToLabels(MigrationJobDependentResource.TARGET_VERSION_LABEL, "1.1.0")
            .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(installation.getApiVersion())
                .withKind(installation.getKind()).withName("crash").withUid(installation.getMetadata().getUid())
                .withController(true).build())
          .endMetadata()
          .withNewSpec().withBackoffLimit(2).withNewTemplate().withNewSpec().withRestartPolicy("Never")
            .addNewContainer().withName("api").withImage("infracast/vulcan-api:1.1.0").withArgs("migrate")
            .endContainer().endSpec().endTemplate().endSpec()
          .build()).create();
      editSpec("crash", spec -> spec.setVersion("1.1.0"));

      startOperatorProcess();
      await().atMost(TIMEOUT).until(() -> installation("crash").get().getStatus().getPhase() == Phase.Migrating);
      Thread.sleep(3000); // several reconciles (resync every 2 s in tests)
      assertThat(migrationJobs("crash", "1.1.0")).hasSize(1);
    } finally {
      jobs.release();
    }
    awaitVersionServed("crash", "1.1.0");
    assertThat(migrationJobs("crash", "1.1.0")).hasSize(1);
  }
}
