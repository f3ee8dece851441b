package io.infracast.api.evidence.internal;

import io.infracast.api.compliance.Assessment;
import io.infracast.api.evidence.ControlResult;
import io.infracast.api.evidence.EvidenceSummary;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds and signs the artifact of one assessed control. The stored object is the envelope
 * {@code {"artifact": {...}, "content_hash": "sha256:<hex>", "signature": "<base64>", "key_id": "...",
 * "algorithm": "Ed25519"}}, where the hash and the signature are over the artifact's canonical JSON
 * ({@link Canonical}); the envelope itself is stored as canonical JSON too.
 */
public final class Artifacts {
  /** The artifact format, named in every artifact so that a later change of it is told apart. */
  static final String FORMAT = "infracast-evidence-artifact/1";

  private Artifacts() {}

  /** A signed artifact: its index entry and the stored bytes. */
  public record Signed(EvidenceSummary summary, byte[] bytes) {}

  public static Signed sign(UUID tenant, Assessment assessment, Assessment.Control control, SigningKey key) {
    UUID id = UUID.randomUUID();
    long failing = Math.min(control.open().assets(), control.assetsEvaluated());
    ControlResult result = ControlResult.of(control.assetsEvaluated(), failing);
    Instant at = assessment.evaluatedAt();
    Map<String, Object> artifact = new LinkedHashMap<>();
    artifact.put("format", FORMAT);
    artifact.put("id", id.toString());
    artifact.put("tenant_id", tenant.toString());
    artifact.put("evaluation_id", assessment.evaluationId().toString());
    artifact.put("framework", control.framework());
    artifact.put("control_id", control.controlId());
    artifact.put("result", result.wire());
    artifact.put("result_reason", reason(result, control, failing));
    artifact.put("rule_ids", control.ruleIds());
    artifact.put("node_types", control.nodeTypes());
    artifact.put("assets_evaluated", ids(control.assetsEvaluated(), control.assetIds()));
    artifact.put("failing_assets", failing);
    artifact.put("supporting_findings", ids(control.open().count(), control.open().ids()));
    artifact.put("accepted_findings", ids(control.accepted().count(), control.accepted().ids()));
    artifact.put("generated_at", at.toString());
    byte[] canonical = Canonical.bytes(artifact);
    String hash = "sha256:" + Canonical.sha256(canonical);
    Map<String, Object> envelope = new LinkedHashMap<>();
    envelope.put("artifact", artifact);
    envelope.put("content_hash", hash);
    envelope.put("signature", key.sign(canonical));
    envelope.put("key_id", key.id());
    envelope.put("algorithm", SigningKey.ALGORITHM);
    String objectKey = "tenants/" + tenant + "/evidence/" + assessment.evaluationId() + "/" + id + ".json";
    return new Signed(new EvidenceSummary(id, assessment.evaluationId(), control.framework(), control.controlId(),
        result.wire(), control.assetsEvaluated(), failing, hash, key.id(), objectKey, at), Canonical.bytes(envelope));
  }

  /** A bounded id list: the total, the first ids by id, and whether there are more than those. */
  private static Map<String, Object> ids(long count, List<?> first) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", count);
    m.put("ids", first.stream().map(Object::toString).toList());
    m.put("ids_truncated", count > first.size());
    return m;
  }

  private static String reason(ControlResult result, Assessment.Control control, long failing) {
    String accepted = control.accepted().count() == 0 ? ""
        : "; " + control.accepted().count() + " accepted finding(s) on " + control.accepted().assets()
            + " asset(s) do not count against it";
    return switch (result) {
      case NOT_ASSESSED -> "no asset of type " + String.join(", ", control.nodeTypes()) + " exists";
      case PASS -> "none of " + control.assetsEvaluated() + " evaluated asset(s) has an open finding" + accepted;
      case PARTIAL, FAIL -> failing + " of " + control.assetsEvaluated() + " evaluated asset(s) have open findings"
          + accepted;
    };
  }
}
