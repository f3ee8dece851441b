package io.infracast.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;

/** {@code serve} as a real process against a real PostgreSQL 15: health, errors, metrics, outage, secrets. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeTest {
  private static final String JWT_SECRET = "jwt-secret-for-tests-0123456789-abcdefghij";

  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();
  private static ServiceProcess service;
  private static int port;
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void startService() {
    String db = pg.createDatabase();
    port = TestPostgres.freeTcpPort();
    service = ServiceProcess.start(Main.class, Map.of(
        "API_PORT", Integer.toString(port),
        "DATABASE_URL", pg.postgresUrl(db),
        "JWT_SECRET", JWT_SECRET,
        "MIGRATE_ON_START", "true",
        "CONTENT_CDN_URL", "https://cdn.example.test/ui/"), "serve");
    service.awaitHealthy(port, Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthzIsOkWithTheExactBody() throws Exception {
    HttpResponse<String> r = get("/healthz");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"status\":\"ok\",\"db_connected\":true}");
    assertThat(r.headers().firstValue("content-type")).get().asString().startsWith("application/json");
  }

  @Test
  void startupMigrationRanWithTheContractLogLines() {
    assertThat(service.stdout()).anyMatch(l -> l.contains("\"message\":\"running database migrations\""));
    assertThat(service.stdout()).anyMatch(l -> l.contains("\"message\":\"applying migration version=1\""));
    assertThat(service.stdout()).anyMatch(l -> l.contains("\"message\":\"migrations complete\""));
  }

  @Test
  void unknownRouteIsAJsonNotFound() throws Exception {
    HttpResponse<String> r = get("/api/v1/no-such-thing");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo(
        "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no route for GET /api/v1/no-such-thing\",\"details\":{}}}");
  }

  @Test
  void versionRouteUnderApiV1() throws Exception {
    HttpResponse<String> r = get("/api/v1/version");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("{\"version\":");
  }

  @Test
  void corsAllowsTheCdnOrigin() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/version"))
        .header("Origin", "https://cdn.example.test").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("https://cdn.example.test");
    HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/version"))
        .header("Origin", "https://evil.example.test").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.body()).isEqualTo(
        "{\"error\":{\"code\":\"FORBIDDEN\",\"message\":\"origin https://evil.example.test is not allowed\",\"details\":{}}}");
  }

  @Test
  void metricsExposeJvmHttpAndPoolMetrics() throws Exception {
    get("/healthz");
    get("/nope");
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).get().asString().startsWith("text/plain");
    assertThat(r.body())
        .contains("jvm_memory_used_bytes")
        .contains("hikaricp_connections_active{pool=\"api\"")
        .containsPattern("http_server_requests_seconds_count\\{method=\"GET\",route=\"/healthz\",service=\"infracast-api\",status=\"200\"}")
        .containsPattern("http_server_requests_seconds_count\\{method=\"GET\",route=\"unmatched\",service=\"infracast-api\",status=\"404\"}");
  }

  /** PostgreSQL stops mid-run: /healthz turns 503 quickly (never hangs), then recovers without a restart. */
  @Test
  void degradedWhileTheDatabaseIsDownAndOkAgainAfter() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    pg.stop();
    try {
      HttpResponse<String> degraded = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        long t0 = System.nanoTime();
        HttpResponse<String> r = get("/healthz");
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(tookMs).as("healthz must answer within 2 s while the database is down").isLessThan(2_000);
        if (r.statusCode() == 503) {
          degraded = r;
          break;
        }
        Thread.sleep(100);
      }
      assertThat(degraded).as("503 while the database is down").isNotNull();
      assertThat(degraded.body()).isEqualTo("{\"status\":\"degraded\",\"db_connected\":false}");
      // Every probe during the outage stays fast.
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        assertThat(get("/healthz").statusCode()).isEqualTo(503);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
      }
    } finally {
      pg.startAgain();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    int status = 0;
    while (System.nanoTime() < deadline && status != 200) {
      status = get("/healthz").statusCode();
      Thread.sleep(100);
    }
    assertThat(status).as("ok again after the database returns, same process").isEqualTo(200);
    assertThat(service.isAlive()).isTrue();
    assertThat(service.stdout()).anyMatch(l -> l.contains("database unreachable"));
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void secretsNeverAppearInTheOutput() throws Exception {
    get("/healthz");
    String out = service.allOutput();
    assertThat(out).contains("postgresql://postgres:****@127.0.0.1:" + pg.port());
    assertThat(out).doesNotContain(pg.password());
    assertThat(out).doesNotContain(JWT_SECRET);
  }
}
