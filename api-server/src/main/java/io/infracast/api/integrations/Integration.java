package io.infracast.api.integrations;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A tenant's integration as the API shows it; {@code type} is {@code webhook}, the only type so far.
 *
 * @param events the events it is sent ({@link IntegrationsService#EVENTS})
 * @param enabled false: no events are fanned out to it
 * @param createdBy {@code {"type":"user|api_key","id":"..."}}
 * @param secret the HMAC signing secret: in the answer to its creation only, never again
 */
public record Integration(
    UUID id,
    String type,
    String name,
    String url,
    List<String> events,
    boolean enabled,
    Map<String, String> createdBy,
    Instant createdAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

  Integration withSecret(String shownOnce) {
    return new Integration(id, type, name, url, events, enabled, createdBy, createdAt, shownOnce);
  }
}
