package io.infracast.api.integrations;

import java.time.Instant;
import java.util.UUID;

/**
 * One event sent (or being sent) to one webhook.
 *
 * @param eventId the event's id, the same in every webhook's delivery of it (the body's {@code id})
 * @param status {@code pending} (waiting for its next attempt, or in one), {@code succeeded} or {@code failed}
 * @param attempts attempts made so far, the one under way included
 * @param nextAttemptAt when a pending delivery is tried next; null once it has ended
 * @param lastStatusCode the HTTP status of the last answer; null when there was none (timeout, refused, ...)
 * @param lastError why the last attempt failed; null after a success
 */
public record Delivery(
    UUID id,
    UUID eventId,
    String eventType,
    String status,
    int attempts,
    Instant nextAttemptAt,
    Instant lastAttemptAt,
    Integer lastStatusCode,
    String lastError,
    Instant createdAt,
    Instant finishedAt) {}
