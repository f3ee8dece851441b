package io.infracast.api.platform.security;

import java.util.Arrays;
import java.util.Optional;

/**
 * The five roles. {@code system-admin} belongs to a user (every tenant, and creating or deleting tenants); the
 * other four are held per tenant, by a user's membership or an API key.
 */
public enum Role {
  SYSTEM_ADMIN("system-admin"),
  TENANT_ADMIN("tenant-admin"),
  SECURITY_ANALYST("security-analyst"),
  AUDITOR("auditor"),
  READ_ONLY("read-only");

  private final String wire;

  Role(String wire) {
    this.wire = wire;
  }

  /** The name in the API and the database ({@code tenant-admin}). */
  public String wire() {
    return wire;
  }

  public static Optional<Role> fromWire(String name) {
    return Arrays.stream(values()).filter(r -> r.wire.equals(name)).findFirst();
  }

  @Override
  public String toString() {
    return wire;
  }
}
