package io.infracast.api.platform.http;

import io.javalin.config.RoutesConfig;

/**
 * The seam between the kernel and a domain: each domain package ({@code meta}, later {@code identity},
 * {@code assets}, ...) has one module that registers its routes. The composition root
 * ({@code io.infracast.api.Application}) constructs it with what it needs (its service, the pool, the clock) and
 * hands it to {@link HttpServer}; the kernel knows nothing else about domains.
 */
public interface ApiModule {
  String PREFIX = "/api/v1";

  /** Registers this module's routes; paths are absolute (API routes start with {@link #PREFIX}). */
  void register(RoutesConfig routes);
}
