package io.infracast.api.evidence;

import java.time.Instant;
import java.util.UUID;

/**
 * An artifact in the evidence index (the signed artifact itself is in the artifact store, at {@code objectKey}).
 *
 * @param evaluationId the compliance evaluation it came from; one artifact per control each
 * @param contentHash {@code sha256:} and the hex SHA-256 of the artifact's canonical JSON
 * @param keyId the Ed25519 key that signed it
 */
public record EvidenceSummary(
    UUID id,
    UUID evaluationId,
    String framework,
    String controlId,
    String result,
    long assetsEvaluated,
    long failingAssets,
    String contentHash,
    String keyId,
    String objectKey,
    Instant generatedAt) {}
