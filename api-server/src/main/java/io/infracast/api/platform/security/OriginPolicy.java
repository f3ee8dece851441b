package io.infracast.api.platform.security;

import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.http.ErrorCode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which browser origins may call the API: the page's own origin and the UI's CDN origin ({@code CONTENT_CDN_URL}).
 * Runs before every handler: a request from any other origin is refused with 403 before its handler runs, so a
 * foreign page can neither read an answer nor make a write take effect. Requests without {@code Origin} (curl,
 * probes, other services) are not browser cross-origin requests and pass.
 */
public final class OriginPolicy {
  static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE";
  static final String ALLOWED_HEADERS = "Authorization, Content-Type";
  private static final int MAX_ECHOED = 200;

  private final Optional<String> cdnOrigin;

  /** @param cdnOrigin the one cross-origin caller allowed ({@code scheme://host[:port]}), empty = same origin only */
  public OriginPolicy(Optional<String> cdnOrigin) {
    this.cdnOrigin = cdnOrigin;
  }

  /** A before-handler: passes, answers a CORS preflight (204), or throws FORBIDDEN. */
  public void check(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null || sameOrigin(origin, ctx.header("Host"))) {
      return;
    }
    if (cdnOrigin.isEmpty() || !cdnOrigin.get().equals(origin)) {
      String shown = origin.length() > MAX_ECHOED ? origin.substring(0, MAX_ECHOED) + "..." : origin;
      throw new ApiException(ErrorCode.FORBIDDEN, "origin " + shown + " is not allowed");
    }
    ctx.header("Access-Control-Allow-Origin", origin);
    ctx.header("Access-Control-Allow-Credentials", "true");
    ctx.header("Vary", "Origin");
    if (ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null) {
      String requested = ctx.header("Access-Control-Request-Headers");
      ctx.header("Access-Control-Allow-Methods", ALLOWED_METHODS);
      ctx.header("Access-Control-Allow-Headers", requested == null ? ALLOWED_HEADERS : requested);
      ctx.header("Access-Control-Max-Age", "600");
      ctx.status(204);
      ctx.skipRemainingHandlers();
    }
  }

  /** Browsers send Origin on same-origin writes too; the scheme is not compared (TLS ends at the load balancer). */
  private static boolean sameOrigin(String origin, String host) {
    if (host == null) {
      return false;
    }
    try {
      String authority = new URI(origin).getRawAuthority();
      return authority != null && authority.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
