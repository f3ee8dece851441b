package io.infracast.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** One audit log row: who ({@code actor_type} user, api_key or system, and its id) did what to which target, when. */
public record AuditEntry(
    long id,
    Instant occurredAt,
    UUID tenantId,
    String actorType,
    String actorId,
    String action,
    String targetType,
    String targetId,
    JsonNode details) {}
