package io.infracast.api.platform.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.infracast.api.platform.security.OriginPolicy;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side: Javalin 7 on Jetty 12. Owns the error format, request metrics, the allowed origin and the
 * graceful stop; every route comes from an {@link ApiModule}.
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  /** How long a stop waits for in-flight requests (the ALB / Service draining window). */
  public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);


  /** The methods the {@code method} label names; any other is counted as {@code other}, so no client can grow it. */
  private static final Set<String> LABELLED_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  /**
   * Largest request body (413 beyond): room for a bulk request of 5,000 nodes with their properties; bodies are
   * read whole into memory, so this bounds what one request can hold.
   */
  public static final long MAX_BODY_BYTES = 8L * 1024 * 1024;

  private final Javalin app;

  private HttpServer(Javalin app) {
    this.app = app;
  }

  /** The JSON mapper used for API bodies: snake_case field names, ISO dates. */
  public static ObjectMapper objectMapper() {
    return new ObjectMapper()
        .findAndRegisterModules()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  /** Starts listening; throws when the port cannot be bound. */
  public static HttpServer start(
      int port,
      Optional<String> corsOrigin,
      PrometheusMeterRegistry registry,
      List<ApiModule> modules) {
    ObjectMapper mapper = objectMapper();
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.jsonMapper(new JavalinJackson(mapper, false));
      config.http.defaultContentType = "application/json";
      config.http.prefer405over404 = true;
      config.http.maxRequestSize = MAX_BODY_BYTES;
      config.jetty.port = port;
      config.jetty.modifyServer(server -> {
        // Graceful stop: connectors stop accepting, GracefulHandler waits for in-flight requests.
        server.setStopTimeout(DRAIN_TIMEOUT.toMillis());
        server.setStopAtShutdown(false);
        server.setHandler(new GracefulHandler());
        server.setErrorHandler(new JsonErrorHandler(mapper));
      });
      OriginPolicy origins = new OriginPolicy(corsOrigin);
      config.routes.before(origins::check);

      config.requestLogger.http((ctx, ms) -> record(registry, ctx, ms));

      for (ApiModule module : modules) {
        module.register(config.routes);
      }

      config.routes.exception(ApiException.class, (e, ctx) -> writeError(ctx, e.code(), e.getMessage(), e.details()));
      config.routes.exception(HttpResponseException.class, (e, ctx) -> {
        ErrorCode code = ErrorCode.forStatus(e.getStatus());
        if (e.getStatus() == 405) {
          List<String> allowed = allowedMethods(e);
          ctx.header("Allow", String.join(", ", allowed));
          writeError(ctx, code, "method " + ctx.method() + " is not allowed on " + ctx.path() + " (allowed: "
              + String.join(", ", allowed) + ")", Map.of("allowed", allowed));
        } else {
          writeError(ctx, code, e.getStatus() == 404 ? "no route for " + ctx.method() + " " + ctx.path()
              : e.getMessage(), Map.of());
        }
        ctx.status(e.getStatus());
      });
      config.routes.exception(Exception.class, (e, ctx) -> {
        if (causedByMalformedJson(e)) {
          writeError(ctx, ErrorCode.BAD_REQUEST, "request body is not valid JSON for this endpoint", Map.of());
          return;
        }
        if (causedByTextPostgresCannotStore(e)) {
          writeError(ctx, ErrorCode.BAD_REQUEST, "text must not contain the NUL character (\\u0000)", Map.of());
          return;
        }
        log.error("request failed: {} {}", ctx.method(), ctx.path(), e);
        writeError(ctx, ErrorCode.INTERNAL_ERROR, "internal error", Map.of());
      });
      // Anything that set an error status without a body (routing 404, a handler's bare status) still gets JSON.
      config.routes.error(404, "*", ctx -> ensureErrorBody(ctx));
      config.routes.error(500, "*", ctx -> ensureErrorBody(ctx));
    });
    app.start();
    return new HttpServer(app);
  }

  /**
   * Javalin's 405 names the path's methods in its one detail ("GET, POST"), keyed by what the client accepts;
   * Javalin also answers HEAD wherever there is a GET.
   */
  private static List<String> allowedMethods(HttpResponseException e) {
    Set<String> allowed = new TreeSet<>();
    e.getDetails().values().forEach(v -> allowed.addAll(Arrays.asList(v.split(",\\s*"))));
    if (allowed.contains("GET")) {
      allowed.add("HEAD");
    }
    return List.copyOf(allowed);
  }

  private static boolean causedByMalformedJson(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JsonProcessingException) {
        return true;
      }
    }
    return false;
  }

  /**
   * PostgreSQL refuses the NUL character in text (SQLSTATE 22021) and its JSON escape in jsonb (22P05): that is
   * what the client sent, wherever it sent it, so a 400 rather than an internal error.
   */
  private static boolean causedByTextPostgresCannotStore(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && ("22021".equals(s.getSQLState()) || "22P05".equals(s.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  private static void ensureErrorBody(Context ctx) {
    String current = ctx.result();
    if (current == null || current.isEmpty() || !current.startsWith("{")) {
      int status = ctx.status().getCode();
      ErrorCode code = ErrorCode.forStatus(status);
      String message = status == 404 ? "no route for " + ctx.method() + " " + ctx.path() : "internal error";
      writeError(ctx, code, message, Map.of());
      ctx.status(status);
    }
  }

  /** The API's error body: {@code {"error":{"code":...,"message":...,"details":{...}}}}. */
  static Map<String, Object> envelope(ErrorCode code, String message, Map<String, Object> details) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code.name());
    error.put("message", message == null ? code.name() : message);
    error.put("details", details);
    return Map.of("error", error);
  }

  static void writeError(Context ctx, ErrorCode code, String message, Map<String, Object> details) {
    ctx.status(code.status()).json(envelope(code, message, details));
  }

  private static void record(PrometheusMeterRegistry registry, Context ctx, Float ms) {
    Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
    String route = endpoint == null ? "unmatched" : endpoint.path;
    Timer.builder("http.server.requests")
        .description("HTTP requests by route template and status")
        .tag("method", LABELLED_METHODS.contains(ctx.method().name()) ? ctx.method().name() : "other")
        .tag("route", route)
        .tag("status", Integer.toString(ctx.status().getCode()))
        .publishPercentileHistogram()
        .register(registry)
        .record((long) (ms * 1_000_000L), TimeUnit.NANOSECONDS);
  }

  public int port() {
    return app.port();
  }

  /**
   * Every registered route as {@code METHOD /path/{param}}, without before/after handlers (for the check that the
   * OpenAPI document has them).
   */
  public List<String> routes() {
    return app.unsafe.internalRouter.allHttpHandlers().stream().map(p -> p.endpoint)
        .filter(e -> LABELLED_METHODS.contains(e.method.name())).map(e -> e.method.name() + " " + e.path).toList();
  }

  /** Stops accepting, waits up to {@link #DRAIN_TIMEOUT} for in-flight requests, then stops. */
  @Override
  public void close() {
    app.stop();
  }
}
