package io.infracast.api.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.infracast.api.TestPostgres;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The error body for every kind of failure, in-process (no database). */
class ErrorFormatTest {
  private static HttpServer server;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = HttpServer.start(TestPostgres.freeTcpPort(), Optional.empty(),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(routes -> {
          routes.get("/api/v1/conflict", ctx -> {
            throw new ApiException(ErrorCode.CONFLICT, "tenant slug already taken", Map.of("slug", "acme-corp"));
          });
          routes.get("/api/v1/boom", ctx -> {
            throw new IllegalStateException("internal detail that must not leak");
          });
          routes.post("/api/v1/echo", ctx -> ctx.json(ctx.bodyAsClass(Map.class)));
        }));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  @Test
  void apiExceptionCarriesCodeMessageAndDetails() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/v1/conflict")));
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.body()).isEqualTo(
        "{\"error\":{\"code\":\"CONFLICT\",\"message\":\"tenant slug already taken\",\"details\":{\"slug\":\"acme-corp\"}}}");
  }

  @Test
  void unexpectedFailureIsAnOpaque500() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/v1/boom")));
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("{\"error\":{\"code\":\"INTERNAL_ERROR\",\"message\":\"internal error\",\"details\":{}}}");
  }

  @Test
  void malformedJsonIsABadRequest() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/v1/echo"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{not json")));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).startsWith("{\"error\":{\"code\":\"BAD_REQUEST\",\"message\":");
    assertThat(r.body()).doesNotContain("at com.fasterxml");
  }

  @Test
  void unknownRouteIsAJson404() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/nothing/here")));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo(
        "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no route for GET /nothing/here\",\"details\":{}}}");
  }
}
