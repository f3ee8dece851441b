package io.infracast.api.http;

import io.javalin.config.RoutesConfig;

/**
 * The seam for domain packages (identity, tenants, graph, jobs, findings, evidence): each contributes one module
 * that registers its routes under {@link #PREFIX}. Modules are listed in {@code io.infracast.api.Application}.
 */
public interface ApiModule {
  String PREFIX = "/api/v1";

  /** Registers this module's routes; paths are absolute and start with {@link #PREFIX}. */
  void register(RoutesConfig routes);
}
