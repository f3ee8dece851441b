package io.infracast.operator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The first bytes of a SHA-256, in hex: stable, short names and annotations derived from content. */
public final class ShortHash {

  private ShortHash() {}

  /** {@code bytes} bytes of the SHA-256 of {@code text}, as {@code 2 * bytes} lowercase hex digits. */
  public static String of(String text, int bytes) {
    try {
      var digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /**
   * {@code name} cut so that a dash and a hash of {@code exact} follow within {@code max} characters: a readable
   * start that stays unique for every distinct {@code exact}.
   */
  public static String uniqueWithin(String name, String exact, int max) {
    var hash = of(exact, 5);
    return name.substring(0, Math.min(name.length(), max - hash.length() - 1)).replaceAll("-+$", "") + "-" + hash;
  }
}
