package io.infracast.api.evidence.internal;

import io.infracast.api.evidence.EvidenceSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * An evidence bundle: a ZIP of {@code artifacts/<id>.json} (the stored signed artifacts, byte for byte), a
 * {@code manifest.json} listing each file with its SHA-256, control and result, and {@code manifest.sig}, the
 * Ed25519 signature (base64) of {@code manifest.json}'s bytes.
 */
public final class Bundles {
  static final String MANIFEST = "manifest.json";
  static final String SIGNATURE = "manifest.sig";
  static final String FORMAT = "infracast-evidence-bundle/1";

  private Bundles() {}

  /** One artifact of a bundle: its index entry and its stored bytes. */
  public record Entry(EvidenceSummary summary, byte[] bytes) {}

  static String file(UUID artifactId) {
    return "artifacts/" + artifactId + ".json";
  }

  public static byte[] write(UUID tenant, List<Entry> entries, SigningKey key, Instant now) {
    List<Map<String, Object>> listed = new ArrayList<>();
    for (Entry e : entries) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", file(e.summary().id()));
      m.put("sha256", Canonical.sha256(e.bytes()));
      m.put("framework", e.summary().framework());
      m.put("control_id", e.summary().controlId());
      m.put("result", e.summary().result());
      m.put("evaluation_id", e.summary().evaluationId().toString());
      listed.add(m);
    }
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("format", FORMAT);
    manifest.put("tenant_id", tenant.toString());
    manifest.put("created_at", now.toString());
    manifest.put("key_id", key.id());
    manifest.put("algorithm", SigningKey.ALGORITHM);
    manifest.put("artifacts", listed);
    byte[] manifestBytes = Canonical.bytes(manifest);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Entry e : entries) {
        add(zip, file(e.summary().id()), e.bytes());
      }
      add(zip, MANIFEST, manifestBytes);
      add(zip, SIGNATURE, key.sign(manifestBytes).getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void add(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }
}
