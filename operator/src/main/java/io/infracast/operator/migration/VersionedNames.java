package io.infracast.operator.migration;

import io.infracast.operator.ShortHash;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Names that carry a version (a migration Job's, a snapshot's): deterministic, so an operator that restarts finds
 * what it made, readable where they can be, and never shared by two versions.
 */
public final class VersionedNames {

  /** Versions whose dashed form reads back as only themselves: lowercase, one dash (the prerelease's). */
  private static final Pattern READABLE = Pattern.compile("[0-9.]+(-[0-9a-z.]+)?");

  private VersionedNames() {}

  /**
   * {@code prefix}, the version lowered with dashes for every other character, and {@code suffix}, in at most
   * {@code max} characters. Too long, or a version that reads like another once lowered and dashed (1.5.0-rc-1
   * and 1.5.0-RC.1 would both be 1-5-0-rc-1): a readable start made unique by a hash of the exact version.
   */
  public static String of(String prefix, String version, String suffix, int max) {
    var name = prefix + version.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + suffix;
    var unambiguous = READABLE.matcher(version).matches();
    if (unambiguous && name.length() <= max) {
      return name;
    }
    return ShortHash.uniqueWithin(name, unambiguous ? name : prefix + version + suffix, max);
  }
}
