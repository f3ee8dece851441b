package io.infracast.api.compliance;

import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.http.ApiModule;
import io.infracast.api.platform.http.ErrorCode;
import io.infracast.api.platform.http.JsonBody;
import io.infracast.api.platform.http.Page;
import io.infracast.api.platform.security.Authenticator;
import io.infracast.api.platform.security.Permission;
import io.infracast.api.platform.security.SecuredRoutes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The findings routes under {@code /api/v1/tenants/{tenant}}: list (filters {@code framework}, {@code severity},
 * {@code status}, {@code resource_type}, {@code control_id}, {@code search}), get, run an evaluation, accept,
 * resolve. See {@link Permission} for who may call which.
 */
public final class ComplianceModule implements ApiModule {
  private static final int MAX_FILTER_CHARS = 1024;
  private static final int MAX_REASON_CHARS = 2000;

  private final ComplianceService service;
  private final Authenticator authenticator;

  public ComplianceModule(ComplianceService service, Authenticator authenticator) {
    this.service = service;
    this.authenticator = authenticator;
  }

  @Override
  public void register(RoutesConfig routes) {
    SecuredRoutes secured = new SecuredRoutes(routes, authenticator);
    secured.add(Permission.FINDINGS_LIST, (ctx, auth) -> ctx.json(service.list(auth, filter(ctx), Page.of(ctx))));
    secured.add(Permission.FINDINGS_RUN, (ctx, auth) -> {
      body(ctx, Set.of());
      ctx.json(service.run(auth));
    });
    secured.add(Permission.FINDING_GET, (ctx, auth) -> ctx.json(service.get(auth, ctx.pathParam("finding_id"))));
    secured.add(Permission.FINDING_ACCEPT, (ctx, auth) ->
        ctx.json(service.accept(auth, ctx.pathParam("finding_id"), reason(ctx))));
    secured.add(Permission.FINDING_RESOLVE, (ctx, auth) ->
        ctx.json(service.resolve(auth, ctx.pathParam("finding_id"), reason(ctx))));
  }

  /** The optional body's {@code reason} (at most 2,000 characters); no body is the same as {@code {}}. */
  private static Optional<String> reason(Context ctx) {
    Optional<JsonBody> body = body(ctx, Set.of("reason"));
    Optional<String> reason = body.flatMap(b -> b.optionalString("reason"));
    if (reason.isPresent() && reason.get().length() > MAX_REASON_CHARS) {
      throw body.get().invalid("reason", "is longer than " + MAX_REASON_CHARS + " characters");
    }
    return reason;
  }

  private static Optional<JsonBody> body(Context ctx, Set<String> allowed) {
    return ctx.body().isBlank() ? Optional.empty() : Optional.of(JsonBody.of(ctx, allowed));
  }

  private static FindingFilter filter(Context ctx) {
    String sort = Optional.ofNullable(ctx.queryParam("sort")).orElse("-risk_score");
    boolean descending = sort.startsWith("-");
    return new FindingFilter(param(ctx, "framework"),
        list(ctx, "severity", v -> Arrays.stream(Severity.values()).filter(s -> s.name().equalsIgnoreCase(v))
            .findFirst().orElse(null), Arrays.stream(Severity.values()).map(Enum::name).toList()),
        list(ctx, "status", v -> ComplianceService.STATUSES.contains(v) ? v : null,
            ComplianceService.STATUSES.stream().sorted().toList()),
        list(ctx, "resource_type", Function.identity(), List.of()), param(ctx, "control_id"),
        param(ctx, "search"), descending ? sort.substring(1) : sort, descending);
  }

  /**
   * A comma-separated filter (any of the values matches); each value read by {@code read}, null meaning not
   * one of {@code allowed}.
   */
  private static <T> List<T> list(Context ctx, String name, Function<String, T> read, List<String> allowed) {
    return param(ctx, name).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .map(s -> {
          T value = read.apply(s);
          if (value == null) {
            throw new ApiException(ErrorCode.BAD_REQUEST, name + " '" + s + "' is not one of "
                + String.join(", ", allowed), Map.of("parameter", name, "allowed", allowed));
          }
          return value;
        }).toList()).orElse(List.of());
  }

  private static Optional<String> param(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v != null && v.length() > MAX_FILTER_CHARS) {
      throw new ApiException(ErrorCode.BAD_REQUEST, name + " is longer than " + MAX_FILTER_CHARS + " characters",
          Map.of("parameter", name));
    }
    return Optional.ofNullable(v).filter(s -> !s.isEmpty());
  }
}
