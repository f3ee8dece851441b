package io.infracast.api.platform.security;

import java.util.Optional;

/**
 * Turns credentials into callers; implemented by the identity domain and handed to every module that registers
 * {@link SecuredRoutes}. Failures are {@link io.infracast.api.platform.http.ApiException}s with code
 * UNAUTHORIZED and a {@code details.reason} saying which check failed.
 */
public interface Authenticator {
  /** The caller of {@code Authorization: Bearer <credential>}: an access token (JWT) or an {@code sk_} API key. */
  Caller authenticate(String credential);

  /** The caller's access to the tenant with this slug; empty when it does not exist or the caller is no member. */
  Optional<TenantAccess> access(Caller caller, String tenantSlug);
}
