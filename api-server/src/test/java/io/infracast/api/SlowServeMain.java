package io.infracast.api;

import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Test-only entry point: the real {@code serve} plus one slow route ({@code GET /test/slow?ms=N}) to have a
 * request in flight during SIGTERM. It lives in the test sources, so the shipped jar has no such route.
 */
public final class SlowServeMain {
  private SlowServeMain() {}

  public static void main(String[] args) {
    int code = Main.run(new String[] {"serve"}, System.getenv(), List.of(routes -> routes.get("/test/slow", ctx -> {
      long ms = Long.parseLong(ctx.queryParamAsClass("ms", String.class).getOrDefault("3000"));
      LoggerFactory.getLogger(SlowServeMain.class).info("slow request started");
      Thread.sleep(ms);
      ctx.json(Map.of("slept_ms", ms));
    })));
    if (code != 0) {
      System.exit(code);
    }
  }
}
