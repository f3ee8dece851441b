package io.infracast.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.InfracastInstallationStatus;
import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.dependent.ObjectNames;
import io.infracast.operator.dependent.ServiceDependentResource;
import io.infracast.operator.migration.MigrationPlan;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one place that writes status: conditions (each with observedGeneration, reason, message and a
 * lastTransitionTime that moves only when its status flips), phase, version, url and the effective settings.
 * Pure: the same inputs give the same status, so an unchanged installation is never written again.
 */
public class StatusAggregator {

  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String DATABASE_READY = "DatabaseReady";
  public static final String ARTIFACT_STORE_READY = "ArtifactStoreReady";
  public static final String MIGRATED = "Migrated";
  /** External buckets only: default encryption and the public-access block, as AWS reports them. */
  public static final String ARTIFACT_STORE_CHECKED = "ArtifactStoreChecked";

  private final Clock clock;

  public StatusAggregator(Clock clock) {
    this.clock = clock;
  }

  /** A condition whose status flipped in this reconcile, for an Event. */
  public record Transition(String type, String status, String reason, String message) {}

  /** The status to write and the transitions that led to it. */
  public record Result(InfracastInstallationStatus status, List<Transition> transitions) {
    public boolean changed(InfracastInstallationStatus previous) {
      return !status.equals(previous);
    }
  }

  /**
   * @param installation the installation as last read (its status is the previous status)
   * @param facts effective settings, data plane and problems of this reconcile
   * @param rollout the API Deployment's rollout
   */
  public Result aggregate(InfracastInstallation installation, ReconcileFacts facts, DeploymentRollout rollout) {
    var previous = previous(installation);
    var generation = installation.getMetadata().getGeneration();
    var wanted = installation.getSpec().getVersion();
    if (!rollout.observed()) {
      // The Deployment controller has not caught up (a scale, or the template just applied): keep what was
      // said about the rollout rather than flap Ready on every replica change.
      rollout = previousRollout(previous, rollout);
    }
    var servesWanted = rollout.complete() && wanted.equals(rollout.version());

    var degraded = degradedReason(facts, rollout);
    var drafts = new ArrayList<Condition>();
    drafts.add(databaseReady(facts));
    drafts.add(condition(ARTIFACT_STORE_READY, facts.artifacts().ready(), facts.artifacts().reason(),
        facts.artifacts().message()));
    facts.aws().bucketCheck().ifPresent(check -> drafts.add(condition(ARTIFACT_STORE_CHECKED, check.passed(),
        check.reason(), check.message())));
    drafts.add(degraded.map(p -> condition(DEGRADED, true, p.reason(), p.message()))
        .orElseGet(() -> condition(DEGRADED, false, "AsExpected", "no problem found")));
    drafts.add(migrated(facts.migration()));
    drafts.add(progressing(facts, rollout, servesWanted));
    drafts.add(ready(facts, rollout, servesWanted, degraded, wanted));

    var transitions = new ArrayList<Transition>();
    var status = new InfracastInstallationStatus();
    status.setObservedGeneration(generation);
    status.setConditions(settleAll(drafts, previous, generation, transitions));
    status.setPhase(phase(degraded.isPresent(), facts, servesWanted));
    status.setVersion(rollout.complete() ? rollout.version() : previous.getVersion());
    status.setSchemaVersion(facts.migration().schemaVersion());
    status.setUrl(url(installation));
    status.setDatabase(database(installation, facts));
    status.setArtifacts(artifacts(facts));
    status.setEffective(facts.settings());
    return new Result(status, transitions);
  }

  /**
   * The status after a reconcile that failed before it knew everything: what was known stays, Degraded says why
   * it failed and Ready turns False, because an object the installation needs may be missing or stale.
   *
   * @param reason CamelCase reason of the failure
   * @param message what failed, in one line without a stack trace (see ReconcileErrors)
   */
  public Result failed(InfracastInstallation installation, String reason, String message) {
    var previous = previous(installation);
    var generation = installation.getMetadata().getGeneration();
    var drafts = new ArrayList<Condition>();
    if (previous.getConditions() != null) {
      previous.getConditions().stream()
          .filter(c -> !DEGRADED.equals(c.getType()) && !READY.equals(c.getType()))
          .map(ConditionBuilder::new).map(ConditionBuilder::build).forEach(drafts::add);
    }
    drafts.add(condition(DEGRADED, true, reason, message));
    drafts.add(condition(READY, false, reason, "the last reconcile failed, so some objects may be missing or"
        + " stale: " + message));
    var transitions = new ArrayList<Transition>();
    var status = copy(previous);
    status.setConditions(settleAll(drafts, previous, generation, transitions));
    status.setPhase(Phase.Degraded);
    return new Result(status, transitions);
  }

  private static InfracastInstallationStatus previous(InfracastInstallation installation) {
    return Optional.ofNullable(installation.getStatus()).orElseGet(InfracastInstallationStatus::new);
  }

  private static InfracastInstallationStatus copy(InfracastInstallationStatus status) {
    var copy = new InfracastInstallationStatus();
    copy.setObservedGeneration(status.getObservedGeneration());
    copy.setVersion(status.getVersion());
    copy.setSchemaVersion(status.getSchemaVersion());
    copy.setUrl(status.getUrl());
    copy.setDatabase(status.getDatabase());
    copy.setArtifacts(status.getArtifacts());
    copy.setEffective(status.getEffective());
    return copy;
  }

  /**
   * The rollout as last reported, while the Deployment controller has not observed the current generation: a
   * replica change is not a rollout, and a real one shows as soon as the controller reports it.
   */
  private static DeploymentRollout previousRollout(InfracastInstallationStatus previous, DeploymentRollout unobserved) {
    var ready = previous.condition(READY);
    var wasServing = ready.map(c -> "True".equals(c.getStatus())).orElse(false)
        && Objects.equals(previous.getVersion(), unobserved.version());
    return wasServing
        ? new DeploymentRollout(true, true, true, false, unobserved.version(), ready.get().getMessage())
        : unobserved;
  }


  /**
   * DatabaseReady means the database is configured where the pods can find it; that it answers shows in the
   * migration Job and the pods' readiness, and a migration that could not reach it turns this condition False.
   */
  private static Condition databaseReady(ReconcileFacts facts) {
    var database = facts.database();
    var plan = facts.migration();
    if (database.ready() && plan.step() == MigrationPlan.Step.FAILED && unreachable(plan.failure())) {
      return condition(DATABASE_READY, false, "DatabaseUnreachable", "the migration Job could not use the"
          + " database at " + database.endpoint() + ": " + plan.failure());
    }
    return condition(DATABASE_READY, database.ready(), database.reason(), database.message());
  }

  /** The service's own one-line messages for a database it cannot reach or log in to (api-server README). */
  private static boolean unreachable(String failure) {
    return failure != null && (failure.contains("database unreachable")
        || failure.contains("password authentication failed"));
  }

  private static Optional<Problem> degradedReason(ReconcileFacts facts, DeploymentRollout rollout) {
    var problems = new ArrayList<>(facts.problems());
    switch (facts.migration().step()) {
      case FAILED -> problems.add(0, new Problem("MigrationFailed", facts.migration().message()));
      case WAITING_FOR_SNAPSHOT -> {
        if (facts.migration().failure() != null) {
          problems.add(0, new Problem("SnapshotFailed", facts.migration().message()));
        }
      }
      case DOWNGRADE_REFUSED -> problems.add(0, new Problem("DowngradeRefused", facts.migration().message()));
      default -> { }
    }
    if (!facts.database().ready() && !facts.database().provisioning()) {
      problems.add(0, new Problem(facts.database().reason(), facts.database().message()));
    }
    if (!facts.artifacts().ready() && !facts.artifacts().provisioning()) {
      problems.add(new Problem(facts.artifacts().reason(), facts.artifacts().message()));
    }
    if (rollout.failed()) {
      problems.add(new Problem("RolloutFailed", rollout.message()));
    }
    if (problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Problem(problems.get(0).reason(),
        problems.stream().map(Problem::message).collect(Collectors.joining("; "))));
  }

  /**
   * Ready only when the wanted version serves and nothing is wrong: pods that serve from a Secret since deleted,
   * or with a database URL since broken, would not start again.
   */
  private static Condition ready(ReconcileFacts facts, DeploymentRollout rollout, boolean servesWanted,
      Optional<Problem> degraded, String wanted) {
    if (!servesWanted) {
      return condition(READY, false, notReadyReason(facts, rollout),
          "version " + wanted + " is not available yet: " + rollout.message());
    }
    return degraded.map(p -> condition(READY, false, p.reason(), "version " + wanted + " serves, but new pods"
            + " would fail: " + p.message()))
        .orElseGet(() -> condition(READY, true, "Available", rollout.message()));
  }

  private static String notReadyReason(ReconcileFacts facts, DeploymentRollout rollout) {
    if (!facts.workloadCanRun() && !rollout.exists()) {
      return "NotProvisioned";
    }
    return switch (facts.migration().step()) {
      case WAITING_FOR_SLOT, WAITING_FOR_SNAPSHOT, START_JOB, RUNNING -> "Migrating";
      case FAILED -> "MigrationFailed";
      case DOWNGRADE_REFUSED -> "DowngradeRefused";
      default -> facts.rolloutHeld() ? "WaitingForRolloutSlot" : "RollingOut";
    };
  }

  private static Condition migrated(MigrationPlan plan) {
    return switch (plan.step()) {
      case CURRENT -> condition(MIGRATED, true, "SchemaCurrent", "the schema is at version "
          + plan.schemaVersion());
      case WAITING_FOR_DATA_PLANE -> condition(MIGRATED, false, "WaitingForDataPlane", plan.message());
      case WAITING_FOR_SLOT -> condition(MIGRATED, false, "WaitingForRolloutSlot", plan.message());
      case WAITING_FOR_SNAPSHOT -> condition(MIGRATED, false, plan.failure() == null ? "WaitingForSnapshot"
          : "SnapshotFailed", plan.message());
      case START_JOB, RUNNING -> condition(MIGRATED, false, "Migrating", plan.message());
      case FAILED -> condition(MIGRATED, false, "MigrationFailed", plan.message());
      case DOWNGRADE_REFUSED -> condition(MIGRATED, false, "DowngradeRefused", plan.message());
    };
  }

  private static Condition progressing(ReconcileFacts facts, DeploymentRollout rollout, boolean servesWanted) {
    if (!facts.workloadCanRun() && !rollout.exists()) {
      return dataPlaneProvisioning(facts).map(p -> condition(PROGRESSING, true, p.reason(), p.message()))
          .orElseGet(() -> condition(PROGRESSING, false, "WaitingForDataPlane", "the API waits for its database,"
              + " bucket and Secrets"));
    }
    switch (facts.migration().step()) {
      case WAITING_FOR_SLOT -> {
        return condition(PROGRESSING, true, "WaitingForRolloutSlot", facts.migration().message());
      }
      case START_JOB, RUNNING -> {
        return condition(PROGRESSING, true, "Migrating", facts.migration().message());
      }
      case WAITING_FOR_SNAPSHOT -> {
        var failed = facts.migration().failure() != null;
        return condition(PROGRESSING, !failed, failed ? "SnapshotFailed" : "WaitingForSnapshot",
            facts.migration().message());
      }
      // Nothing moves until the user acts: say why, not that something rolls.
      case FAILED -> {
        return condition(PROGRESSING, false, "MigrationFailed", facts.migration().message());
      }
      case DOWNGRADE_REFUSED -> {
        return condition(PROGRESSING, false, "DowngradeRefused", facts.migration().message());
      }
      default -> { }
    }
    if (facts.rolloutHeld()) {
      return condition(PROGRESSING, true, "WaitingForRolloutSlot", "a new pod template waits for a fleet rollout"
          + " slot; the pods keep the current one meanwhile");
    }
    if (servesWanted) {
      return condition(PROGRESSING, false, "RolloutComplete", rollout.message());
    }
    return condition(PROGRESSING, !rollout.failed(), rollout.failed() ? "RolloutFailed" : "RollingOut",
        rollout.message());
  }

  private static Phase phase(boolean degraded, ReconcileFacts facts, boolean servesWanted) {
    if (degraded) {
      return Phase.Degraded;
    }
    if (!facts.workloadCanRun()) {
      return Phase.Provisioning;
    }
    return switch (facts.migration().step()) {
      case WAITING_FOR_SLOT, WAITING_FOR_SNAPSHOT, START_JOB, RUNNING -> Phase.Migrating;
      default -> servesWanted ? Phase.Ready : Phase.RollingOut;
    };
  }

  private List<Condition> settleAll(List<Condition> drafts, InfracastInstallationStatus previous, Long generation,
      List<Transition> transitions) {
    return drafts.stream().map(draft -> settle(draft, previous, generation, transitions))
        .collect(Collectors.toCollection(ArrayList::new));
  }

  /** Keeps the previous lastTransitionTime unless the status flipped; records the flip. */
  private Condition settle(Condition draft, InfracastInstallationStatus previous, Long generation,
      List<Transition> transitions) {
    var before = previous.condition(draft.getType());
    var flipped = before.map(c -> !c.getStatus().equals(draft.getStatus())).orElse(true);
    if (flipped) {
      transitions.add(new Transition(draft.getType(), draft.getStatus(), draft.getReason(), draft.getMessage()));
    }
    var lastTransition = flipped
        ? Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString()
        : before.get().getLastTransitionTime();
    return new ConditionBuilder(draft).withObservedGeneration(generation).withLastTransitionTime(lastTransition)
        .build();
  }

  /**
   * What is being provisioned, when nothing else keeps the data plane from becoming ready: every half not ready
   * is on its way (the database's state first), and the spec's references are fine.
   */
  private static Optional<Problem> dataPlaneProvisioning(ReconcileFacts facts) {
    var database = facts.database();
    var artifacts = facts.artifacts();
    var settling = (database.ready() || database.provisioning()) && (artifacts.ready() || artifacts.provisioning())
        && facts.problems().isEmpty();
    if (!settling) {
      return Optional.empty();
    }
    return Optional.of(database.provisioning() ? new Problem(database.reason(), database.message())
        : new Problem(artifacts.reason(), artifacts.message()));
  }

  private static Condition condition(String type, boolean status, String reason, String message) {
    return new ConditionBuilder().withType(type).withStatus(status ? "True" : "False").withReason(reason)
        .withMessage(message).build();
  }

  private static String url(InfracastInstallation installation) {
    var ingress = installation.getSpec().getIngress();
    if (ingress != null) {
      return "https://" + ingress.getHost();
    }
    return "http://" + ObjectNames.api(installation) + "." + installation.getMetadata().getNamespace() + ".svc:"
        + ServiceDependentResource.PORT;
  }

  private static InfracastInstallationStatus.DatabaseStatus database(InfracastInstallation installation,
      ReconcileFacts facts) {
    var database = new InfracastInstallationStatus.DatabaseStatus();
    database.setEndpoint(facts.database().endpoint());
    database.setSecretName(io.infracast.operator.data.DataPlanes.databaseUrlSecret(installation).getName());
    database.setLastSnapshot(facts.database().lastSnapshot());
    return database;
  }

  private static InfracastInstallationStatus.ArtifactsStatus artifacts(ReconcileFacts facts) {
    if (facts.artifacts().bucket() == null) {
      return null;
    }
    var artifacts = new InfracastInstallationStatus.ArtifactsStatus();
    artifacts.setBucket(facts.artifacts().bucket());
    artifacts.setRegion(facts.artifacts().region());
    return artifacts;
  }
}
