package io.infracast.api.identity;

import io.infracast.api.audit.AuditService;
import io.infracast.api.identity.internal.Directory;
import io.infracast.api.identity.internal.PasswordHasher;
import io.infracast.api.identity.internal.Sessions;
import io.infracast.api.identity.internal.Tokens;
import io.infracast.api.platform.db.Transactions;
import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.http.ApiModule;
import io.infracast.api.platform.http.ErrorCode;
import io.infracast.api.platform.http.JsonBody;
import io.infracast.api.platform.http.Page;
import io.infracast.api.platform.security.Permission;
import io.infracast.api.platform.security.SecuredRoutes;
import io.infracast.api.platform.security.TrustedProxies;
import io.javalin.config.RoutesConfig;
import java.time.Clock;
import java.util.Set;

/**
 * Identity routes: {@code POST /api/v1/auth/token} and {@code /auth/refresh} (public), and the authenticated
 * {@code /me}, tenants, their users and API keys (see {@link Permission} for who may call which).
 */
public final class IdentityModule implements ApiModule {
  private final Sessions sessions;
  private final Directory directory;
  private final IdentityService service;
  private final TrustedProxies proxies;

  /** @param proxies who may name the client in {@code X-Forwarded-For} (the login throttle counts per client) */
  public IdentityModule(Transactions transactions, AuditService audit, String jwtSecret, Clock clock,
      TrustedProxies proxies) {
    Tokens tokens = new Tokens(jwtSecret, clock);
    PasswordHasher hasher = new PasswordHasher();
    this.sessions = new Sessions(transactions, tokens, hasher);
    this.directory = new Directory(transactions, audit, hasher, tokens);
    this.service = new IdentityService(transactions, sessions);
    this.proxies = proxies;
  }

  /** The door other domains get (the authenticator of their routes). */
  public IdentityService service() {
    return service;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post(PREFIX + "/auth/token", ctx -> {
      JsonBody body = JsonBody.of(ctx, Set.of("email", "password"));
      String email = body.requiredString("email");
      String password = body.requiredString("password");
      try {
        ctx.json(sessions.login(email, password, proxies.clientAddress(ctx)));
      } catch (ApiException e) {
        if (e.code() == ErrorCode.RATE_LIMITED) {
          ctx.header("Retry-After", String.valueOf(e.details().get("retry_after_seconds")));
        }
        throw e;
      }
    });
    routes.post(PREFIX + "/auth/refresh", ctx ->
        ctx.json(sessions.refresh(JsonBody.of(ctx, Set.of("refresh_token")).requiredString("refresh_token"))));

    SecuredRoutes secured = new SecuredRoutes(routes, service);
    secured.add(Permission.ME, (ctx, auth) -> ctx.json(directory.me(auth.caller())));
    secured.add(Permission.TENANTS_LIST, (ctx, auth) -> ctx.json(directory.tenants(auth.caller(), Page.of(ctx))));
    secured.add(Permission.TENANTS_CREATE, (ctx, auth) -> {
      JsonBody body = JsonBody.of(ctx, Set.of("slug", "name", "account_id"));
      ctx.status(201).json(directory.createTenant(auth.caller(), body.requiredString("slug"),
          body.requiredString("name"), body.optionalString("account_id")));
    });
    secured.add(Permission.TENANT_GET, (ctx, auth) -> ctx.json(directory.tenant(auth)));
    secured.add(Permission.TENANT_DELETE, (ctx, auth) -> {
      directory.deleteTenant(auth);
      ctx.status(204);
    });
    secured.add(Permission.USERS_LIST, (ctx, auth) -> ctx.json(directory.members(auth, Page.of(ctx))));
    secured.add(Permission.USERS_ADD, (ctx, auth) -> {
      JsonBody body = JsonBody.of(ctx, Set.of("email", "password", "role"));
      ctx.status(201).json(directory.addMember(auth, body.requiredString("email"), body.optionalString("password"),
          body.requiredString("role")));
    });
    secured.add(Permission.USER_SET_ROLE, (ctx, auth) -> ctx.json(directory.setRole(auth, ctx.pathParam("user_id"),
        JsonBody.of(ctx, Set.of("role")).requiredString("role"))));
    secured.add(Permission.USER_REMOVE, (ctx, auth) -> {
      directory.removeMember(auth, ctx.pathParam("user_id"));
      ctx.status(204);
    });
    secured.add(Permission.API_KEYS_LIST, (ctx, auth) -> ctx.json(directory.keys(auth, Page.of(ctx))));
    secured.add(Permission.API_KEYS_CREATE, (ctx, auth) -> {
      JsonBody body = JsonBody.of(ctx, Set.of("name", "role"));
      ctx.status(201).json(directory.createKey(auth, body.requiredString("name"), body.requiredString("role")));
    });
    secured.add(Permission.API_KEY_REVOKE, (ctx, auth) -> {
      directory.revokeKey(auth, ctx.pathParam("key_id"));
      ctx.status(204);
    });
  }
}
