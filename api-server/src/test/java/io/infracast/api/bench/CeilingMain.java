package io.infracast.api.bench;

import io.javalin.Javalin;

/**
 * Benchmark ceiling (test sources only, never shipped): the bare HTTP library the service uses (Javalin 7 on
 * Jetty 12) answering {@code GET /healthz} with a constant {@code {"status":"ok"}} - no database, no metrics,
 * no logging. {@code bench/api-server/run.sh} loads it side by side with the real service.
 */
public final class CeilingMain {
  private CeilingMain() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(System.getenv().getOrDefault("API_PORT", "8080"));
    Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jetty.port = port;
      config.routes.get("/healthz", ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
    }).start();
  }
}
