package io.infracast.api.evidence.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.infracast.api.evidence.Verification;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Checks signed artifacts and bundles against this server's evidence key, naming the first check that fails:
 * a content hash that does not match the artifact, another key, a signature that does not match, a bundle file
 * missing, changed (its SHA-256 differs from the manifest's), unexpected, or a ZIP that is damaged or is none.
 */
public final class Verifier {
  /** A bundle unpacks to at most this (a ZIP bomb is refused before it fills the memory). */
  static final long MAX_UNPACKED_BYTES = 64L * 1024 * 1024;
  static final int MAX_ENTRIES = 10_000;

  private final SigningKey key;

  public Verifier(SigningKey key) {
    this.key = key;
  }

  /** A signed artifact (the envelope {@link Artifacts} writes). */
  public Verification artifact(JsonNode envelope) {
    String problem = problem(envelope);
    return problem == null ? valid("artifact", "the artifact's content hash and its " + SigningKey.ALGORITHM
        + " signature by key " + key.id() + " are valid") : invalid("artifact", problem);
  }

  /** The first problem of a signed artifact, null when there is none. */
  private String problem(JsonNode envelope) {
    String shape = shape(envelope);
    if (shape != null) {
      return shape;
    }
    String algorithm = envelope.path("algorithm").asText(SigningKey.ALGORITHM);
    if (!algorithm.equals(SigningKey.ALGORITHM)) {
      return "algorithm " + algorithm + " is not " + SigningKey.ALGORITHM;
    }
    byte[] canonical = Canonical.bytes(envelope.get("artifact"));
    String hash = "sha256:" + Canonical.sha256(canonical);
    String claimed = envelope.get("content_hash").asText();
    if (!hash.equals(claimed)) {
      return "content hash mismatch: content_hash is " + claimed + " but the artifact hashes to " + hash
          + " (its content was changed after signing)";
    }
    return signatureProblem(envelope.get("key_id").asText(), canonical, envelope.get("signature").asText(),
        "the artifact");
  }

  /** What an envelope lacks, null when it has every field (the API refuses such a body with a 400). */
  public static String shape(JsonNode envelope) {
    if (envelope == null || !envelope.isObject()) {
      return "not a signed artifact (a JSON object)";
    }
    if (!envelope.path("artifact").isObject()) {
      return "not a signed artifact: 'artifact' must be an object";
    }
    for (String field : new String[] {"content_hash", "signature", "key_id"}) {
      if (!envelope.path(field).isTextual()) {
        return "not a signed artifact: '" + field + "' must be a string";
      }
    }
    JsonNode algorithm = envelope.path("algorithm");
    return algorithm.isMissingNode() || algorithm.isNull() || algorithm.isTextual() ? null
        : "not a signed artifact: 'algorithm' must be a string";
  }

  private String signatureProblem(String keyId, byte[] data, String signature, String what) {
    if (!keyId.equals(key.id())) {
      return "signed with key " + keyId + ", which is not this server's evidence key " + key.id();
    }
    return key.verifies(data, signature) ? null
        : "signature mismatch: the signature is not key " + key.id() + "'s signature of " + what;
  }

  /** A bundle ZIP ({@link Bundles}). */
  public Verification bundle(byte[] zip) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    String unpacked = unpack(zip, files);
    if (unpacked != null) {
      return invalid("bundle", unpacked);
    }
    for (String required : new String[] {Bundles.MANIFEST, Bundles.SIGNATURE}) {
      if (!files.containsKey(required)) {
        return invalid("bundle", "missing file " + required);
      }
    }
    byte[] manifestBytes = files.remove(Bundles.MANIFEST);
    String signature = new String(files.remove(Bundles.SIGNATURE), StandardCharsets.US_ASCII).trim();
    JsonNode manifest;
    try {
      manifest = Canonical.read(manifestBytes);
    } catch (IOException e) {
      return invalid("bundle", Bundles.MANIFEST + " is not JSON");
    }
    if (manifest == null || !manifest.path("artifacts").isArray() || !manifest.path("key_id").isTextual()) {
      return invalid("bundle", Bundles.MANIFEST + " is not a bundle manifest (no artifacts list or key_id)");
    }
    String manifestProblem = signatureProblem(manifest.get("key_id").asText(), manifestBytes, signature,
        Bundles.MANIFEST + " (" + Bundles.SIGNATURE + ")");
    if (manifestProblem != null) {
      return invalid("bundle", "manifest: " + manifestProblem);
    }
    for (JsonNode listed : manifest.get("artifacts")) {
      String name = listed.path("file").asText();
      String control = "control " + listed.path("framework").asText() + " " + listed.path("control_id").asText();
      byte[] bytes = files.remove(name);
      if (bytes == null) {
        return invalid("bundle", "missing file " + name + " (" + control + ")");
      }
      String hash = Canonical.sha256(bytes);
      if (!hash.equals(listed.path("sha256").asText())) {
        return invalid("bundle", "hash mismatch of artifact " + name + " (" + control + "): the manifest lists "
            + listed.path("sha256").asText() + ", the file hashes to " + hash);
      }
      String problem;
      try {
        problem = problem(Canonical.read(bytes));
      } catch (IOException e) {
        problem = "not JSON";
      }
      if (problem != null) {
        return invalid("bundle", "artifact " + name + " (" + control + "): " + problem);
      }
    }
    if (!files.isEmpty()) {
      return invalid("bundle", "unexpected file " + files.keySet().iterator().next() + " (not in the manifest)");
    }
    return valid("bundle", "the manifest's signature by key " + key.id() + " and its "
        + manifest.get("artifacts").size() + " artifact(s) are valid");
  }

  /** Reads every entry into {@code files}; the reason it cannot, null when it can. */
  private static String unpack(byte[] zip, Map<String, byte[]> files) {
    long total = 0;
    String entryName = null;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        entryName = entry.getName();
        if (files.containsKey(entryName)) {
          return "the ZIP has two entries named " + entryName;
        }
        if (files.size() >= MAX_ENTRIES) {
          return "the ZIP has more than " + MAX_ENTRIES + " entries";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
          total += n;
          if (total > MAX_UNPACKED_BYTES) {
            return "the ZIP unpacks to more than " + MAX_UNPACKED_BYTES / (1024 * 1024) + " MiB";
          }
          out.write(buffer, 0, n);
        }
        files.put(entryName, out.toByteArray());
      }
    } catch (IOException e) {
      return "the ZIP is damaged" + (entryName == null ? "" : " at entry " + entryName) + ": " + e.getMessage();
    }
    return files.isEmpty() ? "not a ZIP archive (or an empty one)" : null;
  }

  private static Verification valid(String kind, String what) {
    return new Verification(true, what, kind);
  }

  private static Verification invalid(String kind, String reason) {
    return new Verification(false, reason, kind);
  }
}
