package io.infracast.api.platform.security;

import java.util.UUID;

/** The tenant a request names in its path, and the role the caller holds in it. */
public record TenantAccess(UUID tenantId, String slug, Role role) {}
