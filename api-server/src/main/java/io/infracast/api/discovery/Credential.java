package io.infracast.api.discovery;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A discovery credential as the API shows it: what it is, never its secret.
 *
 * @param type {@code kubernetes}, {@code aws} or {@code generic}
 * @param hint a masked reminder of which secret it holds ({@code ****wxyz}), never enough to use it
 * @param encryptionKey the id of the {@code ENCRYPTION_KEYS} key its secret is sealed with (rotation shows here)
 * @param createdBy {@code {"type":"user|api_key","id":"..."}}
 * @param sealedAt when its secret was last sealed (created, or sealed again with a new key)
 */
public record Credential(
    UUID id,
    String name,
    String type,
    String hint,
    String encryptionKey,
    Map<String, String> createdBy,
    Instant createdAt,
    Instant sealedAt) {}
