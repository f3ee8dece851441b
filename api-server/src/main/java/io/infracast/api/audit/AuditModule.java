package io.infracast.api.audit;

import io.infracast.api.platform.http.ApiModule;
import io.infracast.api.platform.http.Page;
import io.infracast.api.platform.security.Authenticator;
import io.infracast.api.platform.security.Permission;
import io.infracast.api.platform.security.SecuredRoutes;
import io.javalin.config.RoutesConfig;

/** {@code GET /api/v1/tenants/{tenant}/audit-log}: auditors, tenant admins and system admins. */
public final class AuditModule implements ApiModule {
  private final AuditService service;
  private final Authenticator authenticator;

  public AuditModule(AuditService service, Authenticator authenticator) {
    this.service = service;
    this.authenticator = authenticator;
  }

  @Override
  public void register(RoutesConfig routes) {
    new SecuredRoutes(routes, authenticator).add(Permission.AUDIT_LOG_LIST,
        (ctx, auth) -> ctx.json(service.list(auth.tenantId(), Page.of(ctx))));
  }
}
