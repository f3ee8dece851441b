package io.infracast.api.meta;

import io.infracast.api.platform.http.ApiModule;
import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The meta domain's routes, none of them authenticated: {@code GET /healthz} (the probes), {@code GET /metrics}
 * (Prometheus, scraped from the pod), {@code GET /api/v1/version} and {@code GET /api/v1/openapi.json} (the API's
 * OpenAPI 3.0 document, a hand-written resource that a test keeps equal to the registered routes).
 */
public final class MetaModule implements ApiModule {
  private static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final byte[] OPENAPI = openApi();

  private final MetaService service;
  private final PrometheusMeterRegistry registry;

  public MetaModule(MetaService service, PrometheusMeterRegistry registry) {
    this.service = service;
    this.registry = registry;
  }

  /** The door other domains are given (by the composition root, never by reaching in here). */
  public MetaService service() {
    return service;
  }

  private static byte[] openApi() {
    try (InputStream in = MetaModule.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the build");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/healthz", ctx -> {
      Health health = service.health();
      ctx.header("Cache-Control", "no-store").status(health.isOk() ? 200 : 503).json(health);
    });
    routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_CONTENT_TYPE).result(registry.scrape()));
    routes.get(PREFIX + "/version", ctx -> ctx.json(Map.of("version", service.version())));
    routes.get(PREFIX + "/openapi.json", ctx -> ctx.contentType("application/json").result(OPENAPI));
  }
}
