package io.infracast.api.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The benchmarks' HTTP client: logs in as the bootstrap admin and sends JSON requests, failing on errors. */
final class BenchClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final String api;
  private final String token;

  private BenchClient(String api, String token) {
    this.api = api;
    this.token = token;
  }

  /** Logs in with {@code INFRACAST_BOOTSTRAP_ADMIN_EMAIL} / {@code _PASSWORD} against {@code API_URL}. */
  static BenchClient login(Map<String, String> env) throws Exception {
    BenchClient anonymous = new BenchClient(env.get("API_URL"), null);
    String body = JSON.writeValueAsString(Map.of("email", env.get("INFRACAST_BOOTSTRAP_ADMIN_EMAIL"),
        "password", env.get("INFRACAST_BOOTSTRAP_ADMIN_PASSWORD")));
    String token = JSON.readTree(anonymous.send("POST", "/api/v1/auth/token", body)).get("access_token").asText();
    return new BenchClient(anonymous.api, token);
  }

  /** The body of a 2xx answer (a 409 on creating a tenant counts: the tenant is there). */
  String send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofMinutes(2))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300 && !(r.statusCode() == 409 && path.endsWith("/tenants"))) {
      throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }
}
