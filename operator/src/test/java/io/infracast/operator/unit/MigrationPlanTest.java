package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.InfracastInstallationStatus;
import io.infracast.operator.migration.MigrationJobNames;
import io.infracast.operator.migration.MigrationPlan;
import io.infracast.operator.migration.MigrationPlan.Step;
import io.infracast.operator.api.v1alpha1.MigrationSpec;
import io.infracast.operator.migration.MigrationLedger;
import io.infracast.operator.migration.MigrationPlan.Owned;
import io.infracast.operator.migration.Versions;
import io.infracast.operator.testing.Installations;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationPlanTest {

  private static InfracastInstallation at(String specVersion, String schemaVersion) {
    var installation = Installations.development("ns", "acme");
    installation.getSpec().setVersion(specVersion);
    var status = new InfracastInstallationStatus();
    status.setSchemaVersion(schemaVersion);
    installation.setStatus(status);
    return installation;
  }

  private static Job job(String name, String finished, String message) {
    var version = name.replaceFirst("^acme-migrate-", "").replaceFirst("-r\\d+$", "").replace('-', '.');
    var builder = new JobBuilder().withNewMetadata().withName(name)
        .addToLabels(MigrationJobNames.TARGET_VERSION_LABEL, version).endMetadata().withNewStatus().endStatus();
    if (finished != null) {
      builder.editStatus().addNewCondition().withType(finished).withStatus("True").withReason("BackoffLimitExceeded")
          .withMessage(message).endCondition().endStatus();
    }
    return builder.build();
  }

  @Test
  void versionsOrderAsSemanticVersions() {
    assertThat(Stream.of("1.10.0", "1.2.0", "1.2.0-rc.1", "2.0.0", "1.2.1").sorted(Versions.ORDER).toList())
        .containsExactly("1.2.0-rc.1", "1.2.0", "1.2.1", "1.10.0", "2.0.0");
  }

  /** The chains of semver.org section 11, and what sorting prereleases as text got wrong. */
  @ParameterizedTest
  @ValueSource(strings = {
      "1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < 1.0.0-beta.2 < 1.0.0-beta.11 < 1.0.0-rc.1"
          + " < 1.0.0",
      "1.0.0 < 2.0.0 < 2.1.0 < 2.1.1",
      "1.5.0-rc.9 < 1.5.0-rc.10",
      "1.0.0-9 < 1.0.0-10 < 1.0.0-1a < 1.0.0-A < 1.0.0-a",
      "1.0.0-rc.9 < 1.0.0-rc.10 < 1.0.0-rc.10.0 < 1.0.0-rc.x",
      "9.9.9 < 10.0.0 < 10.0.99999999999999999999"})
  void versionsFollowSemanticVersioningPrecedence(String chain) {
    var versions = List.of(chain.split(" < "));
    assertThat(versions).allMatch(Versions::isVersion);
    for (int i = 0; i < versions.size(); i++) {
      for (int j = 0; j < versions.size(); j++) {
        assertThat(Integer.signum(Versions.compare(versions.get(i), versions.get(j))))
            .as("%s against %s", versions.get(i), versions.get(j)).isEqualTo(Integer.compare(i, j));
      }
    }
  }

  /** Exactly the SemVer 2.0.0 grammar, without +build metadata (spec.version is an image tag). */
  @ParameterizedTest
  @ValueSource(strings = {"1.5", "v1.2.3", "1.2.3+build", "01.2.3", "1.02.3", "1.2.3-01", "1.2.3-", "1.2.3-rc..1",
      "1.2.3-rc.", "1.2.3-rc_1", "latest", ""})
  void onlySemanticVersionsAreVersions(String text) {
    assertThat(Versions.isVersion(text)).isFalse();
  }

  @Test
  void jobNamesFitALabelValueAndStayDistinct() {
    assertThat(MigrationJobNames.of("acme", "1.4.2", 0)).isEqualTo("acme-migrate-1-4-2");
    assertThat(MigrationJobNames.of("acme", "1.5.0-rc.1", 2)).isEqualTo("acme-migrate-1-5-0-rc-1-r2");
    assertThat(Stream.of("1.5.0-rc.1", "1.5.0-rc-1", "1.5.0-RC.1").map(v -> MigrationJobNames.of("acme", v, 0)))
        .as("versions that differ only in case or dots against dashes get distinct Jobs")
        .doesNotHaveDuplicates().allSatisfy(name -> assertThat(name).startsWith("acme-migrate-1-5-0-rc-1")
            .hasSizeLessThanOrEqualTo(63));
    var longName = "a-very-long-installation-name-for-a-tenant-with-a-long-name";
    var first = MigrationJobNames.of(longName, "1.4.2", 0);
    var retry = MigrationJobNames.of(longName, "1.4.2", 1);
    assertThat(first).hasSizeLessThanOrEqualTo(63).doesNotEndWith("-").isNotEqualTo(retry);
    assertThat(retry).hasSizeLessThanOrEqualTo(63);
  }

  private static MigrationPlan plan(InfracastInstallation installation, Job... jobs) {
    return MigrationPlan.of(installation, new Owned(List.of(jobs), MigrationLedger.EMPTY, Optional.empty()), true);
  }

  @Test
  void aCurrentSchemaServesTheSpecVersion() {
    var plan = plan(at("1.4.2", "1.4.2"));
    assertThat(plan.step()).isEqualTo(Step.CURRENT);
    assertThat(plan.servingVersion()).isEqualTo("1.4.2");
  }

  @Test
  void anUpgradeAsksForItsJobWhileTheOldVersionServes() {
    var plan = plan(at("1.5.0", "1.4.2"));
    assertThat(plan.step()).isEqualTo(Step.START_JOB);
    assertThat(plan.runsJob()).isTrue();
    assertThat(plan.jobName()).isEqualTo("acme-migrate-1-5-0");
    assertThat(plan.servingVersion()).isEqualTo("1.4.2");
    var waiting = plan.waitingForSlot(5, false);
    assertThat(waiting.step()).isEqualTo(Step.WAITING_FOR_SLOT);
    assertThat(waiting.runsJob()).isFalse();
    assertThat(waiting.message()).contains("5 installations are already migrating");
  }

  @Test
  void aFirstInstallServesNothingUntilItsSchemaExists() {
    var plan = plan(at("1.4.2", null), job("acme-migrate-1-4-2", null, null));
    assertThat(plan.step()).isEqualTo(Step.RUNNING);
    assertThat(plan.servingVersion()).isNull();
  }

  @Test
  void noJobWhileTheDataPlaneIsNotUsable() {
    var plan = MigrationPlan.of(at("1.5.0", "1.4.2"), Owned.NOTHING, false);
    assertThat(plan.step()).isEqualTo(Step.WAITING_FOR_DATA_PLANE);
    assertThat(plan.runsJob()).isFalse();
  }

  @Test
  void aSucceededJobMovesTheSchemaAndTheServedVersion() {
    var plan = plan(at("1.5.0", "1.4.2"), job("acme-migrate-1-5-0", "Complete", null));
    assertThat(plan.step()).as("a completed Job is where the schema is").isEqualTo(Step.CURRENT);
    assertThat(plan.schemaVersion()).isEqualTo("1.5.0");
    assertThat(plan.servingVersion()).isEqualTo("1.5.0");
  }

  @Test
  void aFailedJobKeepsTheOldVersionAndSaysHowToRetry() {
    var plan = plan(at("1.5.0", "1.4.2"),
        job("acme-migrate-1-5-0", "Failed", "relation \"tenants\" does not exist"));
    assertThat(plan.step()).isEqualTo(Step.FAILED);
    assertThat(plan.runsJob()).isFalse();
    assertThat(plan.servingVersion()).isEqualTo("1.4.2");
    assertThat(plan.message()).contains("relation \"tenants\" does not exist", "spec.migration.retry to 1");
  }

  @ParameterizedTest
  @CsvSource({"1.4.1, 1.4.2", "1.5.0-rc.9, 1.5.0-rc.10", "1.5.0-rc.10, 1.5.0", "1.5.0-beta.11, 1.5.0-rc.1"})
  void aDowngradeIsRefused(String older, String newer) {
    var plan = plan(at(older, newer));
    assertThat(plan.step()).isEqualTo(Step.DOWNGRADE_REFUSED);
    assertThat(plan.servingVersion()).isEqualTo(newer);
    assertThat(plan.message()).contains(older + " is older than the schema's version " + newer);

    var upgrade = plan(at(newer, older));
    assertThat(upgrade.step()).as("%s to %s is an upgrade", older, newer).isEqualTo(Step.START_JOB);
    assertThat(upgrade.servingVersion()).isEqualTo(older);
  }

  @Test
  void aLostStatusIsRecoveredFromTheLedgerTheJobsOrTheDeployment() {
    var lost = at("1.5.0", null);
    var fromLedger = MigrationPlan.of(lost, new Owned(List.of(), new MigrationLedger("1.5.0", Map.of()),
        Optional.empty()), true);
    assertThat(fromLedger.step()).isEqualTo(Step.CURRENT);

    var fromJob = plan(lost, job("acme-migrate-1-5-0", "Complete", null));
    assertThat(fromJob.schemaVersion()).isEqualTo("1.5.0");

    var fromDeployment = MigrationPlan.of(lost, new Owned(List.of(), MigrationLedger.EMPTY, Optional.of("1.5.0")),
        true);
    assertThat(fromDeployment.step()).as("the pods never run ahead of the schema").isEqualTo(Step.CURRENT);

    var behind = MigrationPlan.of(lost, new Owned(List.of(), MigrationLedger.EMPTY, Optional.of("1.4.2")), true);
    assertThat(behind.step()).as("at worst an idempotent migrate").isEqualTo(Step.START_JOB);
    assertThat(behind.servingVersion()).as("the running pods keep their version").isEqualTo("1.4.2");
  }

  @Test
  void theNewestKnownSchemaWinsAndGarbageIsIgnored() {
    var installation = at("1.6.0", "1.4.2");
    var plan = MigrationPlan.of(installation, new Owned(List.of(job("acme-migrate-1-5-0", "Complete", null)),
        new MigrationLedger("not-a-version", Map.of()), Optional.of("1.4.2")), true);
    assertThat(plan.schemaVersion()).isEqualTo("1.5.0");
  }

  @Test
  void aFailureIsRememberedAfterItsJobIsGoneUntilRetryIsRaised() {
    var installation = at("1.5.0", "1.4.2");
    var failed = plan(installation, job("acme-migrate-1-5-0", "Failed", "relation missing"));
    var ledger = MigrationLedger.EMPTY.after(failed);
    assertThat(ledger.failures()).containsOnlyKeys("acme-migrate-1-5-0");

    var jobGone = MigrationPlan.of(installation, new Owned(List.of(), ledger, Optional.of("1.4.2")), true);
    assertThat(jobGone.step()).as("no Job is started again by itself").isEqualTo(Step.FAILED);
    assertThat(jobGone.runsJob()).as("the failed Job's name is free, yet it is not created again").isFalse();
    assertThat(jobGone.message()).contains("relation missing");

    var migration = new MigrationSpec();
    migration.setRetry(1);
    installation.getSpec().setMigration(migration);
    var retried = MigrationPlan.of(installation, new Owned(List.of(), ledger, Optional.of("1.4.2")), true);
    assertThat(retried.step()).isEqualTo(Step.START_JOB);
    assertThat(retried.jobName()).isEqualTo("acme-migrate-1-5-0-r1");

    var succeeded = plan(installation, job("acme-migrate-1-5-0-r1", "Complete", null));
    assertThat(ledger.after(succeeded)).as("a current schema forgets old failures")
        .isEqualTo(new MigrationLedger("1.5.0", Map.of()));
  }

  @Test
  void theLedgerRoundTripsThroughItsConfigMap() {
    var ledger = new MigrationLedger("1.5.0", Map.of("acme-migrate-1-6-0", "BackoffLimitExceeded: boom"));
    var configMap = new ConfigMapBuilder().withData(ledger.data()).build();
    assertThat(MigrationLedger.read(Optional.of(configMap))).isEqualTo(ledger);
    assertThat(MigrationLedger.read(Optional.empty())).isEqualTo(MigrationLedger.EMPTY);
  }
}
