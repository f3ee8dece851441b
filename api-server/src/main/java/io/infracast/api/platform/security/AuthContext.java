package io.infracast.api.platform.security;

import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.http.ErrorCode;
import java.util.Optional;
import java.util.UUID;

/**
 * What a secured handler knows about its request: the caller, and for routes under
 * {@code /api/v1/tenants/{tenant}} the tenant and the caller's role there (already checked against the
 * {@link Permission} table when the handler runs).
 */
public record AuthContext(Caller caller, Optional<TenantAccess> tenant) {

  /** The path's tenant; only for tenant-scoped routes. */
  public TenantAccess tenantAccess() {
    return tenant.orElseThrow(() -> new ApiException(ErrorCode.INTERNAL_ERROR, "route has no tenant"));
  }

  public UUID tenantId() {
    return tenantAccess().tenantId();
  }
}
