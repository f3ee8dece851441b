package io.infracast.api.meta;

import io.infracast.api.platform.http.ApiModule;
import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;

/**
 * The meta domain's routes, none of them authenticated: {@code GET /healthz} (the probes), {@code GET /metrics}
 * (Prometheus, scraped from the pod) and {@code GET /api/v1/version}.
 */
public final class MetaModule implements ApiModule {
  private static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

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

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/healthz", ctx -> {
      Health health = service.health();
      ctx.header("Cache-Control", "no-store").status(health.isOk() ? 200 : 503).json(health);
    });
    routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_CONTENT_TYPE).result(registry.scrape()));
    routes.get(PREFIX + "/version", ctx -> ctx.json(Map.of("version", service.version())));
  }
}
