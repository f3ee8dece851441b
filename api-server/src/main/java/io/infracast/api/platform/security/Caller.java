package io.infracast.api.platform.security;

import java.util.UUID;

/**
 * Who sent a request, as its credential proves: a user (from an access token) or an API key.
 *
 * @param kind user or API key
 * @param id the user's or the key's id
 * @param systemAdmin whether the user is a system admin (never true for a key)
 */
public record Caller(Kind kind, UUID id, boolean systemAdmin) {
  public enum Kind {
    USER("user"),
    API_KEY("api_key");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }

    /** As recorded in the audit log's actor_type. */
    public String wire() {
      return wire;
    }
  }
}
