package io.infracast.operator.migration;

import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * The name of the migration Job of an installation, target version and retry. Deterministic, so an operator
 * that restarts (or a second replica) finds the Job it created instead of making another; at most 63
 * characters, because the Job controller copies it into a label of the pod.
 */
public final class MigrationJobNames {

  static final int MAX_LENGTH = 63;
  /** Label of a migration Job naming the version it migrates to (its name may be shortened by a hash). */
  public static final String TARGET_VERSION_LABEL = "infracast.io/target-version";

  private MigrationJobNames() {}

  public static String of(String installation, String version, int retry) {
    return VersionedNames.of(installation + "-migrate-", version, retry > 0 ? "-r" + retry : "", MAX_LENGTH);
  }

  /** Whether {@code job} is a migration Job (the installation's OpenTofu runner Jobs are not). */
  public static boolean isMigration(Job job) {
    return targetVersion(job) != null;
  }

  /** The version {@code job} migrates to, as its label says; null for a Job without the label. */
  public static String targetVersion(Job job) {
    var labels = job.getMetadata().getLabels();
    return labels == null ? null : labels.get(TARGET_VERSION_LABEL);
  }
}
