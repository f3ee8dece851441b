package io.infracast.api.discovery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A discovery job as the API shows it.
 *
 * @param error why it failed or who cancelled it; null otherwise
 * @param nodes nodes its plugins delivered (set when it ends)
 * @param edges edges its plugins delivered (set when it ends)
 * @param createdBy {@code {"type":"user|api_key|schedule","id":"..."}}
 * @param attempts how many times a worker started it (more than one after a replica running it died)
 * @param credentialId the credential its plugins get; null for none
 */
public record Job(
    UUID id,
    String name,
    List<String> plugins,
    ObjectNode config,
    JobStatus status,
    String error,
    int nodes,
    int edges,
    Map<String, String> createdBy,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    int attempts,
    UUID credentialId) {}
