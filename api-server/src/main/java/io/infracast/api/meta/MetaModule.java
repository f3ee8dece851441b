package io.infracast.api.meta;

import io.infracast.api.http.ApiModule;
import io.javalin.config.RoutesConfig;
import java.util.Map;

/** {@code GET /api/v1/version}: which release is serving (no auth; no secrets). */
public final class MetaModule implements ApiModule {
  private final String version;

  public MetaModule(String version) {
    this.version = version;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get(PREFIX + "/version", ctx -> ctx.json(Map.of("version", version)));
  }
}
