package io.infracast.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infracast.api.platform.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The service in-process on a fresh database of a {@link TestPostgres}, and an HTTP client for its API. */
public final class TestApi implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient http = HttpClient.newHttpClient();

  private final Application app;
  private final String database;

  private TestApi(Application app, String database) {
    this.app = app;
    this.database = database;
  }

  /** Migrates a new database of {@code pg} (the bootstrap admin is {@code adminEmail}) and serves it. */
  public static TestApi start(TestPostgres pg, String jwtSecret, String adminEmail, String adminPassword) {
    return start(pg, pg.createDatabase(), jwtSecret, adminEmail, adminPassword, Map.of());
  }

  /**
   * Serves {@code database} of {@code pg} (migrating it first, so a second service on the same database is a second
   * replica), with {@code env} added to the settings ({@code PLUGIN_DIR}, {@code RULES_DIR}, ...).
   */
  public static TestApi start(TestPostgres pg, String database, String jwtSecret, String adminEmail,
      String adminPassword, Map<String, String> env) {
    Map<String, String> settings = new HashMap<>(Map.of(
        "API_PORT", Integer.toString(TestPostgres.freeTcpPort()),
        "DATABASE_URL", pg.postgresUrl(database),
        "JWT_SECRET", jwtSecret,
        "MIGRATE_ON_START", "true",
        "INFRACAST_BOOTSTRAP_ADMIN_EMAIL", adminEmail,
        "INFRACAST_BOOTSTRAP_ADMIN_PASSWORD", adminPassword));
    settings.putAll(env);
    return new TestApi(Application.start(ConfigLoader.load(settings, ConfigLoader.Purpose.SERVE),
        List.of(), Duration.ofSeconds(10)), database);
  }

  public Application app() {
    return app;
  }

  /** The database it serves (for tests that look at the rows themselves). */
  public String databaseName() {
    return database;
  }

  /** Logs in; asserts it worked. */
  public JsonNode login(String email, String password) throws Exception {
    HttpResponse<String> r = call("POST", "/api/v1/auth/token", null, Map.of("email", email, "password", password));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** Creates these tenants as {@code bearer} (a system admin); asserts each was created. */
  public void createTenants(String bearer, String... slugs) throws Exception {
    for (String slug : slugs) {
      HttpResponse<String> r = call("POST", "/api/v1/tenants", bearer, Map.of("slug", slug, "name", slug));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
  }

  /** A request with {@code body} (null: none) as JSON. */
  public HttpResponse<String> call(String method, String path, String bearer, Object body) throws Exception {
    return send(method, path, bearer, body == null ? null : JSON.writeValueAsString(body));
  }

  /** A request with this raw body (null: none). */
  public HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
    return send(method, path, bearer, body, Map.of());
  }

  /** A request with this raw body (null: none) and these headers besides. */
  public HttpResponse<String> send(String method, String path, String bearer, String body,
      Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The error body's code. */
  public static String error(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).get("error").get("code").asText();
  }

  /** The error body's message; asserts a 4xx. */
  public static String message(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
    return JSON.readTree(r.body()).get("error").get("message").asText();
  }

  @Override
  public void close() {
    app.close();
  }
}
