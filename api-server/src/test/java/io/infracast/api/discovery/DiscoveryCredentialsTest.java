package io.infracast.api.discovery;

import static io.infracast.api.TestApi.JSON;
import static io.infracast.api.TestApi.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.infracast.api.TestApi;
import io.infracast.api.TestPostgres;
import io.infracast.api.platform.crypto.SecretCipher;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery credentials against a real PostgreSQL 15: sealed at rest (the table is read directly), never in an API
 * answer, the job log, the audit log or a plugin's environment, given to the plugin on stdin only; another
 * tenant's credential is a 404; a key rotation seals them again with the new key.
 */
class DiscoveryCredentialsTest {
  private static final String ADMIN = "root@example.test";
  private static final String PASSWORD = "credentials-password-1";
  private static final String JWT = "credentials-test-secret-0123456789-abcdefghijkl";
  private static final String OLD_KEY = SecretCipher.generateEntry("old");
  private static final String NEW_KEY = SecretCipher.generateEntry("new");
  private static final String TOKEN = "eyJhbGciOi.kube-token-SECRET-0042-wxyz";
  private static final String AWS_SECRET = "aws/SECRET+access+key+0123456789abcdef";

  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();
  @TempDir
  static Path plugins;
  @TempDir
  static Path seen;
  private static String database;
  private static TestApi api;
  private static String admin;

  @BeforeAll
  static void start() throws Exception {
    // Keeps what it was given (stdin, environment), and echoes the secret where a careless plugin might.
    DiscoveryApiTest.plugin(plugins, "show", """
        req=$(cat)
        echo "$req" > %1$s/stdin-$(echo "$req" | sed 's/.*"job_id":"\\([^"]*\\)".*/\\1/')
        env > %1$s/env-$$
        echo "my token is %2$s" >&2
        echo '{"log":{"level":"info","message":"using %2$s"}}'
        """.formatted(seen, TOKEN));
    database = pg.createDatabase();
    api = serve(database, OLD_KEY);
    admin = api.login(ADMIN, PASSWORD).get("access_token").asText();
    api.createTenants(admin, "acme", "globex");
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static TestApi serve(String db, String keys) {
    return TestApi.start(pg, db, JWT, ADMIN, PASSWORD, Map.of("PLUGIN_DIR", plugins.toString(),
        "ENCRYPTION_KEYS", keys));
  }

  @Test
  void theSecretIsSealedAtRestNeverAnsweredAndReachesOnlyThePluginsStdin() throws Exception {
    HttpResponse<String> created = api.call("POST", "/api/v1/tenants/acme/credentials", admin, Map.of(
        "name", "prod-cluster", "type", "kubernetes", "secret", Map.of("server", "https://10.0.0.1:6443",
            "token", TOKEN)));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode credential = JSON.readTree(created.body());
    assertThat(credential.get("hint").asText()).isEqualTo("****wxyz");
    assertThat(credential.get("encryption_key").asText()).isEqualTo("old");
    String id = credential.get("id").asText();
    HttpResponse<String> again = api.call("POST", "/api/v1/tenants/acme/credentials", admin, Map.of(
        "name", "prod-cluster", "type", "generic", "secret", Map.of("k", "v")));
    assertThat(again.statusCode()).isEqualTo(409);

    String row = rowAsText(database, id);
    assertThat(row).contains("prod-cluster", "****wxyz").doesNotContain(TOKEN).doesNotContain("kube-token")
        .doesNotContain("10.0.0.1");

    JsonNode job = DiscoveryApiTest.awaitEnd(api, admin, "acme", created(api.call("POST", "/api/v1/tenants/acme/jobs",
        admin, Map.of("name", "with-credential", "plugins", List.of("show"), "credential_id", id))));
    assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
    assertThat(job.get("credential_id").asText()).isEqualTo(id);
    JsonNode stdin = JSON.readTree(Files.readString(seen.resolve("stdin-" + job.get("id").asText())));
    assertThat(stdin.get("credential")).as("as the kubernetes plugin reads it").isEqualTo(JSON.valueToTree(Map.of(
        "server", "https://10.0.0.1:6443", "token", TOKEN)));
    assertThat(stdin.get("config")).isEmpty();
    try (var envs = Files.list(seen)) {
      for (Path env : envs.filter(p -> p.getFileName().toString().startsWith("env-")).toList()) {
        assertThat(Files.readString(env)).doesNotContain(TOKEN);
      }
    }

    List<String> answers = new ArrayList<>();
    for (String path : List.of("/credentials", "/credentials/" + id, "/jobs/" + job.get("id").asText(),
        "/jobs/" + job.get("id").asText() + "/stream", "/audit-log?per_page=500")) {
      HttpResponse<String> r = api.call("GET", "/api/v1/tenants/acme" + path, admin, null);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      answers.add(r.body());
    }
    assertThat(answers).noneMatch(a -> a.contains(TOKEN));
    assertThat(answers.get(3)).as("the plugin's echoes, masked").contains("my token is ****", "using ****");
    assertThat(answers.get(4)).contains("credential.created");
  }

  @Test
  void anotherTenantsCredentialIsNotFound() throws Exception {
    String id = createAws(api, admin, "acme", "acme-aws");
    for (String method : List.of("GET", "DELETE")) {
      HttpResponse<String> r = api.call(method, "/api/v1/tenants/globex/credentials/" + id, admin, null);
      assertThat(r.statusCode()).as(method).isEqualTo(404);
    }
    HttpResponse<String> job = api.call("POST", "/api/v1/tenants/globex/jobs", admin, Map.of("name", "steal",
        "plugins", List.of("show"), "credential_id", id));
    assertThat(job.statusCode()).isEqualTo(404);
    assertThat(message(job)).isEqualTo("credential " + id + " not found");
    HttpResponse<String> schedule = api.call("POST", "/api/v1/tenants/globex/schedules", admin, Map.of("name",
        "steal", "plugins", List.of("show"), "interval_seconds", 3600, "credential_id", id));
    assertThat(schedule.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(api.call("GET", "/api/v1/tenants/globex/credentials", admin, null).body())
        .get("items").findValuesAsText("id")).doesNotContain(id);
  }

  @Test
  void badSecretsSayWhichFieldIsWrong() throws Exception {
    assertThat(message(post(Map.of("name", "k", "type", "kubernetes", "secret", Map.of("server", "https://k:6443")))))
        .isEqualTo("field 'secret.token' is required");
    assertThat(message(post(Map.of("name", "k", "type", "kubernetes", "secret", Map.of("server", "k8s.local",
        "token", "t"))))).startsWith("field 'secret.server' must be the API server's http(s) URL");
    assertThat(message(post(Map.of("name", "k", "type", "aws", "secret", Map.of("access_key_id", "AKIA",
        "secret_access_key", "s"))))).startsWith("field 'secret.access_key_id' must be an AWS access key id");
    assertThat(message(post(Map.of("name", "k", "type", "aws", "secret", Map.of("password", "x")))))
        .startsWith("unknown field 'secret.password'");
    assertThat(message(post(Map.of("name", "k", "type", "kubernetes", "secret", Map.of("kubeconfig", "apiVersion: v1",
        "token", "t"))))).startsWith("field 'secret.token' goes with server and token, not with kubeconfig");
    assertThat(post(Map.of("name", "kubeconfig", "type", "kubernetes", "secret", Map.of("kubeconfig",
        "apiVersion: v1", "context", "prod"))).statusCode()).isEqualTo(201);
    assertThat(message(post(Map.of("name", "k", "type", "generic", "secret", Map.of()))))
        .isEqualTo("field 'secret' must be a non-empty object");
    assertThat(message(post(Map.of("name", "k", "type", "ldap", "secret", Map.of("a", "b")))))
        .isEqualTo("field 'type' must be one of kubernetes, aws, generic");
  }

  @Test
  void aCredentialAScheduleUsesCannotBeDeleted() throws Exception {
    String id = createAws(api, admin, "acme", "scheduled-aws");
    JsonNode schedule = created(api.call("POST", "/api/v1/tenants/acme/schedules", admin, Map.of("name", "nightly",
        "plugins", List.of("show"), "interval_seconds", 86400, "credential_id", id, "enabled", false)));
    HttpResponse<String> refused = api.call("DELETE", "/api/v1/tenants/acme/credentials/" + id, admin, null);
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(message(refused)).isEqualTo("credential " + id + " is used by 1 schedule(s): change or delete them "
        + "first");
    assertThat(api.call("DELETE", "/api/v1/tenants/acme/schedules/" + schedule.get("id").asText(), admin, null)
        .statusCode()).isEqualTo(204);
    assertThat(api.call("DELETE", "/api/v1/tenants/acme/credentials/" + id, admin, null).statusCode())
        .isEqualTo(204);
    assertThat(api.call("GET", "/api/v1/tenants/acme/credentials/" + id, admin, null).statusCode()).isEqualTo(404);
  }

  /**
   * Rotation as the README tells it: the new key first, the old one after it; a replica starting so seals every
   * credential again with the new key, after which the old key can go. On a database of its own, so that each job
   * runs on the one replica serving it.
   */
  @Test
  void aReplicaStartedWithANewKeySealsCredentialsAgainAndTheOldKeyCanGo() throws Exception {
    String db = pg.createDatabase();
    String id;
    String token;
    try (TestApi old = serve(db, OLD_KEY)) {
      token = old.login(ADMIN, PASSWORD).get("access_token").asText();
      old.createTenants(token, "globex");
      id = createAws(old, token, "globex", "rotated");
      // Enough ids that every part of the id range is passed through (one alone could sit anywhere).
      for (int i = 0; i < 15; i++) {
        createAws(old, token, "globex", "more-" + i);
      }
    }
    String before = rowAsText(db, id);
    assertThat(before).contains("|old|").doesNotContain(AWS_SECRET);
    try (TestApi rotated = serve(db, NEW_KEY + "," + OLD_KEY)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> sealedWith(db, "old") == 0);
      assertThat(sealedWith(db, "new")).isEqualTo(16);
      assertThat(rowAsText(db, id)).contains("|new|");
      assertThat(rowAsText(db, id)).isNotEqualTo(before).doesNotContain(AWS_SECRET);
      JsonNode shown = JSON.readTree(rotated.call("GET", "/api/v1/tenants/globex/credentials/" + id, token, null)
          .body());
      assertThat(shown.get("encryption_key").asText()).isEqualTo("new");
    }
    try (TestApi newOnly = serve(db, NEW_KEY)) {
      JsonNode job = DiscoveryApiTest.awaitEnd(newOnly, token, "globex", created(newOnly.call("POST",
          "/api/v1/tenants/globex/jobs", token, Map.of("name", "after-rotation", "plugins", List.of("show"),
              "credential_id", id))));
      assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
      JsonNode stdin = JSON.readTree(Files.readString(seen.resolve("stdin-" + job.get("id").asText())));
      assertThat(stdin.at("/credential/secret_access_key").asText()).isEqualTo(AWS_SECRET);
    }
    // A replica without the key that sealed it: the job fails saying so, never with the secret.
    try (TestApi otherKey = serve(db, SecretCipher.generateEntry("other"))) {
      JsonNode job = DiscoveryApiTest.awaitEnd(otherKey, token, "globex", created(otherKey.call("POST",
          "/api/v1/tenants/globex/jobs", token, Map.of("name", "lost-key", "plugins", List.of("show"),
              "credential_id", id))));
      assertThat(job.get("error").asText()).isEqualTo("credential " + id + " is unreadable: sealed with encryption "
          + "key 'new', which ENCRYPTION_KEYS no longer holds; add it back after the active key");
    }
  }

  private static HttpResponse<String> post(Map<String, Object> body) throws Exception {
    return api.call("POST", "/api/v1/tenants/acme/credentials", admin, body);
  }

  private static String createAws(TestApi service, String bearer, String tenant, String name) throws Exception {
    return created(service.call("POST", "/api/v1/tenants/" + tenant + "/credentials", bearer, Map.of("name", name,
        "type", "aws", "secret", Map.of("access_key_id", "AKIAIOSFODNN7EXAMPLE", "secret_access_key",
            AWS_SECRET)))).get("id").asText();
  }

  private static JsonNode created(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  private static long sealedWith(String db, String keyId) throws Exception {
    try (Connection c = pg.connect(db);
        PreparedStatement st = c.prepareStatement("select count(*) from discovery_credentials where key_id = ?")) {
      st.setString(1, keyId);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The credential's row as stored, every column as text ({@code |}-separated; bytea as UTF-8). */
  private static String rowAsText(String db, String id) throws Exception {
    try (Connection c = pg.connect(db);
        PreparedStatement st = c.prepareStatement("select * from discovery_credentials where id = ?::uuid")) {
      st.setString(1, id);
      try (ResultSet rs = st.executeQuery()) {
        assertThat(rs.next()).isTrue();
        StringBuilder row = new StringBuilder("|");
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          Object v = rs.getObject(i);
          row.append(v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(v)).append('|');
        }
        return row.toString();
      }
    }
  }
}
