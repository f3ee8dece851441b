package io.infracast.api.evidence.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The canonical JSON of evidence: object keys sorted (at every depth), no whitespace, UTF-8. What is hashed and
 * signed, so that a verifier re-serializing a parsed artifact gets the same bytes.
 */
public final class Canonical {
  private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private Canonical() {}

  /** The canonical bytes of maps, lists, strings, numbers, booleans and nulls, or of a parsed tree. */
  public static byte[] bytes(Object value) {
    try {
      // A tree keeps its keys in document order: as maps they get sorted.
      Object plain = value instanceof JsonNode n ? JSON.treeToValue(n, Object.class) : value;
      return JSON.writeValueAsBytes(plain);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not serializable as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Parses JSON (stored artifacts, bundle files). */
  public static JsonNode read(byte[] json) throws IOException {
    return JSON.readTree(json);
  }

  /** The SHA-256 of {@code bytes}, lower-case hex. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
