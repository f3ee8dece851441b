package io.infracast.api.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infracast.api.TestApi;
import io.infracast.api.TestPostgres;
import io.infracast.api.platform.security.Permission;
import io.infracast.api.platform.security.Role;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The identity and audit API in-process against a real PostgreSQL 15: login, tokens, keys, tenant isolation,
 * the whole permission table, audit entries, bad input, login throttling and row-level security itself.
 */
class IdentityApiTest {
  private static final String SECRET = "identity-test-secret-0123456789-abcdefghijkl";
  private static final String ADMIN = "root@example.test";
  private static final String ADMIN_PASSWORD = "bootstrap-password-1";
  private static final String PASSWORD = "member-password-1";
  private static final ObjectMapper JSON = TestApi.JSON;

  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();
  private static String database;
  private static TestApi api;
  private static String adminToken;
  /** A token per role, for a member of acme (system-admin: the bootstrap admin). */
  private static final Map<Role, String> acme = new EnumMap<>(Role.class);
  private static String globexAdmin;

  @BeforeAll
  static void start() throws Exception {
    api = TestApi.start(pg, SECRET, ADMIN, ADMIN_PASSWORD);
    database = api.databaseName();
    adminToken = login(ADMIN, ADMIN_PASSWORD).get("access_token").asText();
    acme.put(Role.SYSTEM_ADMIN, adminToken);
    for (String slug : List.of("acme", "globex")) {
      assertThat(call("POST", "/api/v1/tenants", adminToken, Map.of("slug", slug, "name", slug + " Inc")).statusCode())
          .isEqualTo(201);
    }
    for (Role role : Role.values()) {
      if (role != Role.SYSTEM_ADMIN) {
        String email = role.wire() + "@acme.test";
        assertThat(call("POST", "/api/v1/tenants/acme/users", adminToken,
            Map.of("email", email, "password", PASSWORD, "role", role.wire())).statusCode()).isEqualTo(201);
        acme.put(role, login(email, PASSWORD).get("access_token").asText());
      }
    }
    call("POST", "/api/v1/tenants/globex/users", adminToken,
        Map.of("email", "admin@globex.test", "password", PASSWORD, "role", "tenant-admin"));
    globexAdmin = login("admin@globex.test", PASSWORD).get("access_token").asText();
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  // The permission table

  @Test
  void everyRoleMeetsThePermissionTableOnEveryEndpoint() throws Exception {
    List<String> mismatches = new ArrayList<>();
    for (Permission p : Permission.values()) {
      for (Role role : Role.values()) {
        // Ids that exist nowhere: an allowed call ends in 400 or 404, never 403. DELETE of the tenant is skipped
        // for allowed roles (it would remove acme); its denial is still checked.
        if (p == Permission.TENANT_DELETE && p.allows(role)) {
          continue;
        }
        HttpResponse<String> r = call(p, "acme", acme.get(role));
        boolean allowed = r.statusCode() != 403;
        if (allowed != p.allows(role) || r.statusCode() == 401 || r.statusCode() >= 500) {
          mismatches.add(p + " as " + role + ": " + r.statusCode() + " " + r.body());
        }
      }
    }
    assertThat(mismatches).isEmpty();
    HttpResponse<String> denied = call("DELETE", "/api/v1/tenants/acme", acme.get(Role.TENANT_ADMIN), null);
    assertThat(error(denied)).isEqualTo("FORBIDDEN");
  }

  @Test
  void theReadmeShowsThePermissionTable() throws Exception {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    assertThat(readme).contains(Permission.markdownTable());
  }

  // Tokens

  @Test
  void refreshRotatesAndAReusedTokenRevokesTheWholeLogin() throws Exception {
    JsonNode first = login("read-only@acme.test", PASSWORD);
    assertThat(first.get("expires_in").asInt()).isEqualTo(3600);
    assertThat(first.get("user").get("memberships").get(0).get("role").asText()).isEqualTo("read-only");
    String r1 = first.get("refresh_token").asText();
    HttpResponse<String> second = call("POST", "/api/v1/auth/refresh", null, Map.of("refresh_token", r1));
    assertThat(second.statusCode()).isEqualTo(200);
    String r2 = JSON.readTree(second.body()).get("refresh_token").asText();
    assertThat(call("GET", "/api/v1/me", JSON.readTree(second.body()).get("access_token").asText(), null).statusCode())
        .isEqualTo(200);

    HttpResponse<String> reuse = call("POST", "/api/v1/auth/refresh", null, Map.of("refresh_token", r1));
    assertThat(reason(reuse)).isEqualTo("refresh_token_reused");
    assertThat(reason(call("POST", "/api/v1/auth/refresh", null, Map.of("refresh_token", r2))))
        .as("the reuse revoked the newer token of the same login").isEqualTo("refresh_token_revoked");
    assertThat(reason(call("POST", "/api/v1/auth/refresh", null, Map.of("refresh_token", "rt_nothing"))))
        .isEqualTo("refresh_token_invalid");
  }

  @Test
  void expiredTamperedAndForeignTokensAre401WithTheirReason() throws Exception {
    String userId = JSON.readTree(call("GET", "/api/v1/me", adminToken, null).body()).get("id").asText();
    Instant past = Instant.now().minus(Duration.ofHours(2));
    String expired = JWT.create().withIssuer("infracast-api").withSubject(userId).withClaim("typ", "access")
        .withIssuedAt(past).withExpiresAt(past.plus(Duration.ofHours(1))).sign(Algorithm.HMAC256(SECRET));
    assertThat(reason(call("GET", "/api/v1/me", expired, null))).isEqualTo("token_expired");

    String foreign = JWT.create().withIssuer("infracast-api").withSubject(userId).withClaim("typ", "access")
        .withExpiresAt(Instant.now().plusSeconds(600)).sign(Algorithm.HMAC256("another-secret-0123456789-abcdefghijkl"));
    assertThat(reason(call("GET", "/api/v1/me", foreign, null))).isEqualTo("signature_invalid");

    String[] parts = adminToken.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace(userId, UUID.randomUUID().toString());
    String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertThat(reason(call("GET", "/api/v1/me", tampered, null))).isEqualTo("signature_invalid");

    String unsigned = "eyJhbGciOiJub25lIn0." + parts[1] + ".";
    assertThat(reason(call("GET", "/api/v1/me", unsigned, null))).isEqualTo("signature_invalid");
    assertThat(reason(call("GET", "/api/v1/me", "garbage", null))).isEqualTo("token_malformed");
    assertThat(reason(call("GET", "/api/v1/me", null, null))).isEqualTo("credentials_missing");
    assertThat(reason(call("POST", "/api/v1/auth/token", null, Map.of("email", ADMIN, "password", "wrong-password"))))
        .isEqualTo("invalid_credentials");
  }

  // API keys

  @Test
  void aKeyIsShownOnceWorksForItsRoleAndStopsAtOnceWhenRevoked() throws Exception {
    HttpResponse<String> created = call("POST", "/api/v1/tenants/acme/api-keys", acme.get(Role.TENANT_ADMIN),
        Map.of("name", "ci", "role", "auditor"));
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode key = JSON.readTree(created.body());
    String secret = key.get("key").asText();
    assertThat(secret).startsWith("sk_");
    assertThat(call("GET", "/api/v1/tenants/acme/audit-log", secret, null).statusCode()).isEqualTo(200);
    assertThat(error(call("GET", "/api/v1/tenants/acme/api-keys", secret, null))).isEqualTo("FORBIDDEN");
    assertThat(call("GET", "/api/v1/tenants/acme/api-keys", adminToken, null).body())
        .contains(key.get("id").asText()).doesNotContain(secret);
    try (Connection c = pg.connect(database); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from api_keys where secret_hash::text like '%"
            + secret.substring(3, 15) + "%'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("only a hash is stored").isZero();
    }

    assertThat(call("DELETE", "/api/v1/tenants/acme/api-keys/" + key.get("id").asText(), adminToken, null)
        .statusCode()).isEqualTo(204);
    assertThat(reason(call("GET", "/api/v1/tenants/acme/audit-log", secret, null))).isEqualTo("api_key_revoked");
    assertThat(reason(call("GET", "/api/v1/me", "sk_0123456789ab_notakey", null))).isEqualTo("api_key_invalid");
  }

  // Tenant isolation

  @Test
  void aTenantNeverReachesAnotherTenantsIdentityData() throws Exception {
    String acmeKey = JSON.readTree(call("POST", "/api/v1/tenants/acme/api-keys", acme.get(Role.TENANT_ADMIN),
        Map.of("name", "acme-admin-key", "role", "tenant-admin")).body()).get("key").asText();
    JsonNode globexKey = JSON.readTree(call("POST", "/api/v1/tenants/globex/api-keys", globexAdmin,
        Map.of("name", "globex-key", "role", "read-only")).body());
    String globexUser = JSON.readTree(call("GET", "/api/v1/tenants/globex/users", globexAdmin, null).body())
        .get("items").get(0).get("id").asText();

    for (String credential : List.of(acme.get(Role.TENANT_ADMIN), acmeKey)) {
      for (String[] req : new String[][] {
          {"GET", "/api/v1/tenants/globex"}, {"GET", "/api/v1/tenants/globex/users"},
          {"GET", "/api/v1/tenants/globex/api-keys"}, {"GET", "/api/v1/tenants/globex/audit-log"},
          {"POST", "/api/v1/tenants/globex/api-keys"}, {"DELETE", "/api/v1/tenants/globex/users/" + globexUser},
          {"DELETE", "/api/v1/tenants/globex/api-keys/" + globexKey.get("id").asText()},
          {"GET", "/api/v1/tenants/no-such-tenant"}}) {
        HttpResponse<String> r = call(req[0], req[1], credential, req[0].equals("POST")
            ? Map.of("name", "x", "role", "tenant-admin") : null);
        assertThat(r.statusCode()).as(String.join(" ", req)).isEqualTo(404);
        assertThat(r.body()).doesNotContain("globex-key").doesNotContain("admin@globex.test");
      }
      // Foreign ids through acme's own paths: not found either.
      assertThat(call("DELETE", "/api/v1/tenants/acme/api-keys/" + globexKey.get("id").asText(), credential, null)
          .statusCode()).isEqualTo(404);
      assertThat(call("PATCH", "/api/v1/tenants/acme/users/" + globexUser, credential, Map.of("role", "auditor"))
          .statusCode()).isEqualTo(404);
      assertThat(call("DELETE", "/api/v1/tenants/acme/users/" + globexUser, credential, null).statusCode())
          .isEqualTo(404);
      assertThat(call("GET", "/api/v1/tenants", credential, null).body()).doesNotContain("globex");
    }
    assertThat(call("GET", "/api/v1/tenants/globex/api-keys", globexAdmin, null).body())
        .as("globex's key is still active").contains("\"revoked_at\":null");
  }

  @Test
  void everyTenantRouteAnswersNotFoundForAnotherTenant() throws Exception {
    List<String> reached = new ArrayList<>();
    for (Permission p : Permission.values()) {
      if (p.path().contains("{tenant}")) {
        HttpResponse<String> r = call(p, "globex", acme.get(Role.TENANT_ADMIN));
        if (r.statusCode() != 404 || !r.body().contains("tenant globex not found")) {
          reached.add(p + ": " + r.statusCode() + " " + r.body());
        }
      }
    }
    assertThat(reached).as("acme's tenant admin on globex's routes").isEmpty();
  }

  // Audit

  @Test
  void everyWriteIsInTheAuditLogOfItsTenantOnly() throws Exception {
    call("POST", "/api/v1/tenants/acme/users", acme.get(Role.TENANT_ADMIN),
        Map.of("email", "audited@acme.test", "password", PASSWORD, "role", "read-only"));
    String id = JSON.readTree(call("GET", "/api/v1/tenants/acme/users?per_page=500", adminToken, null).body())
        .findValues("id").stream().map(JsonNode::asText).filter(u -> !u.isEmpty()).toList().get(0);
    call("PATCH", "/api/v1/tenants/acme/users/" + id, acme.get(Role.TENANT_ADMIN), Map.of("role", "auditor"));

    JsonNode log = JSON.readTree(call("GET", "/api/v1/tenants/acme/audit-log?per_page=500", acme.get(Role.AUDITOR),
        null).body());
    List<String> actions = log.get("items").findValues("action").stream().map(JsonNode::asText).toList();
    assertThat(actions).contains("tenant.created", "user.added", "user.role_changed");
    JsonNode added = null;
    for (JsonNode e : log.get("items")) {
      if (e.get("details").path("email").asText().equals("audited@acme.test")) {
        added = e;
      }
    }
    assertThat(added).isNotNull();
    assertThat(added.get("actor_type").asText()).isEqualTo("user");
    assertThat(added.get("occurred_at").asText()).isNotEmpty();
    assertThat(log.toString()).doesNotContain("admin@globex.test");
    assertThat(log.get("total").asLong()).isEqualTo(log.get("items").size());
  }

  // Bad input

  @Test
  void badInputIsASpecific400() throws Exception {
    String admin = acme.get(Role.TENANT_ADMIN);
    assertThat(message(send("POST", "/api/v1/auth/token", null, "{not json"))).isEqualTo("request body is not valid JSON");
    assertThat(message(send("POST", "/api/v1/auth/token", null, "[1]"))).isEqualTo("request body must be a JSON object");
    assertThat(message(call("POST", "/api/v1/auth/token", null, Map.of("email", ADMIN))))
        .isEqualTo("field 'password' is required");
    assertThat(message(call("POST", "/api/v1/auth/token", null, Map.of("email", 7, "password", "x"))))
        .isEqualTo("field 'email' must be a string");
    assertThat(message(call("POST", "/api/v1/tenants/acme/api-keys", admin, Map.of("name", "k", "role", "root"))))
        .startsWith("role must be one of");
    assertThat(message(call("POST", "/api/v1/tenants/acme/api-keys", admin, Map.of("name", "k", "role",
        "system-admin")))).startsWith("role must be one of");
    assertThat(message(call("POST", "/api/v1/tenants/acme/users", admin, Map.of("email", "short@acme.test",
        "password", "short", "role", "auditor")))).contains("12 to 1024 characters");
    assertThat(message(call("POST", "/api/v1/tenants", adminToken, Map.of("slug", "Bad Slug", "name", "x"))))
        .startsWith("slug must be");
    assertThat(message(call("POST", "/api/v1/tenants", adminToken, Map.of("slug", "acme", "name", "x", "extra", 1))))
        .startsWith("unknown field 'extra'");
    assertThat(error(call("POST", "/api/v1/tenants", adminToken, Map.of("slug", "acme", "name", "again"))))
        .isEqualTo("CONFLICT");
    assertThat(message(call("GET", "/api/v1/tenants/acme/users?per_page=501", admin, null)))
        .isEqualTo("per_page must be a whole number from 1 to 500");
    assertThat(call("DELETE", "/api/v1/tenants/acme/api-keys/not-a-uuid", admin, null).statusCode()).isEqualTo(404);
  }

  // Login flood

  @Test
  void repeatedFailedLoginsAreThrottledWithRetryAfter() throws Exception {
    Map<String, Object> wrong = Map.of("email", "security-analyst@acme.test", "password", "not-the-password");
    for (int i = 0; i < 5; i++) {
      assertThat(call("POST", "/api/v1/auth/token", null, wrong).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> limited = call("POST", "/api/v1/auth/token", null,
        Map.of("email", "security-analyst@acme.test", "password", PASSWORD));
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(error(limited)).isEqualTo("RATE_LIMITED");
    assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 900L);
    assertThat(login("tenant-admin@acme.test", PASSWORD).has("access_token")).as("other emails are not affected")
        .isTrue();
  }

  // Row-level security itself

  @Test
  void theTenantRoleSeesNothingWithoutATenantAndOnlyItsTenantWithOne() throws Exception {
    try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute("select set_config('role', infracast_tenant_role(), true)");
      for (String table : List.of("tenants", "users", "tenant_memberships", "api_keys", "audit_log")) {
        try (ResultSet rs = st.executeQuery("select count(*) from " + table)) {
          rs.next();
          assertThat(rs.getInt(1)).as(table + " without a tenant").isZero();
        }
      }
      st.execute("select set_config('app.tenant_id', (select id::text from tenants where slug = 'globex'), true)");
      try (ResultSet rs = st.executeQuery("select slug from tenants")) {
        assertThat(rs.next()).isFalse();
      }
      c.rollback();
    }
  }

  // Helpers

  private static JsonNode login(String email, String password) throws Exception {
    return api.login(email, password);
  }

  /** {@code p} on {@code tenant} with ids that exist nowhere, and an empty body where it takes one. */
  private static HttpResponse<String> call(Permission p, String tenant, String token) throws Exception {
    String path = p.path().replace("{tenant}", tenant).replace("{user_id}", UUID.randomUUID().toString())
        .replace("{key_id}", UUID.randomUUID().toString()).replace("{job_id}", UUID.randomUUID().toString())
        .replace("{node_id}", "aws:us-east-1:aws.ec2.instance:i-nowhere")
        .replace("{finding_id}", UUID.randomUUID().toString())
        .replace("{evidence_id}", UUID.randomUUID().toString())
        .replace("{credential_id}", UUID.randomUUID().toString())
        .replace("{schedule_id}", UUID.randomUUID().toString())
        .replace("{integration_id}", UUID.randomUUID().toString());
    String method = p.method().name();
    return call(method, path, token, method.equals("GET") || method.equals("DELETE") ? null : Map.of());
  }

  private static HttpResponse<String> call(String method, String path, String bearer, Object body) throws Exception {
    return api.call(method, path, bearer, body);
  }

  private static HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
    return api.send(method, path, bearer, body);
  }

  private static String error(HttpResponse<String> r) throws Exception {
    return TestApi.error(r);
  }

  private static String message(HttpResponse<String> r) throws Exception {
    return TestApi.message(r);
  }

  private static String reason(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
    assertThat(error(r)).isEqualTo("UNAUTHORIZED");
    return JSON.readTree(r.body()).get("error").get("details").get("reason").asText();
  }
}
