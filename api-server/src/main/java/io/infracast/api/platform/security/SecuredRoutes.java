package io.infracast.api.platform.security;

import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.http.ErrorCode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;

/**
 * Registers authenticated routes. Before a handler runs: the bearer credential becomes a {@link Caller} (401
 * otherwise), the path's {@code {tenant}} is resolved to the caller's access there (404 when the tenant does not
 * exist or the caller is no member: never a hint that it exists), and the role is checked against the
 * {@link Permission} table (403). The handler then gets the {@link AuthContext}.
 */
public final class SecuredRoutes {
  /** A handler of an authenticated route. */
  @FunctionalInterface
  public interface Handler {
    void handle(Context ctx, AuthContext auth) throws Exception;
  }

  private static final String BEARER = "Bearer ";

  private final RoutesConfig routes;
  private final Authenticator authenticator;

  public SecuredRoutes(RoutesConfig routes, Authenticator authenticator) {
    this.routes = routes;
    this.authenticator = authenticator;
  }

  public void add(Permission permission, Handler handler) {
    routes.addHttpHandler(permission.method(), permission.path(),
        ctx -> handler.handle(ctx, authorize(ctx, permission)));
  }

  private AuthContext authorize(Context ctx, Permission permission) {
    Caller caller = authenticator.authenticate(credential(ctx));
    if (!permission.tenantScoped()) {
      if (!permission.allowsGlobally(caller)) {
        throw forbidden(permission);
      }
      return new AuthContext(caller, Optional.empty());
    }
    String slug = ctx.pathParam("tenant");
    TenantAccess access = authenticator.access(caller, slug)
        .orElseThrow(() -> ApiException.notFound("tenant " + slug + " not found"));
    if (!permission.allows(access.role())) {
      throw forbidden(permission);
    }
    return new AuthContext(caller, Optional.of(access));
  }

  private static ApiException forbidden(Permission permission) {
    return new ApiException(ErrorCode.FORBIDDEN, "your role does not allow " + permission.method() + " "
        + permission.path(), Map.of("reason", "role_not_allowed"));
  }

  /** The credential of {@code Authorization: Bearer ...}; 401 {@code credentials_missing} without one. */
  private static String credential(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
        || header.substring(BEARER.length()).isBlank()) {
      throw unauthorized("credentials_missing",
          "this endpoint needs Authorization: Bearer <access token or API key>");
    }
    return header.substring(BEARER.length()).trim();
  }

  /** A 401 whose {@code details.reason} names the failed check ({@code token_expired}, {@code api_key_revoked}, ...). */
  public static ApiException unauthorized(String reason, String message) {
    return new ApiException(ErrorCode.UNAUTHORIZED, message, Map.of("reason", reason));
  }
}
