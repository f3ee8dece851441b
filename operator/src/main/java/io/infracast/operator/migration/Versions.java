package io.infracast.operator.migration;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.regex.Pattern;

/** Orders Infracast versions by semantic versioning 2.0.0 precedence (semver.org, section 11). */
public final class Versions {

  /** Lowest precedence first. */
  public static final Comparator<String> ORDER = Versions::compare;

  /**
   * The SemVer 2.0.0 grammar without build metadata (a '+' is not valid in an image tag). RE2 and Java agree on
   * it, so the CRD's CEL rule uses the same text.
   */
  public static final String GRAMMAR = "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
      + "(-(0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)(\\.(0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*))*)?$";

  private static final Pattern SEMANTIC = Pattern.compile(GRAMMAR);
  private static final Pattern NUMERIC = Pattern.compile("\\d+");

  private Versions() {}

  /** Precedence of two versions that {@link #isVersion} accepts. */
  public static int compare(String a, String b) {
    var left = a.split("-", 2);
    var right = b.split("-", 2);
    int byCore = compareFields(left[0].split("\\."), right[0].split("\\."));
    if (byCore != 0 || (left.length == 1 && right.length == 1)) {
      return byCore;
    }
    // A release has higher precedence than its prereleases.
    if (left.length == 1 || right.length == 1) {
      return Integer.compare(right.length, left.length);
    }
    return compareFields(left[1].split("\\."), right[1].split("\\."));
  }

  /** Field by field; when all shared fields are equal, more fields have higher precedence. */
  private static int compareFields(String[] left, String[] right) {
    for (int i = 0; i < Math.min(left.length, right.length); i++) {
      int byField = compareIdentifiers(left[i], right[i]);
      if (byField != 0) {
        return byField;
      }
    }
    return Integer.compare(left.length, right.length);
  }

  /** Numbers numerically, others in ASCII order, a number before any alphanumeric identifier. */
  private static int compareIdentifiers(String left, String right) {
    boolean leftNumeric = NUMERIC.matcher(left).matches();
    boolean rightNumeric = NUMERIC.matcher(right).matches();
    if (leftNumeric && rightNumeric) {
      return new BigInteger(left).compareTo(new BigInteger(right));
    }
    if (leftNumeric != rightNumeric) {
      return leftNumeric ? -1 : 1;
    }
    return left.compareTo(right);
  }

  /** A version this class can order: the grammar spec.version must match; a label edited by hand may not. */
  public static boolean isVersion(String text) {
    return text != null && SEMANTIC.matcher(text).matches();
  }
}
