package io.infracast.api.meta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.infracast.api.TestApi;
import io.infracast.api.TestPostgres;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The OpenAPI document served at /api/v1/openapi.json describes exactly the routes the server registers. */
class OpenApiDocumentTest {
  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();
  private static TestApi api;
  private static JsonNode doc;

  @BeforeAll
  static void start() throws Exception {
    api = TestApi.start(pg, "openapi-test-secret-0123456789-abcdefghijkl", "root@example.test", "openapi-password-1");
    HttpResponse<String> r = api.call("GET", "/api/v1/openapi.json", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    doc = TestApi.JSON.readTree(r.body());
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void everyRegisteredRouteIsDocumentedAndNothingElse() {
    Set<String> registered = new TreeSet<>(api.app().routes());
    Set<String> documented = new TreeSet<>();
    doc.get("paths").properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(method ->
        documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
    assertThat(registered).contains("GET /api/v1/tenants/{tenant}/nodes", "POST /api/v1/auth/token");
    assertThat(documented).isEqualTo(registered);
  }

  @Test
  void everyOperationAnswersSomethingAndEveryReferenceResolves() {
    assertThat(doc.get("openapi").asText()).startsWith("3.0");
    List<String> problems = new ArrayList<>();
    doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
      if (!op.getValue().has("responses") || op.getValue().get("responses").isEmpty()) {
        problems.add(op.getKey() + " " + path.getKey() + " has no responses");
      }
      if (Set.of("post", "patch").contains(op.getKey()) && !op.getValue().has("requestBody")) {
        problems.add(op.getKey() + " " + path.getKey() + " has no request body");
      }
    }));
    for (JsonNode ref : doc.findValues("$ref")) {
      if (resolved(ref).isMissingNode()) {
        problems.add("dangling " + ref.asText());
      }
    }
    assertThat(problems).isEmpty();
  }

  /** Request bodies read null as absent (JsonBody), so an optional field is nullable; the fuzzer sent null. */
  @Test
  void everyOptionalRequestBodyFieldIsNullable() {
    List<String> notNullable = new ArrayList<>();
    doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
      JsonNode body = op.getValue().path("requestBody").path("content").path("application/json").path("schema");
      optionalFieldsNotNullable(body, op.getKey() + " " + path.getKey(), notNullable);
    }));
    assertThat(notNullable).isEmpty();
  }

  @Test
  void nullIsAnAbsentField() throws Exception {
    HttpResponse<String> r = api.call("POST", "/api/v1/tenants", admin(), Map.of("slug", "nullable-account",
        "name", "n", "account_id", NullNode.getInstance()));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  /** The document's rules for a new tenant's slug and a member's email are the service's, case by case. */
  @Test
  void slugAndEmailPatternsAcceptExactlyWhatTheServiceAccepts() throws Exception {
    String admin = admin();
    JsonNode tenants = requestSchema("/api/v1/tenants");
    Pattern slug = Pattern.compile(tenants.at("/properties/slug/pattern").asText());
    for (String candidate : List.of("a", "a-b", "0z", "-a", "a-", "A", "a_b", "a.b", "a".repeat(63), "a".repeat(64))) {
      int status = api.call("POST", "/api/v1/tenants", admin, Map.of("slug", candidate, "name", "n")).statusCode();
      assertThat(status).as("slug %s", candidate).isEqualTo(slug.matcher(candidate).find() ? 201 : 400);
    }
    int longest = tenants.at("/properties/name/maxLength").asInt();
    assertThat(api.call("POST", "/api/v1/tenants", admin, Map.of("slug", "longest-name", "name", "n".repeat(longest)))
        .statusCode()).isEqualTo(201);
    assertThat(api.call("POST", "/api/v1/tenants", admin, Map.of("slug", "too-long-name", "name",
        "n".repeat(longest + 1))).statusCode()).isEqualTo(400);

    Pattern email = Pattern.compile(requestSchema("/api/v1/tenants/{tenant}/users").at("/properties/email/pattern")
        .asText());
    assertThat(api.call("POST", "/api/v1/tenants", admin, Map.of("slug", "members", "name", "m")).statusCode())
        .isEqualTo(201);
    int n = 0;
    for (String local : List.of("a", "a b", "", "a@b", "a\tb", "a".repeat(64), "a".repeat(65), "\u00e9")) {
      String candidate = local + "@x" + (n++) + ".test";
      int status = api.call("POST", "/api/v1/tenants/members/users", admin,
          Map.of("email", candidate, "password", "member-password-1", "role", "auditor")).statusCode();
      assertThat(status).as("email %s", candidate).isEqualTo(email.matcher(candidate).find() ? 201 : 400);
    }
  }

  @Test
  void tagFiltersAreRefusedExactlyWhenTheDocumentedPatternRefusesThem() throws Exception {
    String admin = admin();
    assertThat(api.call("POST", "/api/v1/tenants", admin, Map.of("slug", "tags", "name", "t")).statusCode())
        .isEqualTo(201);
    JsonNode tags = null;
    for (JsonNode p : doc.at("/paths/~1api~1v1~1tenants~1{tenant}~1nodes/get/parameters")) {
      tags = "tags".equals(p.path("name").asText()) ? p : tags;
    }
    Pattern pattern = Pattern.compile(tags.at("/schema/items/pattern").asText());
    for (String candidate : List.of("env=prod", "env=", "a==b", "=prod", "env", "")) {
      int status = api.call("GET", "/api/v1/tenants/tags/nodes?tags=" + URLEncoder.encode(candidate,
          StandardCharsets.UTF_8), admin, null).statusCode();
      assertThat(status).as("tags=%s", candidate).isEqualTo(pattern.matcher(candidate).find() ? 200 : 400);
    }
  }

  @Test
  void pagesGoUpToTheDocumentedMaximum() throws Exception {
    long max = doc.at("/components/parameters/page/schema/maximum").asLong();
    assertThat(api.call("GET", "/api/v1/tenants?page=" + max, admin(), null).statusCode()).isEqualTo(200);
    assertThat(api.call("GET", "/api/v1/tenants?page=" + (max + 1), admin(), null).statusCode()).isEqualTo(400);
  }

  private static void optionalFieldsNotNullable(JsonNode schema, String where, List<String> out) {
    JsonNode s = schema.has("$ref") ? resolved(schema.get("$ref")) : schema;
    if (s.has("items")) {
      optionalFieldsNotNullable(s.get("items"), where + "[]", out);
    }
    Set<String> required = new TreeSet<>();
    s.path("required").forEach(r -> required.add(r.asText()));
    s.path("properties").properties().forEach(p -> {
      if (!required.contains(p.getKey()) && !p.getValue().has("$ref") && !p.getValue().path("nullable").asBoolean()) {
        out.add(where + "." + p.getKey());
      }
      optionalFieldsNotNullable(p.getValue(), where + "." + p.getKey(), out);
    });
  }

  private static JsonNode requestSchema(String path) {
    return doc.get("paths").get(path).get("post").at("/requestBody/content/application~1json/schema");
  }

  private static JsonNode resolved(JsonNode ref) {
    JsonNode target = doc;
    for (String part : ref.asText().substring(2).split("/")) {
      target = target.path(part);
    }
    return target;
  }

  private static String admin() throws Exception {
    return api.login("root@example.test", "openapi-password-1").get("access_token").asText();
  }
}
