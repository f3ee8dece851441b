package io.infracast.operator.migration;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.InfracastInstallationStatus;
import io.infracast.operator.api.v1alpha1.MigrationSpec;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where an installation's schema stands against the version it asks for, and so which version its pods may
 * run: never a binary newer than the schema, never two migrations at once, never a downgrade, never a failed
 * migration retried unasked. Pure: it reads what it is given and takes no rollout slot.
 *
 * @param step what the operator does about the schema now
 * @param targetVersion spec.version
 * @param schemaVersion the version the schema has been migrated to, after this reconcile
 * @param servingVersion the version the Deployment may run; null while no schema and no Deployment exist
 * @param jobName the migration Job for the target version and retry
 * @param message what a user should know about the step
 * @param failure why the Job failed (its reason, and its pod's message or else its own), when the step is FAILED
 */
public record MigrationPlan(Step step, String targetVersion, String schemaVersion, String servingVersion,
    String jobName, String message, String failure) {

  /** What the operator does about the schema in this reconcile. */
  public enum Step {
    /** The schema is at spec.version. */
    CURRENT,
    /** A migration is needed but the database, bucket or a referenced Secret is not usable yet. */
    WAITING_FOR_DATA_PLANE,
    /** A migration is needed but the fleet's rollout limit is reached. */
    WAITING_FOR_SLOT,
    /** The migration waits for the RDS snapshot taken before it (or the snapshot failed: {@code failure}). */
    WAITING_FOR_SNAPSHOT,
    /** The migration Job is to be created now, once the fleet grants a rollout slot. */
    START_JOB,
    /** The migration Job runs. */
    RUNNING,
    /** The migration Job failed (now or before, as the ledger remembers); the old version keeps serving. */
    FAILED,
    /** spec.version is older than the schema: refused, nothing changes. */
    DOWNGRADE_REFUSED
  }

  /**
   * What the operator owns that tells where the schema is, besides the status it wrote.
   *
   * @param jobs the installation's migration Jobs, from the informer cache
   * @param ledger the installation's migration ledger
   * @param deployedVersion the version of the API Deployment's pod template, if the Deployment exists
   * @param whyFailed why each failed Job failed, by name, as its pods said ({@link JobFailures}); a failed Job
   *     missing here is described by its Failed condition
   */
  public record Owned(Collection<Job> jobs, MigrationLedger ledger, Optional<String> deployedVersion,
      Map<String, String> whyFailed) {
    public static final Owned NOTHING = new Owned(List.of(), MigrationLedger.EMPTY, Optional.empty());

    public Owned(Collection<Job> jobs, MigrationLedger ledger, Optional<String> deployedVersion) {
      this(jobs, ledger, deployedVersion, Map.of());
    }
  }

  /**
   * The migration Job is to be created or runs: the installation holds a rollout slot for it. A FAILED plan runs
   * nothing, so a failed Job gone with its TTL is not created again under the same name.
   */
  public boolean runsJob() {
    return step == Step.START_JOB || step == Step.RUNNING;
  }

  /** This plan once the fleet refused a slot for its Job, under the limit of first installs or of rollouts. */
  public MigrationPlan waitingForSlot(int limit, boolean firstInstall) {
    return new MigrationPlan(Step.WAITING_FOR_SLOT, targetVersion, schemaVersion, servingVersion, jobName,
        limit + (firstInstall ? " first installs are already running (the operator's limit of first installs)"
            : " installations are already migrating or rolling out (the operator's limit)") + "; waiting for a slot",
        null);
  }

  /**
   * This plan while the snapshot before its Job is taken; with {@code failure}, the snapshot failed and the
   * migration waits until someone acts.
   */
  public MigrationPlan waitingForSnapshot(String message, String failure) {
    return new MigrationPlan(Step.WAITING_FOR_SNAPSHOT, targetVersion, schemaVersion, servingVersion, jobName,
        message, failure);
  }

  /**
   * @param owned the Jobs, ledger and Deployment version the operator owns
   * @param dataPlaneReady whether a migration Job could connect (database, bucket and Secrets usable)
   */
  public static MigrationPlan of(InfracastInstallation installation, Owned owned, boolean dataPlaneReady) {
    var target = installation.getSpec().getVersion();
    var schema = schemaVersion(installation, owned);
    int retry = Optional.ofNullable(installation.getSpec().getMigration()).map(MigrationSpec::getRetry).orElse(0);
    var jobName = MigrationJobNames.of(installation.getMetadata().getName(), target, retry);
    // A Deployment may exist with no schema known (its version label edited away): keep what it runs.
    var serving = schema != null ? schema : owned.deployedVersion().orElse(null);

    if (schema != null && Versions.compare(target, schema) == 0) {
      return new MigrationPlan(Step.CURRENT, target, schema, target, jobName, "the schema is at version " + schema,
          null);
    }
    if (schema != null && Versions.compare(target, schema) < 0) {
      return new MigrationPlan(Step.DOWNGRADE_REFUSED, target, schema, serving, jobName, "version " + target
          + " is older than the schema's version " + schema + ": downgrades are refused and nothing was changed;"
          + " set spec.version to " + schema + " or newer", null);
    }
    var job = owned.jobs().stream().filter(j -> jobName.equals(j.getMetadata().getName())).findFirst();
    var failure = job.flatMap(j -> condition(j, "Failed"))
        .map(c -> c.getReason() + ": " + owned.whyFailed().getOrDefault(jobName,
            Objects.toString(c.getMessage(), "no message")))
        .or(() -> Optional.ofNullable(owned.ledger().failures().get(jobName)));
    if (failure.isPresent()) {
      return new MigrationPlan(Step.FAILED, target, schema, serving, jobName, "Job " + jobName + " failed ("
          + failure.get() + "); version " + Objects.toString(serving, "none") + " keeps serving. To retry, raise"
          + " spec.migration.retry to " + (retry + 1), failure.get());
    }
    if (job.isEmpty()) {
      if (!dataPlaneReady) {
        // A Job now would only wait for its Secrets until its deadline; start it once they are usable.
        return new MigrationPlan(Step.WAITING_FOR_DATA_PLANE, target, schema, serving, jobName,
            "the migration to version " + target + " waits for the database, bucket and Secrets", null);
      }
      return new MigrationPlan(Step.START_JOB, target, schema, serving, jobName,
          "migrating the schema to version " + target + " with Job " + jobName, null);
    }
    return new MigrationPlan(Step.RUNNING, target, schema, serving, jobName,
        "Job " + jobName + " is migrating the schema to version " + target, null);
  }

  /**
   * The newest version the schema is known to have reached: what status says, what the ledger recorded, what a
   * completed Job migrated to, what the Deployment runs (its pods never run ahead of the schema). Any one of them
   * may be lost; all of them together only when the tenant never ran.
   */
  static String schemaVersion(InfracastInstallation installation, Owned owned) {
    var fromStatus = Optional.ofNullable(installation.getStatus()).map(InfracastInstallationStatus::getSchemaVersion);
    var fromJobs = owned.jobs().stream().filter(MigrationPlan::completed)
        .map(MigrationJobNames::targetVersion);
    return Stream.of(fromStatus.stream(), Stream.ofNullable(owned.ledger().schemaVersion()), fromJobs,
            owned.deployedVersion().stream())
        .flatMap(s -> s)
        .filter(Versions::isVersion)
        .max(Comparator.comparing(v -> v, Versions.ORDER))
        .orElse(null);
  }

  public static String key(InfracastInstallation installation) {
    return key(installation.getMetadata().getNamespace(), installation.getMetadata().getName());
  }

  /** How the fleet's rollout limiter names an installation. */
  public static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  public static Optional<JobCondition> condition(Job job, String type) {
    return job.getStatus() == null || job.getStatus().getConditions() == null ? Optional.empty()
        : job.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
  }

  public static boolean completed(Job job) {
    return condition(job, "Complete").isPresent();
  }

  /** Whether the Job has finished, either way. */
  public static boolean finished(Job job) {
    return completed(job) || condition(job, "Failed").isPresent();
  }
}
