package io.infracast.api.meta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.infracast.api.ServiceProcess;
import io.infracast.api.TestApi;
import io.infracast.api.TestPostgres;
import io.infracast.api.platform.crypto.SecretCipher;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drives the service through its own OpenAPI document with schemathesis, a property-based fuzzer: every operation
 * the document lists (whatever domains it holds), with valid and invalid input, then chains of calls. It fails on
 * any 5xx and any answer the document does not describe (status, content type, body schema), with schemathesis's
 * report, which shows each failing request as a curl. The settings (seed, examples per operation, checks, pinned
 * parameters) are in src/test/resources/schemathesis.toml, shared with a run by hand (README, "Fuzzing").
 */
class OpenApiFuzzTest {
  private static final Path SCHEMATHESIS = Path.of("..", ".tools", "schemathesis", "bin", "schemathesis")
      .toAbsolutePath().normalize();
  private static final Path CONFIG = Path.of("src", "test", "resources", "schemathesis.toml").toAbsolutePath();
  /** A guard against a hung run only: it takes about 55 s (100 s with the rest of the suite on a busy 2-core box). */
  private static final Duration TIME_LIMIT = Duration.ofMinutes(5);
  private static final String ADMIN = "root@example.test";
  private static final String ADMIN_PASSWORD = "fuzz-bootstrap-password";
  /** The nodes of schemathesis.toml's {@code nodes} dictionary. */
  private static final List<String> NODES = List.of("aws:us-east-1:aws.ec2.instance:i-fuzz",
      "aws:us-east-1:aws.iam.role:fuzz");
  private static final Pattern TESTED = Pattern.compile("Tested: (\\d+)");

  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();

  @Test
  void everyDocumentedOperationAnswersAsDocumentedAndNeverWithAServerError() throws Exception {
    assertThat(Files.isExecutable(SCHEMATHESIS)).as("this test runs schemathesis from " + SCHEMATHESIS
        + ", which is missing: run ./bin/test, or create it with 'source bin/lib/prerequisites.sh && "
        + "require_schemathesis' from the repository root").isTrue();
    // With ENCRYPTION_KEYS, so that credentials and webhooks are stored rather than refused with 503; the webhooks
    // the fuzzer creates are sent nowhere but this machine's loopback (README, "Where webhooks may go").
    try (TestApi api = TestApi.start(pg, pg.createDatabase(), "fuzz-test-secret-0123456789-abcdefghijklmn", ADMIN,
        ADMIN_PASSWORD, Map.of("ENCRYPTION_KEYS", SecretCipher.generateEntry("fuzz"),
            "WEBHOOK_ALLOWED_NETWORKS", "127.0.0.1/32"))) {
      String admin = api.login(ADMIN, ADMIN_PASSWORD).get("access_token").asText();
      for (String slug : List.of("fuzz", "fuzz-doomed")) {
        created(api, "/api/v1/tenants", admin, Map.of("slug", slug, "name", slug));
      }
      String tenant = "/api/v1/tenants/fuzz";
      for (String id : NODES) {
        created(api, tenant + "/nodes", admin, Map.of("id", id));
      }
      // A namespace without Pod Security enforcement: a finding (K8S-024) to read, accept and resolve.
      created(api, tenant + "/nodes", admin, Map.of("id", "k8s:fuzz:k8s.namespace:open"));
      assertThat(api.call("POST", tenant + "/findings/run", admin, Map.of()).statusCode()).isEqualTo(200);
      String finding = TestApi.JSON.readTree(api.call("GET", tenant + "/findings", admin, null).body())
          .at("/items/0/id").asText();
      assertThat(finding).as("the namespace's finding").isNotEmpty();
      // Port 9 (discard): nothing listens, a delivery to it fails at once.
      String integration = created(api, tenant + "/integrations", admin, Map.of("name", "fuzz",
          "url", "http://127.0.0.1:9/hook", "events", List.of("finding.created", "job.failed"))).get("id").asText();
      Map<String, String> env = Map.of(
          "FUZZ_TENANT", "fuzz",
          "FUZZ_DOOMED_TENANT", "fuzz-doomed",
          "FUZZ_ADMIN_TOKEN", admin,
          "FUZZ_FINDING_ID", finding,
          "FUZZ_INTEGRATION_ID", integration,
          "FUZZ_KEY_ID", created(api, tenant + "/api-keys", admin,
              Map.of("name", "spare", "role", "read-only")).get("id").asText(),
          "FUZZ_USER_ID", created(api, tenant + "/users", admin,
              Map.of("email", "member@fuzz.test", "password", "member-password-1", "role", "auditor"))
              .get("id").asText());

      String report = schemathesis(env, "http://127.0.0.1:" + api.app().port() + "/api/v1/openapi.json");

      // Every operation but the document's own GET, which schemathesis leaves out (it read it to start).
      int operations = operations(api) - 1;
      Matcher tested = TESTED.matcher(report);
      assertThat(tested.find() && Integer.parseInt(tested.group(1)) == operations)
          .as("schemathesis tested all %d operations of the document:%n%s", operations, report).isTrue();
    }
  }

  private static JsonNode created(TestApi api, String path, String bearer, Map<String, ?> body) throws Exception {
    HttpResponse<String> r = api.call("POST", path, bearer, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return TestApi.JSON.readTree(r.body());
  }

  private static int operations(TestApi api) throws Exception {
    JsonNode doc = TestApi.JSON.readTree(api.call("GET", "/api/v1/openapi.json", null, null).body());
    int n = 0;
    for (JsonNode path : doc.get("paths")) {
      n += path.size();
    }
    return n;
  }

  /** Runs schemathesis in a folder of its own (it keeps files in its working folder); its exit must be 0. */
  private static String schemathesis(Map<String, String> env, String document) throws Exception {
    Path workDir = Files.createTempDirectory("openapi-fuzz-");
    Path output = workDir.resolve("report.txt");
    try {
      ProcessBuilder pb = new ProcessBuilder(SCHEMATHESIS.toString(), "--config-file", CONFIG.toString(), "run",
          "--no-color", document).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
      pb.environment().putAll(env);
      pb.environment().put("COLUMNS", "120");
      Process process = pb.start();
      boolean exited = process.waitFor(TIME_LIMIT.toSeconds(), TimeUnit.SECONDS);
      if (!exited) {
        process.destroyForcibly().waitFor();
      }
      String report = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(exited).as("schemathesis did not finish within %s:%n%s", TIME_LIMIT, report).isTrue();
      assertThat(process.exitValue()).as("schemathesis found failures:%n%s", report).isZero();
      return report;
    } finally {
      ServiceProcess.deleteTree(workDir);
    }
  }
}
