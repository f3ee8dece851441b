package io.infracast.operator.migration;

import java.util.Comparator;
import java.util.regex.Pattern;

/** Orders Infracast versions (major.minor.patch[-prerelease]) as semantic versioning does. */
public final class Versions {

  /** A release sorts after its own prereleases; prereleases compare as text. */
  public static final Comparator<String> ORDER = Versions::compare;

  private Versions() {}

  public static int compare(String a, String b) {
    var left = a.split("-", 2);
    var right = b.split("-", 2);
    var leftNumbers = left[0].split("\\.");
    var rightNumbers = right[0].split("\\.");
    for (int i = 0; i < 3; i++) {
      int byNumber = Long.compare(Long.parseLong(leftNumbers[i]), Long.parseLong(rightNumbers[i]));
      if (byNumber != 0) {
        return byNumber;
      }
    }
    if (left.length == 1 || right.length == 1) {
      return Integer.compare(right.length, left.length);
    }
    return left[1].compareTo(right[1]);
  }

  /** A version this class can order: what spec.version accepts, and nothing a label edited by hand may hold. */
  public static boolean isVersion(String text) {
    return text != null && SEMANTIC.matcher(text).matches();
  }

  private static final Pattern SEMANTIC = Pattern.compile(
      "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");
}
