package io.infracast.api.evidence.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.infracast.api.evidence.Verification;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Checks signed artifacts and bundles against the key each names, if it is one this service ever signed with
 * ({@link KeyHistory}: evidence signed before a key rotation still verifies), naming the first check that fails:
 * a content hash that does not match the artifact, a key this service never used, a signature that does not
 * match, a bundle file missing, changed (its SHA-256 differs from the manifest's), unexpected, or a ZIP that is
 * damaged or is none.
 */
public final class Verifier {
  /** A bundle unpacks to at most this (a ZIP bomb is refused before it fills the memory). */
  static final long MAX_UNPACKED_BYTES = 64L * 1024 * 1024;
  static final int MAX_ENTRIES = 10_000;

  private final KeyHistory keys;

  public Verifier(KeyHistory keys) {
    this.keys = keys;
  }

  /** A signed artifact (the envelope {@link Artifacts} writes). */
  public Verification artifact(JsonNode envelope) {
    String problem = problem(envelope);
    String keyId = envelope.path("key_id").isTextual() ? envelope.get("key_id").asText() : null;
    return answer("artifact", keyId, problem, () -> "the artifact's content hash and its " + SigningKey.ALGORITHM
        + " signature by key " + keyId + " (" + which(keyId) + ") are valid");
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
    Optional<VerifyingKey> key = keys.find(keyId);
    if (key.isEmpty()) {
      return "signed with key " + keyId + ", which this service never used (GET /api/v1/reports/public-keys lists"
          + " the keys it did)";
    }
    return key.get().verifies(data, signature) ? null
        : "signature mismatch: the signature is not key " + keyId + "'s signature of " + what;
  }

  /** How the key {@code keyId}, which verified, stands to this service. */
  private String which(String keyId) {
    return keyId.equals(keys.current().id()) ? "this service's current key" : "a former key of this service";
  }

  /** A bundle ZIP ({@link Bundles}). */
  public Verification bundle(byte[] zip) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    String unpacked = unpack(zip, files);
    if (unpacked != null) {
      return answer("bundle", null, unpacked, null);
    }
    for (String required : new String[] {Bundles.MANIFEST, Bundles.SIGNATURE}) {
      if (!files.containsKey(required)) {
        return answer("bundle", null, "missing file " + required, null);
      }
    }
    byte[] manifestBytes = files.remove(Bundles.MANIFEST);
    String signature = new String(files.remove(Bundles.SIGNATURE), StandardCharsets.US_ASCII).trim();
    JsonNode manifest;
    try {
      manifest = Canonical.read(manifestBytes);
    } catch (IOException e) {
      return answer("bundle", null, Bundles.MANIFEST + " is not JSON", null);
    }
    if (manifest == null || !manifest.path("artifacts").isArray() || !manifest.path("key_id").isTextual()) {
      return answer("bundle", null, Bundles.MANIFEST + " is not a bundle manifest (no artifacts list or key_id)",
          null);
    }
    String keyId = manifest.get("key_id").asText();
    // Artifacts kept from before a rotation are signed by another key than a bundle made since.
    Set<String> artifactKeys = new TreeSet<>();
    String problem = bundleProblem(manifest, manifestBytes, signature, files, artifactKeys);
    return answer("bundle", keyId, problem, () -> "the manifest's signature by key " + keyId + " (" + which(keyId)
        + ") and its " + manifest.get("artifacts").size() + " artifact(s)" + (artifactKeys.isEmpty() ? ""
            : ", signed by key " + String.join(", ", artifactKeys) + ",") + " are valid");
  }

  /**
   * The first problem of a bundle whose manifest has been read, null when there is none; adds the keys its
   * artifacts are signed with to {@code artifactKeys}.
   */
  private String bundleProblem(JsonNode manifest, byte[] manifestBytes, String signature, Map<String, byte[]> files,
      Set<String> artifactKeys) {
    String manifestProblem = signatureProblem(manifest.get("key_id").asText(), manifestBytes, signature,
        Bundles.MANIFEST + " (" + Bundles.SIGNATURE + ")");
    if (manifestProblem != null) {
      return "manifest: " + manifestProblem;
    }
    for (JsonNode listed : manifest.get("artifacts")) {
      String name = listed.path("file").asText();
      String control = "control " + listed.path("framework").asText() + " " + listed.path("control_id").asText();
      byte[] bytes = files.remove(name);
      if (bytes == null) {
        return "missing file " + name + " (" + control + ")";
      }
      String hash = Canonical.sha256(bytes);
      if (!hash.equals(listed.path("sha256").asText())) {
        return "hash mismatch of artifact " + name + " (" + control + "): the manifest lists "
            + listed.path("sha256").asText() + ", the file hashes to " + hash;
      }
      String problem;
      try {
        JsonNode artifact = Canonical.read(bytes);
        problem = problem(artifact);
        artifactKeys.add(artifact.path("key_id").asText());
      } catch (IOException e) {
        problem = "not JSON";
      }
      if (problem != null) {
        return "artifact " + name + " (" + control + "): " + problem;
      }
    }
    return files.isEmpty() ? null
        : "unexpected file " + files.keySet().iterator().next() + " (not in the manifest)";
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

  /** Invalid with {@code problem}, or valid with what {@code checked} says when there is none. */
  private Verification answer(String kind, String keyId, String problem, Supplier<String> checked) {
    Boolean current = keyId == null ? null : keyId.equals(keys.current().id());
    return problem == null ? new Verification(true, checked.get(), kind, keyId, current)
        : new Verification(false, problem, kind, keyId, current);
  }
}
