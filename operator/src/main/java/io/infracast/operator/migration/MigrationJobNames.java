package io.infracast.operator.migration;

import io.infracast.operator.ShortHash;
import java.util.Locale;

/**
 * The name of the migration Job of an installation, target version and retry. Deterministic, so an operator
 * that restarts (or a second replica) finds the Job it created instead of making another; at most 63
 * characters, because the Job controller copies it into a label of the pod.
 */
public final class MigrationJobNames {

  static final int MAX_LENGTH = 63;

  private MigrationJobNames() {}

  public static String of(String installation, String version, int retry) {
    var name = installation + "-migrate-" + version.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
        + (retry > 0 ? "-r" + retry : "");
    if (name.length() <= MAX_LENGTH) {
      return name;
    }
    // Too long: keep a readable prefix and make it unique with a hash of the whole name.
    var hash = ShortHash.of(name, 5);
    return name.substring(0, MAX_LENGTH - hash.length() - 1).replaceAll("-+$", "") + "-" + hash;
  }
}
