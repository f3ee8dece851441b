package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.InfracastInstallationStatus;
import io.infracast.operator.migration.MigrationJobNames;
import io.infracast.operator.migration.MigrationPlan;
import io.infracast.operator.migration.MigrationPlan.Step;
import io.infracast.operator.migration.RolloutLimiter;
import io.infracast.operator.migration.Versions;
import io.infracast.operator.testing.Installations;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MigrationPlanTest {

  private static final Set<String> LIVE = Set.of("ns/acme", "ns/a", "ns/b", "ns/c");

  private static InfracastInstallation at(String specVersion, String schemaVersion) {
    var installation = Installations.development("ns", "acme");
    installation.getSpec().setVersion(specVersion);
    var status = new InfracastInstallationStatus();
    status.setSchemaVersion(schemaVersion);
    installation.setStatus(status);
    return installation;
  }

  private static Job job(String name, String finished, String message) {
    var builder = new JobBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus().endStatus();
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

  @Test
  void jobNamesFitALabelValueAndStayDistinct() {
    assertThat(MigrationJobNames.of("acme", "1.4.2", 0)).isEqualTo("acme-migrate-1-4-2");
    assertThat(MigrationJobNames.of("acme", "1.5.0-RC.1", 2)).isEqualTo("acme-migrate-1-5-0-rc-1-r2");
    var longName = "a-very-long-installation-name-for-a-tenant-with-a-long-name";
    var first = MigrationJobNames.of(longName, "1.4.2", 0);
    var retry = MigrationJobNames.of(longName, "1.4.2", 1);
    assertThat(first).hasSizeLessThanOrEqualTo(63).doesNotEndWith("-").isNotEqualTo(retry);
    assertThat(retry).hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void theLimiterHoldsAtMostItsLimitAndFreesSlotsOfDeletedInstallations() {
    var limiter = new RolloutLimiter(2);
    assertThat(limiter.tryAcquire("ns/a", LIVE)).isTrue();
    assertThat(limiter.tryAcquire("ns/b", LIVE)).isTrue();
    assertThat(limiter.tryAcquire("ns/a", LIVE)).as("a holder keeps its slot").isTrue();
    assertThat(limiter.tryAcquire("ns/c", LIVE)).isFalse();
    assertThat(limiter.tryAcquire("ns/c", Set.of("ns/a", "ns/c"))).as("ns/b was deleted").isTrue();
    assertThatThrownBy(() -> new RolloutLimiter(0)).hasMessageContaining("at least 1");
  }

  @Test
  void aCurrentSchemaServesTheSpecVersion() {
    var plan = MigrationPlan.of(at("1.4.2", "1.4.2"), List.of(), new RolloutLimiter(1), LIVE, true);
    assertThat(plan.step()).isEqualTo(Step.CURRENT);
    assertThat(plan.servingVersion()).isEqualTo("1.4.2");
  }

  @Test
  void anUpgradeStartsItsJobWhileTheOldVersionServes() {
    var limiter = new RolloutLimiter(1);
    var plan = MigrationPlan.of(at("1.5.0", "1.4.2"), List.of(), limiter, LIVE, true);
    assertThat(plan.step()).isEqualTo(Step.START_JOB);
    assertThat(plan.jobName()).isEqualTo("acme-migrate-1-5-0");
    assertThat(plan.servingVersion()).isEqualTo("1.4.2");
    assertThat(limiter.inFlight()).isEqualTo(1);
  }

  @Test
  void aFirstInstallServesNothingUntilItsSchemaExists() {
    var plan = MigrationPlan.of(at("1.4.2", null), List.of(job("acme-migrate-1-4-2", null, null)),
        new RolloutLimiter(1), LIVE, true);
    assertThat(plan.step()).isEqualTo(Step.RUNNING);
    assertThat(plan.servingVersion()).isNull();
  }

  @Test
  void noJobAndNoSlotWhileTheDataPlaneIsNotUsable() {
    var limiter = new RolloutLimiter(1);
    var plan = MigrationPlan.of(at("1.5.0", "1.4.2"), List.of(), limiter, LIVE, false);
    assertThat(plan.step()).isEqualTo(Step.WAITING_FOR_DATA_PLANE);
    assertThat(plan.runsJob()).isFalse();
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void aFullFleetMakesItWait() {
    var limiter = new RolloutLimiter(1);
    limiter.tryAcquire("ns/b", LIVE);
    var plan = MigrationPlan.of(at("1.5.0", "1.4.2"), List.of(), limiter, LIVE, true);
    assertThat(plan.step()).isEqualTo(Step.WAITING_FOR_SLOT);
    assertThat(plan.runsJob()).isFalse();
  }

  @Test
  void aSucceededJobMovesTheSchemaAndTheServedVersion() {
    var plan = MigrationPlan.of(at("1.5.0", "1.4.2"), List.of(job("acme-migrate-1-5-0", "Complete", null)),
        new RolloutLimiter(1), LIVE, true);
    assertThat(plan.step()).isEqualTo(Step.SUCCEEDED);
    assertThat(plan.schemaVersion()).isEqualTo("1.5.0");
    assertThat(plan.servingVersion()).isEqualTo("1.5.0");
  }

  @Test
  void aFailedJobKeepsTheOldVersionFreesTheSlotAndSaysHowToRetry() {
    var limiter = new RolloutLimiter(1);
    limiter.tryAcquire("ns/acme", LIVE);
    var plan = MigrationPlan.of(at("1.5.0", "1.4.2"),
        List.of(job("acme-migrate-1-5-0", "Failed", "relation \"tenants\" does not exist")), limiter, LIVE, true);
    assertThat(plan.step()).isEqualTo(Step.FAILED);
    assertThat(plan.servingVersion()).isEqualTo("1.4.2");
    assertThat(plan.message()).contains("relation \"tenants\" does not exist", "spec.migration.retry to 1");
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void aDowngradeIsRefused() {
    var plan = MigrationPlan.of(at("1.4.1", "1.4.2"), List.of(), new RolloutLimiter(1), LIVE, true);
    assertThat(plan.step()).isEqualTo(Step.DOWNGRADE_REFUSED);
    assertThat(plan.servingVersion()).isEqualTo("1.4.2");
    assertThat(plan.message()).contains("1.4.1 is older than the schema's version 1.4.2");
  }
}
