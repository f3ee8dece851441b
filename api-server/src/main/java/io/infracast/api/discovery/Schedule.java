package io.infracast.api.discovery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A recurring discovery job as the API shows it.
 *
 * @param credentialId the credential its jobs run with; null for none
 * @param nextRunAt when it fires next
 * @param lastRunAt when it last fired (made a job or skipped one); null before its first run
 * @param lastJobId the last job it made; null before its first
 * @param skippedRuns due times it let pass because its previous job was still running
 * @param createdBy {@code {"type":"user|api_key","id":"..."}}
 */
public record Schedule(
    UUID id,
    String name,
    List<String> plugins,
    ObjectNode config,
    UUID credentialId,
    int intervalSeconds,
    boolean enabled,
    Instant nextRunAt,
    Instant lastRunAt,
    UUID lastJobId,
    int skippedRuns,
    Map<String, String> createdBy,
    Instant createdAt,
    Instant updatedAt) {}
