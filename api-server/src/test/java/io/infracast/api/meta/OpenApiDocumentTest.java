package io.infracast.api.meta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.infracast.api.TestApi;
import io.infracast.api.TestPostgres;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
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
      String[] parts = ref.asText().substring(2).split("/");
      JsonNode target = doc;
      for (String part : parts) {
        target = target.path(part);
      }
      if (target.isMissingNode()) {
        problems.add("dangling " + ref.asText());
      }
    }
    assertThat(problems).isEmpty();
  }
}
