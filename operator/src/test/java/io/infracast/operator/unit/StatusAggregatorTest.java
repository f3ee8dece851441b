package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.data.ArtifactStoreState;
import io.infracast.operator.data.DatabaseState;
import io.infracast.operator.data.ack.AckApis;
import io.infracast.operator.data.aws.AwsFacts;
import io.infracast.operator.data.aws.AwsReads;
import io.infracast.operator.data.aws.SecretsFromAws;
import io.infracast.operator.migration.MigrationLedger;
import io.infracast.operator.migration.MigrationPlan;
import io.infracast.operator.reconciler.DeploymentRollout;
import io.infracast.operator.reconciler.Problem;
import io.infracast.operator.reconciler.Profiles;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.infracast.operator.reconciler.StatusAggregator;
import io.infracast.operator.testing.Installations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {

  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-11-27T10:05:00Z");

  private static final DatabaseState DB_READY = DatabaseState.ready("ExternalDatabase", "ok", "db:5432");
  private static final AckApis.Served NO_ACK = new AckApis.Served(false, false);
  private static final AckApis.Served ACK = new AckApis.Served(true, true);
  private static final ArtifactStoreState BUCKET_READY =
      ArtifactStoreState.ready("ExternalBucket", "ok", "bucket", "us-east-1");
  private static final DeploymentRollout AVAILABLE =
      new DeploymentRollout(true, true, true, false, "1.0.0", "version 1.0.0 is available on 1 of 1 pods");
  private static final DeploymentRollout ROLLING =
      new DeploymentRollout(true, true, false, false, "1.0.0", "0 of 1 pods run version 1.0.0");

  private static InfracastInstallation installation(long generation) {
    var installation = Installations.development("ns", "acme");
    installation.getMetadata().setGeneration(generation);
    return installation;
  }

  private static ReconcileFacts facts(InfracastInstallation installation, DatabaseState db, List<Problem> problems) {
    var version = installation.getSpec().getVersion();
    return facts(installation, db, problems, new MigrationPlan(MigrationPlan.Step.CURRENT, version, version,
        version, "acme-migrate-" + version, "the schema is at version " + version, null));
  }

  private static ReconcileFacts facts(InfracastInstallation installation, DatabaseState db, List<Problem> problems,
      MigrationPlan plan) {
    return new ReconcileFacts(Profiles.effective(installation.getSpec()), db, BUCKET_READY, NO_ACK, problems, plan,
        MigrationLedger.EMPTY, false, false, AwsFacts.NONE);
  }

  private static StatusAggregator at(Instant now) {
    return new StatusAggregator(Clock.fixed(now, ZoneOffset.UTC));
  }

  private static Condition condition(StatusAggregator.Result result, String type) {
    return result.status().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  @Test
  void readyWhenTheWantedVersionIsAvailable() {
    var installation = installation(1);
    var result = at(T0).aggregate(installation, facts(installation, DB_READY, List.of()), AVAILABLE);

    assertThat(result.status().getPhase()).isEqualTo(Phase.Ready);
    assertThat(result.status().getVersion()).isEqualTo("1.0.0");
    assertThat(result.status().getObservedGeneration()).isEqualTo(1L);
    assertThat(condition(result, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(result, "Progressing").getStatus()).isEqualTo("False");
    assertThat(condition(result, "Degraded").getStatus()).isEqualTo("False");
    assertThat(result.status().getConditions()).allSatisfy(c -> {
      assertThat(c.getObservedGeneration()).isEqualTo(1L);
      assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-27T10:00:00Z");
    });
    assertThat(result.transitions()).extracting(StatusAggregator.Transition::type)
        .containsExactlyInAnyOrder("Ready", "Progressing", "Degraded", "DatabaseReady", "ArtifactStoreReady",
            "Migrated");
  }

  @Test
  void notReadyWhileAnOtherVersionIsAvailable() {
    var installation = installation(2);
    installation.getSpec().setVersion("1.1.0");
    var result = at(T0).aggregate(installation, facts(installation, DB_READY, List.of()), AVAILABLE);

    assertThat(condition(result, "Ready").getStatus()).isEqualTo("False");
    assertThat(result.status().getPhase()).isEqualTo(Phase.RollingOut);
    assertThat(result.status().getVersion()).as("the version the pods really serve").isEqualTo("1.0.0");
  }

  @Test
  void lastTransitionTimeMovesOnlyOnARealTransition() {
    var installation = installation(1);
    var first = at(T0).aggregate(installation, facts(installation, DB_READY, List.of()), ROLLING);
    installation.setStatus(first.status());

    var same = at(T1).aggregate(installation, facts(installation, DB_READY, List.of()), ROLLING);
    assertThat(same.changed(installation.getStatus())).as("nothing changed: nothing to write").isFalse();
    assertThat(same.transitions()).isEmpty();

    var ready = at(T1).aggregate(installation, facts(installation, DB_READY, List.of()), AVAILABLE);
    assertThat(condition(ready, "Ready").getLastTransitionTime()).isEqualTo("2026-11-27T10:05:00Z");
    assertThat(condition(ready, "Progressing").getLastTransitionTime()).isEqualTo("2026-11-27T10:05:00Z");
    assertThat(condition(ready, "Degraded").getLastTransitionTime()).isEqualTo("2026-11-27T10:00:00Z");
    assertThat(condition(ready, "DatabaseReady").getLastTransitionTime()).isEqualTo("2026-11-27T10:00:00Z");
    assertThat(ready.transitions()).extracting(StatusAggregator.Transition::type)
        .containsExactlyInAnyOrder("Ready", "Progressing");
  }

  @Test
  void aDatabaseOnItsWayIsProgressAndSaysSoBeforeTheBucketButATerminalOneIsAProblem() {
    var installation = installation(1);
    var waiting = new MigrationPlan(MigrationPlan.Step.WAITING_FOR_DATA_PLANE, "1.0.0", null, null, null,
        "the migration waits for the data plane", null);
    var absent = new DeploymentRollout(false, true, false, false, null, "absent");
    var creating = DatabaseState.provisioning("DatabaseCreating", "RDS instance ns-acme (DBInstance ns/acme-db)"
        + " is creating");
    var syncing = ArtifactStoreState.provisioning("BucketNotSynced", "Bucket ns/acme-artifacts is not synced yet");
    var result = at(T0).aggregate(installation, new ReconcileFacts(Profiles.effective(installation.getSpec()),
        creating, syncing, ACK, List.of(), waiting, MigrationLedger.EMPTY, false, false, AwsFacts.NONE), absent);

    assertThat(condition(result, "DatabaseReady")).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("DatabaseCreating");
    });
    assertThat(condition(result, "Degraded").getStatus()).isEqualTo("False");
    assertThat(condition(result, "Progressing")).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("DatabaseCreating");
    });

    var refused = DatabaseState.notReady("AckTerminal", "ACK cannot provision RDS instance ns-acme");
    var terminal = at(T0).aggregate(installation, new ReconcileFacts(Profiles.effective(installation.getSpec()),
        refused, syncing, ACK, List.of(), waiting, MigrationLedger.EMPTY, false, false, AwsFacts.NONE), absent);
    assertThat(condition(terminal, "Degraded")).satisfies(c -> {
      assertThat(c.getReason()).isEqualTo("AckTerminal");
      assertThat(c.getMessage()).isEqualTo("ACK cannot provision RDS instance ns-acme");
    });
    assertThat(condition(terminal, "Progressing").getStatus()).isEqualTo("False");
  }

  @Test
  void anExternalBucketLeftOpenIsSaidInItsOwnConditionWithoutDegradingTheInstallation() {
    var installation = installation(1);
    var version = installation.getSpec().getVersion();
    var current = new MigrationPlan(MigrationPlan.Step.CURRENT, version, version, version, "acme-migrate-" + version,
        "the schema is at version " + version, null);
    var open = new AwsReads.BucketCheck(false, true, "PublicAccessNotBlocked",
        "bucket acme-evidence: its public-access block leaves off BlockPublicPolicy");
    var result = at(T0).aggregate(installation, new ReconcileFacts(Profiles.effective(installation.getSpec()),
        DB_READY, BUCKET_READY, NO_ACK, List.of(), current, MigrationLedger.EMPTY, false, false,
        new AwsFacts(SecretsFromAws.NONE, Optional.of(open), Optional.of(Duration.ofMinutes(5)))), AVAILABLE);

    assertThat(condition(result, StatusAggregator.ARTIFACT_STORE_CHECKED)).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("PublicAccessNotBlocked");
      assertThat(c.getMessage()).isEqualTo("bucket acme-evidence: its public-access block leaves off"
          + " BlockPublicPolicy");
    });
    assertThat(condition(result, "Degraded").getStatus()).isEqualTo("False");
    assertThat(condition(result, "Ready").getStatus()).isEqualTo("True");

    var noCheck = at(T0).aggregate(installation, facts(installation, DB_READY, List.of()), AVAILABLE);
    assertThat(noCheck.status().condition(StatusAggregator.ARTIFACT_STORE_CHECKED))
        .as("no condition for a bucket the operator does not check").isEmpty();
  }

  @Test
  void aBucketOnItsWayIsProgressButATerminalOneIsAProblem() {
    var installation = installation(1);
    var waiting = new MigrationPlan(MigrationPlan.Step.WAITING_FOR_DATA_PLANE, "1.0.0", null, null, null,
        "the migration waits for the data plane", null);
    var absent = new DeploymentRollout(false, true, false, false, null, "absent");
    var syncing = ArtifactStoreState.provisioning("BucketNotSynced", "Bucket ns/acme-artifacts is not synced yet");
    var result = at(T0).aggregate(installation, new ReconcileFacts(Profiles.effective(installation.getSpec()),
        DB_READY, syncing, ACK, List.of(), waiting, MigrationLedger.EMPTY, false, false, AwsFacts.NONE), absent);

    assertThat(condition(result, "ArtifactStoreReady").getStatus()).isEqualTo("False");
    assertThat(condition(result, "Degraded").getStatus()).isEqualTo("False");
    assertThat(condition(result, "Progressing")).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getMessage()).isEqualTo("Bucket ns/acme-artifacts is not synced yet");
    });
    assertThat(result.status().getPhase()).isEqualTo(Phase.Provisioning);

    var refused = ArtifactStoreState.notReady("AckTerminal", "ACK cannot provision bucket acme-evidence");
    var terminal = at(T0).aggregate(installation, new ReconcileFacts(Profiles.effective(installation.getSpec()),
        DB_READY, refused, ACK, List.of(), waiting, MigrationLedger.EMPTY, false, false, AwsFacts.NONE), absent);
    assertThat(condition(terminal, "Degraded").getReason()).isEqualTo("AckTerminal");
    assertThat(condition(terminal, "Progressing").getStatus()).isEqualTo("False");
    assertThat(terminal.status().getPhase()).isEqualTo(Phase.Degraded);
  }

  @Test
  void degradedNamesEveryProblemAndTheFirstReason() {
    var installation = installation(1);
    var missing = DatabaseState.notReady("DatabaseSecretMissing", "Secret ns/acme-database does not exist");
    var result = at(T0).aggregate(installation, facts(installation, missing,
        List.of(new Problem("JwtSecretKeyMissing", "Secret ns/jwt has no key JWT_SECRET"))),
        new DeploymentRollout(false, true, false, false, null, "absent"));

    var degraded = condition(result, "Degraded");
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo("DatabaseSecretMissing");
    assertThat(degraded.getMessage())
        .isEqualTo("Secret ns/acme-database does not exist; Secret ns/jwt has no key JWT_SECRET");
    assertThat(condition(result, "DatabaseReady").getStatus()).isEqualTo("False");
    assertThat(result.status().getPhase()).isEqualTo(Phase.Degraded);
  }

  @Test
  void servingPodsWithABrokenDataPlaneAreNotReady() {
    var installation = installation(1);
    var deleted = DatabaseState.notReady("DatabaseSecretMissing", "Secret ns/acme-database does not exist");
    var result = at(T0).aggregate(installation, facts(installation, deleted, List.of()), AVAILABLE);

    var ready = condition(result, "Ready");
    assertThat(ready.getStatus()).as("new pods could not start").isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("DatabaseSecretMissing");
    assertThat(ready.getMessage()).contains("serves", "Secret ns/acme-database does not exist");
    assertThat(result.status().getPhase()).isEqualTo(Phase.Degraded);
  }

  @Test
  void aFailedReconcileKeepsWhatWasKnownAndIsNotReady() {
    var installation = installation(1);
    installation.setStatus(at(T0).aggregate(installation, facts(installation, DB_READY, List.of()), AVAILABLE)
        .status());

    var result = at(T1).failed(installation, "ReconcileError", "service: the API server answered 500");
    assertThat(condition(result, "Degraded").getReason()).isEqualTo("ReconcileError");
    assertThat(condition(result, "Degraded").getMessage()).isEqualTo("service: the API server answered 500");
    assertThat(condition(result, "Ready").getStatus()).as("an owned object may be missing").isEqualTo("False");
    assertThat(condition(result, "Migrated").getLastTransitionTime()).isEqualTo("2026-11-27T10:00:00Z");
    assertThat(result.status().getPhase()).isEqualTo(Phase.Degraded);
    assertThat(result.status().getVersion()).isEqualTo("1.0.0");
    assertThat(result.transitions()).extracting(StatusAggregator.Transition::type)
        .containsExactlyInAnyOrder("Ready", "Degraded");

    installation.setStatus(result.status());
    assertThat(at(T1).failed(installation, "ReconcileError", "service: the API server answered 500")
        .changed(installation.getStatus())).as("the same failure again writes nothing").isFalse();
  }

  @Test
  void aReplicaChangeTheControllerHasNotObservedKeepsReady() {
    var installation = installation(1);
    installation.setStatus(at(T0).aggregate(installation, facts(installation, DB_READY, List.of()), AVAILABLE)
        .status());
    var scaled = new DeploymentRollout(true, false, false, false, "1.0.0",
        "waiting for the Deployment controller to observe the new generation");

    var result = at(T1).aggregate(installation, facts(installation, DB_READY, List.of()), scaled);
    assertThat(condition(result, "Ready").getStatus()).isEqualTo("True");
    assertThat(result.transitions()).as("no Event for a scale").isEmpty();
    assertThat(result.changed(installation.getStatus())).isFalse();
  }

  @Test
  void aFailedMigrationStopsProgressingAndAnUnreachableDatabaseSaysSo() {
    var installation = installation(2);
    installation.getSpec().setVersion("1.1.0");
    var failure = "BackoffLimitExceeded: infracast-api: database unreachable at db:5432 after 9 attempts in 20 s";
    var plan = new MigrationPlan(MigrationPlan.Step.FAILED, "1.1.0", "1.0.0", "1.0.0", "acme-migrate-1-1-0",
        "Job acme-migrate-1-1-0 failed (" + failure + ")", failure);
    var result = at(T0).aggregate(installation, facts(installation, DB_READY, List.of(), plan), AVAILABLE);

    assertThat(condition(result, "Progressing").getStatus()).isEqualTo("False");
    assertThat(condition(result, "Progressing").getReason()).isEqualTo("MigrationFailed");
    assertThat(condition(result, "Ready").getReason()).isEqualTo("MigrationFailed");
    assertThat(condition(result, "DatabaseReady").getStatus()).isEqualTo("False");
    assertThat(condition(result, "DatabaseReady").getReason()).isEqualTo("DatabaseUnreachable");
  }

  @Test
  void aRefusedDowngradeSaysSoInEveryCondition() {
    var installation = installation(2);
    installation.getSpec().setVersion("0.9.0");
    var plan = new MigrationPlan(MigrationPlan.Step.DOWNGRADE_REFUSED, "0.9.0", "1.0.0", "1.0.0",
        "acme-migrate-0-9-0", "version 0.9.0 is older than the schema's version 1.0.0", null);
    var result = at(T0).aggregate(installation, facts(installation, DB_READY, List.of(), plan), AVAILABLE);

    assertThat(result.status().getConditions()).filteredOn(c -> List.of("Ready", "Progressing", "Degraded",
        "Migrated").contains(c.getType())).allSatisfy(c -> assertThat(c.getReason()).isEqualTo("DowngradeRefused"));
    assertThat(condition(result, "Progressing").getStatus()).isEqualTo("False");
  }

  @Test
  void aRolloutPastItsDeadlineIsDegraded() {
    var installation = installation(1);
    var stuck = new DeploymentRollout(true, true, false, true, "1.0.0", "rollout of version 1.0.0 exceeded its"
        + " progress deadline: 0 of 1 pods of version 1.0.0 are available");
    var result = at(T0).aggregate(installation, facts(installation, DB_READY, List.of()), stuck);

    assertThat(condition(result, "Degraded").getReason()).isEqualTo("RolloutFailed");
    assertThat(condition(result, "Progressing").getStatus()).isEqualTo("False");
    assertThat(condition(result, "Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void aFailedMigrationIsDegradedWhileTheOldVersionServes() {
    var installation = installation(2);
    installation.getSpec().setVersion("1.1.0");
    var plan = new MigrationPlan(MigrationPlan.Step.FAILED, "1.1.0", "1.0.0", "1.0.0", "acme-migrate-1-1-0",
        "Job acme-migrate-1-1-0 failed (BackoffLimitExceeded): relation missing", "relation missing");
    var result = at(T0).aggregate(installation, facts(installation, DB_READY, List.of(), plan), AVAILABLE);

    assertThat(condition(result, "Degraded").getReason()).isEqualTo("MigrationFailed");
    assertThat(condition(result, "Degraded").getMessage()).contains("relation missing");
    assertThat(condition(result, "Migrated").getStatus()).isEqualTo("False");
    assertThat(result.status().getPhase()).isEqualTo(Phase.Degraded);
    assertThat(result.status().getVersion()).isEqualTo("1.0.0");
    assertThat(result.status().getSchemaVersion()).isEqualTo("1.0.0");
  }

  @Test
  void aRunningMigrationIsTheMigratingPhase() {
    var installation = installation(2);
    installation.getSpec().setVersion("1.1.0");
    var plan = new MigrationPlan(MigrationPlan.Step.RUNNING, "1.1.0", "1.0.0", "1.0.0", "acme-migrate-1-1-0",
        "Job acme-migrate-1-1-0 is migrating the schema to version 1.1.0", null);
    var result = at(T0).aggregate(installation, facts(installation, DB_READY, List.of(), plan), AVAILABLE);

    assertThat(result.status().getPhase()).isEqualTo(Phase.Migrating);
    assertThat(condition(result, "Migrated").getReason()).isEqualTo("Migrating");
    assertThat(condition(result, "Progressing").getStatus()).isEqualTo("True");
    assertThat(condition(result, "Ready").getStatus()).isEqualTo("False");
  }
}
