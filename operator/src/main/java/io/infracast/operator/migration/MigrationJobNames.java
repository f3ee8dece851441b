package io.infracast.operator.migration;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.infracast.operator.ShortHash;
import java.util.Locale;
import java.util.regex.Pattern;

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
    var suffix = retry > 0 ? "-r" + retry : "";
    var name = installation + "-migrate-" + version.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + suffix;
    var unambiguous = READABLE.matcher(version).matches();
    if (unambiguous && name.length() <= MAX_LENGTH) {
      return name;
    }
    // Too long, or a version that reads like another once lowered and dashed (1.5.0-rc-1 and 1.5.0-RC.1 would
    // both be 1-5-0-rc-1): keep a readable prefix and make it unique with a hash of the exact version.
    var hash = ShortHash.of(unambiguous ? name : installation + "-migrate-" + version + suffix, 5);
    return name.substring(0, Math.min(name.length(), MAX_LENGTH - hash.length() - 1)).replaceAll("-+$", "") + "-"
        + hash;
  }

  /** Versions whose dashed form reads back as only themselves: lowercase, one dash (the prerelease's). */
  private static final Pattern READABLE = Pattern.compile("[0-9.]+(-[0-9a-z.]+)?");

  /** The version {@code job} migrates to, as its label says; null for a Job without the label. */
  public static String targetVersion(Job job) {
    var labels = job.getMetadata().getLabels();
    return labels == null ? null : labels.get(TARGET_VERSION_LABEL);
  }
}
