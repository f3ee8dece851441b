package io.infracast.api.integrations;

import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.http.ApiModule;
import io.infracast.api.platform.http.ErrorCode;
import io.infracast.api.platform.http.JsonBody;
import io.infracast.api.platform.http.Page;
import io.infracast.api.platform.security.Authenticator;
import io.infracast.api.platform.security.Permission;
import io.infracast.api.platform.security.SecuredRoutes;
import io.javalin.config.RoutesConfig;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Integrations under {@code /api/v1/tenants/{tenant}/integrations}: create a webhook (its secret shown once), list,
 * get, delete, and a webhook's deliveries. See {@link Permission} for who may call which.
 */
public final class IntegrationsModule implements ApiModule {
  private static final Set<String> FIELDS = Set.of("type", "name", "url", "events", "enabled");

  private final IntegrationsService service;
  private final Authenticator authenticator;

  public IntegrationsModule(IntegrationsService service, Authenticator authenticator) {
    this.service = service;
    this.authenticator = authenticator;
  }

  @Override
  public void register(RoutesConfig routes) {
    SecuredRoutes secured = new SecuredRoutes(routes, authenticator);
    secured.add(Permission.INTEGRATIONS_CREATE, (ctx, auth) -> {
      JsonBody body = JsonBody.of(ctx, FIELDS);
      String type = body.optionalString("type").orElse("webhook");
      if (!type.equals("webhook")) {
        throw body.invalid("type", "must be webhook (the only integration type so far)");
      }
      String name = body.requiredString("name");
      if (name.isBlank() || name.length() > 200) {
        throw body.invalid("name", "must be 1 to 200 characters");
      }
      ctx.status(201).json(service.create(auth, new IntegrationsService.NewWebhook(name, body.requiredString("url"),
          body.requiredStrings("events", IntegrationsService.EVENTS.size()),
          body.optionalBoolean("enabled").orElse(true))));
    });
    secured.add(Permission.INTEGRATIONS_LIST, (ctx, auth) -> ctx.json(service.list(auth, Page.of(ctx))));
    secured.add(Permission.INTEGRATION_GET, (ctx, auth) ->
        ctx.json(service.get(auth, ctx.pathParam("integration_id"))));
    secured.add(Permission.INTEGRATION_DELETE, (ctx, auth) -> {
      service.delete(auth, ctx.pathParam("integration_id"));
      ctx.status(204);
    });
    secured.add(Permission.INTEGRATION_DELIVERIES, (ctx, auth) -> {
      Optional<String> status = Optional.ofNullable(ctx.queryParam("status"));
      if (status.isPresent() && !IntegrationsService.DELIVERY_STATUSES.contains(status.get())) {
        throw new ApiException(ErrorCode.BAD_REQUEST, "status must be pending, succeeded or failed",
            Map.of("parameter", "status"));
      }
      ctx.json(service.deliveries(auth, ctx.pathParam("integration_id"), status, Page.of(ctx)));
    });
  }
}
