package io.infracast.api.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infracast.api.evidence.internal.Verifier;
import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.http.ApiModule;
import io.infracast.api.platform.http.ErrorCode;
import io.infracast.api.platform.http.Page;
import io.infracast.api.platform.security.Authenticator;
import io.infracast.api.platform.security.Permission;
import io.infracast.api.platform.security.SecuredRoutes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The evidence routes: under {@code /api/v1/tenants/{tenant}/evidence} list (filters {@code framework},
 * {@code control_id}, {@code result}), get one signed artifact, download a bundle (see {@link Permission} for
 * who may); and, without authentication, {@code GET /api/v1/reports/public-key} (the current key),
 * {@code GET /api/v1/reports/public-keys} (every key it signed with) and {@code POST /api/v1/reports/verify}, which
 * checks a signed artifact ({@code application/json}) or a bundle
 * ({@code application/zip}).
 */
public final class EvidenceModule implements ApiModule {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EvidenceService service;
  private final Authenticator authenticator;

  public EvidenceModule(EvidenceService service, Authenticator authenticator) {
    this.service = service;
    this.authenticator = authenticator;
  }

  @Override
  public void register(RoutesConfig routes) {
    SecuredRoutes secured = new SecuredRoutes(routes, authenticator);
    secured.add(Permission.EVIDENCE_LIST, (ctx, auth) -> ctx.json(service.list(auth, new EvidenceFilter(
        param(ctx, "framework"), param(ctx, "control_id"), param(ctx, "result").map(EvidenceModule::result)),
        Page.of(ctx))));
    // Before {evidence_id}: the first route that matches serves.
    secured.add(Permission.EVIDENCE_BUNDLE, (ctx, auth) -> {
      byte[] zip = service.bundle(auth, param(ctx, "framework"));
      ctx.header("Content-Disposition", "attachment; filename=\"evidence-" + ctx.pathParam("tenant") + ".zip\"");
      ctx.contentType("application/zip").result(zip);
    });
    secured.add(Permission.EVIDENCE_GET, (ctx, auth) -> ctx.json(service.get(auth, ctx.pathParam("evidence_id"))));
    routes.get(PREFIX + "/reports/public-key", ctx -> ctx.json(service.publicKey()));
    routes.get(PREFIX + "/reports/public-keys", ctx -> ctx.json(service.publicKeys()));
    routes.post(PREFIX + "/reports/verify", ctx -> ctx.json(verify(ctx)));
  }

  /** A bundle when the body is declared a ZIP (or bytes), else a signed artifact as JSON. */
  private Verification verify(Context ctx) {
    byte[] body = ctx.bodyAsBytes();
    if (body.length == 0) {
      throw bad("send a signed artifact (application/json) or a bundle (application/zip) to verify", "empty_body");
    }
    String type = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(Locale.ROOT);
    if (type.startsWith("application/zip") || type.startsWith("application/octet-stream")) {
      return service.verifyBundle(body);
    }
    JsonNode envelope;
    try {
      envelope = JSON.readTree(body);
    } catch (IOException e) {
      throw bad("request body is not valid JSON: send a signed artifact as application/json, or a bundle as"
          + " application/zip", "not_json");
    }
    String shape = Verifier.shape(envelope);
    if (shape != null) {
      throw bad(shape, "not_a_signed_artifact");
    }
    return service.verifyArtifact(envelope);
  }

  private static ApiException bad(String message, String reason) {
    return new ApiException(ErrorCode.BAD_REQUEST, message, Map.of("reason", reason));
  }

  private static ControlResult result(String value) {
    return ControlResult.parse(value).orElseThrow(() -> new ApiException(ErrorCode.BAD_REQUEST, "result '" + value
        + "' is not one of Pass, Partial, Fail, Not Assessed", Map.of("parameter", "result",
            "allowed", Arrays.stream(ControlResult.values()).map(ControlResult::wire).toList())));
  }

  private static Optional<String> param(Context ctx, String name) {
    return Optional.ofNullable(ctx.queryParam(name)).filter(s -> !s.isEmpty());
  }
}
