package io.infracast.operator.migration;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.InfracastInstallationStatus;
import io.infracast.operator.api.v1alpha1.MigrationSpec;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where an installation's schema stands against the version it asks for, and so which version its pods may
 * run: never a binary newer than the schema, never two migrations at once, never a downgrade.
 *
 * @param step what the operator does about the schema now
 * @param targetVersion spec.version
 * @param schemaVersion the version the schema has been migrated to, after this reconcile
 * @param servingVersion the version the Deployment may run; null while the first migration has not succeeded
 * @param jobName the migration Job for the target version and retry
 * @param message what a user should know about the step
 */
public record MigrationPlan(Step step, String targetVersion, String schemaVersion, String servingVersion,
    String jobName, String message) {

  /** What the operator does about the schema in this reconcile. */
  public enum Step {
    /** The schema is at spec.version. */
    CURRENT,
    /** A migration is needed but the database, bucket or a referenced Secret is not usable yet. */
    WAITING_FOR_DATA_PLANE,
    /** A migration is needed but the fleet's rollout limit is reached. */
    WAITING_FOR_SLOT,
    /** The migration Job is created now. */
    START_JOB,
    /** The migration Job runs. */
    RUNNING,
    /** The migration Job succeeded in this reconcile: the schema moves to spec.version. */
    SUCCEEDED,
    /** The migration Job failed; the old version keeps serving until a retry. */
    FAILED,
    /** spec.version is older than the schema: refused, nothing changes. */
    DOWNGRADE_REFUSED
  }

  public boolean runsJob() {
    return step == Step.START_JOB || step == Step.RUNNING || step == Step.SUCCEEDED || step == Step.FAILED;
  }

  /** Whether the installation counts against the fleet's rollout limit after this step. */
  public boolean inFlight() {
    return step == Step.START_JOB || step == Step.RUNNING || step == Step.SUCCEEDED;
  }

  /**
   * @param jobs the installation's migration Jobs, from the informer cache
   * @param limiter the fleet's rollout limiter
   * @param live keys of every installation that still exists, so slots of deleted ones are freed
   * @param dataPlaneReady whether a migration Job could connect (database, bucket and Secrets usable)
   */
  public static MigrationPlan of(InfracastInstallation installation, Collection<Job> jobs, RolloutLimiter limiter,
      Set<String> live, boolean dataPlaneReady) {
    var target = installation.getSpec().getVersion();
    var schema = Optional.ofNullable(installation.getStatus()).map(InfracastInstallationStatus::getSchemaVersion)
        .orElse(null);
    int retry = Optional.ofNullable(installation.getSpec().getMigration()).map(MigrationSpec::getRetry).orElse(0);
    var jobName = MigrationJobNames.of(installation.getMetadata().getName(), target, retry);
    var key = key(installation);

    if (schema != null && Versions.compare(target, schema) == 0) {
      return new MigrationPlan(Step.CURRENT, target, schema, target, jobName, "the schema is at version " + schema);
    }
    if (schema != null && Versions.compare(target, schema) < 0) {
      return new MigrationPlan(Step.DOWNGRADE_REFUSED, target, schema, schema, jobName, "version " + target
          + " is older than the schema's version " + schema + ": downgrades are refused and nothing was changed;"
          + " set spec.version to " + schema + " or newer");
    }
    var job = jobs.stream().filter(j -> jobName.equals(j.getMetadata().getName())).findFirst();
    if (job.isEmpty()) {
      if (!dataPlaneReady) {
        // A Job now would only wait for its Secrets until its deadline; start it once they are usable.
        return new MigrationPlan(Step.WAITING_FOR_DATA_PLANE, target, schema, schema, jobName,
            "the migration to version " + target + " waits for the database, bucket and Secrets");
      }
      if (!limiter.tryAcquire(key, live)) {
        return new MigrationPlan(Step.WAITING_FOR_SLOT, target, schema, schema, jobName, limiter.limit()
            + " installations are already migrating or rolling out (the operator's limit); waiting for a slot");
      }
      return new MigrationPlan(Step.START_JOB, target, schema, schema, jobName,
          "migrating the schema to version " + target + " with Job " + jobName);
    }
    var failed = condition(job.get(), "Failed");
    if (failed.isPresent()) {
      limiter.release(key);
      return new MigrationPlan(Step.FAILED, target, schema, schema, jobName, "Job " + jobName + " failed ("
          + failed.get().getReason() + "): " + Objects.toString(failed.get().getMessage(), "no message")
          + "; version " + Objects.toString(schema, "none") + " keeps serving. To retry, raise"
          + " spec.migration.retry to " + (retry + 1));
    }
    // The Job exists, so the installation is in flight even if this operator just started.
    limiter.hold(key);
    if (condition(job.get(), "Complete").isPresent()) {
      return new MigrationPlan(Step.SUCCEEDED, target, target, target, jobName,
          "Job " + jobName + " migrated the schema to version " + target);
    }
    return new MigrationPlan(Step.RUNNING, target, schema, schema, jobName,
        "Job " + jobName + " is migrating the schema to version " + target);
  }

  public static String key(InfracastInstallation installation) {
    return installation.getMetadata().getNamespace() + "/" + installation.getMetadata().getName();
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    return job.getStatus() == null || job.getStatus().getConditions() == null ? Optional.empty()
        : job.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
  }
}
