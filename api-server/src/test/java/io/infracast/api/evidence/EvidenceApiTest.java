package io.infracast.api.evidence;

import static io.infracast.api.TestApi.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.infracast.api.TestApi;
import io.infracast.api.TestPostgres;
import io.infracast.api.evidence.internal.Canonical;
import io.infracast.testing.aws.MotoServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Signed evidence against a real PostgreSQL 15, once with the local folder store and once with the artifacts
 * bucket in moto server (S3, path-style): an artifact per control with its result after each evaluation, stored
 * under the tenant's prefix, verified as an artifact and as a bundle, and a flipped byte failing verification
 * with the reason; tenant isolation and roles.
 */
class EvidenceApiTest {
  private static final String ADMIN = "root@example.test";
  private static final String PASSWORD = "evidence-password-1";
  private static final String BUCKET = "infracast-evidence-test";
  private static final String CONTROL = "5.2.1";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();
  @TempDir
  static Path dataDir;
  private static MotoServer moto;
  private static final Map<String, TestApi> apis = new LinkedHashMap<>();
  private static final Map<String, String> admins = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    moto = MotoServer.start();
    try (var s3 = moto.s3()) {
      s3.createBucket(b -> b.bucket(BUCKET));
    }
    // The service's S3 client takes the SDK's default credentials chain, whose first source is these.
    System.setProperty("aws.accessKeyId", "testing");
    System.setProperty("aws.secretAccessKey", "testing");
    apis.put("folder", TestApi.start(pg, pg.createDatabase(), "evidence-test-secret-0123456789-abcdefghijkl", ADMIN,
        PASSWORD, Map.of("DATA_DIR", dataDir.toString(), "PLUGIN_DIR",
            Path.of("plugins").toAbsolutePath().toString())));
    apis.put("s3", TestApi.start(pg, pg.createDatabase(), "evidence-test-secret-0123456789-abcdefghijkl", ADMIN,
        PASSWORD, Map.of("ARTIFACTS_BUCKET", BUCKET, "AWS_REGION", MotoServer.REGION.id(), "AWS_ENDPOINT_URL",
            moto.endpoint().toString(), "EVIDENCE_SIGNING_KEY", pemKey())));
    for (Map.Entry<String, TestApi> e : apis.entrySet()) {
      String admin = e.getValue().login(ADMIN, PASSWORD).get("access_token").asText();
      admins.put(e.getKey(), admin);
      e.getValue().createTenants(admin, "acme", "globex", "allbad");
      // CIS 5.2.1 (rule K8S-024) on namespaces: two of acme's three fail it, globex's only one passes it.
      ingest(e.getKey(), "acme", List.of(namespace("a-open", null), namespace("b-open", "privileged"),
          namespace("c-locked", "restricted")));
      ingest(e.getKey(), "globex", List.of(namespace("locked", "restricted")));
      ingest(e.getKey(), "allbad", List.of(namespace("open", null)));
      for (String tenant : List.of("acme", "globex", "allbad")) {
        assertThat(call(e.getKey(), "POST", tenant, "findings/run", "{}").statusCode()).isEqualTo(200);
      }
    }
  }

  @AfterAll
  static void stop() {
    apis.values().forEach(TestApi::close);
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    if (moto != null) {
      moto.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"folder", "s3"})
  void eachEvaluationSignsOneArtifactPerControlWithItsResult(String store) throws Exception {
    JsonNode all = list(store, "acme", "");
    List<String> controls = new ArrayList<>();
    all.get("items").forEach(i -> controls.add(i.get("framework").asText() + " " + i.get("control_id").asText()));
    assertThat(controls).as("one per distinct control").doesNotHaveDuplicates().contains("CIS Kubernetes 5.2.1");

    JsonNode partial = latest(store, "acme");
    assertThat(partial.get("result").asText()).isEqualTo("Partial");
    JsonNode artifact = artifact(store, "acme", partial.get("id").asText());
    assertThat(artifact.at("/assets_evaluated/count").asLong()).isEqualTo(3);
    assertThat(artifact.at("/assets_evaluated/ids")).hasSize(3);
    assertThat(artifact.get("failing_assets").asLong()).isEqualTo(2);
    assertThat(artifact.get("rule_ids").get(0).asText()).isEqualTo("K8S-024");
    List<String> open = findingIds(store, "acme", "open");
    List<String> supporting = new ArrayList<>();
    artifact.at("/supporting_findings/ids").forEach(id -> supporting.add(id.asText()));
    assertThat(supporting).containsExactlyInAnyOrderElementsOf(open).hasSize(2);
    assertThat(artifact.get("tenant_id").asText()).isEqualTo(tenantId(store, "acme"));
    assertThat(artifact.get("generated_at").asText()).isNotEmpty();

    assertThat(latest(store, "globex").get("result").asText()).isEqualTo("Pass");
    assertThat(latest(store, "allbad").get("result").asText()).isEqualTo("Fail");
    JsonNode workload = list(store, "acme", "?control_id=5.2.2").at("/items/0");
    assertThat(workload.get("result").asText()).as("no workload exists").isEqualTo("Not Assessed");
    assertThat(list(store, "acme", "?result=not%20assessed").get("total").asLong())
        .isEqualTo(list(store, "acme", "?result=Not%20Assessed").get("total").asLong()).isPositive();
    assertThat(list(store, "acme", "?framework=" + URLEncoder.encode("NIST 800-53", StandardCharsets.UTF_8))
        .get("items")).allSatisfy(i -> assertThat(i.get("framework").asText()).isEqualTo("NIST 800-53"));
    HttpResponse<String> bad = call(store, "GET", "acme", "evidence?result=Maybe", null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(TestApi.message(bad)).contains("Pass, Partial, Fail, Not Assessed");
  }

  /** Accepted findings do not fail the control; the artifact lists them apart. */
  @Test
  void anAcceptedFindingNoLongerFailsItsControlButIsListed() throws Exception {
    String store = "folder";
    apis.get(store).createTenants(admins.get(store), "accepting");
    ingest(store, "accepting", List.of(namespace("open", null), namespace("locked", "restricted")));
    call(store, "POST", "accepting", "findings/run", "{}");
    assertThat(latest(store, "accepting").get("result").asText()).isEqualTo("Partial");
    String finding = findingIds(store, "accepting", "open").get(0);
    assertThat(call(store, "POST", "accepting", "findings/" + finding + "/accept", "{\"reason\":\"lab\"}")
        .statusCode()).isEqualTo(200);
    call(store, "POST", "accepting", "findings/run", "{}");

    JsonNode pass = latest(store, "accepting");
    assertThat(pass.get("result").asText()).isEqualTo("Pass");
    JsonNode artifact = artifact(store, "accepting", pass.get("id").asText());
    assertThat(artifact.at("/accepted_findings/ids/0").asText()).isEqualTo(finding);
    assertThat(artifact.at("/supporting_findings/count").asLong()).isZero();
    assertThat(artifact.get("result_reason").asText()).contains("1 accepted finding");
    assertThat(list(store, "accepting", "?control_id=" + CONTROL).get("total").asLong()).as("one per evaluation")
        .isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"folder", "s3"})
  void artifactsAreStoredUnderTheTenantsPrefix(String store) throws Exception {
    String prefix = "tenants/" + tenantId(store, "acme") + "/evidence/";
    List<String> keys = new ArrayList<>();
    list(store, "acme", "?per_page=500").get("items").forEach(i -> keys.add(i.get("object_key").asText()));
    assertThat(keys).isNotEmpty().allSatisfy(k -> assertThat(k).startsWith(prefix));
    List<String> stored;
    if (store.equals("s3")) {
      try (var s3 = moto.s3()) {
        stored = s3.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(prefix)).contents().stream()
            .map(S3Object::key).toList();
      }
    } else {
      try (Stream<Path> files = Files.walk(dataDir.resolve("artifacts"))) {
        Path root = dataDir.resolve("artifacts");
        stored = files.filter(Files::isRegularFile).map(f -> root.relativize(f).toString())
            .filter(k -> k.startsWith(prefix)).toList();
      }
    }
    assertThat(stored).containsExactlyInAnyOrderElementsOf(keys);
  }

  @ParameterizedTest
  @ValueSource(strings = {"folder", "s3"})
  void aSignedArtifactVerifiesAndAFlippedByteFailsWithTheReason(String store) throws Exception {
    byte[] signed = call(store, "GET", "acme", "evidence/" + latest(store, "acme").get("id").asText(), null).body()
        .getBytes(StandardCharsets.UTF_8);
    JsonNode ok = verify(store, "application/json", signed);
    assertThat(ok.get("valid").asBoolean()).as(ok.toString()).isTrue();
    assertThat(ok.get("kind").asText()).isEqualTo("artifact");

    JsonNode flipped = verify(store, "application/json", flip(signed, "Partial"));
    assertThat(flipped.get("valid").asBoolean()).isFalse();
    assertThat(flipped.get("reason").asText()).startsWith("content hash mismatch");

    JsonNode envelope = JSON.readTree(signed);
    String signature = envelope.get("signature").asText();
    JsonNode badSignature = verify(store, "application/json", flip(signed, signature.substring(0, 8)));
    assertThat(badSignature.get("reason").asText()).startsWith("signature mismatch");

    // Anyone can check it offline: the public key and the artifact's canonical JSON.
    JsonNode key = JSON.readTree(apis.get(store).call("GET", "/api/v1/reports/public-key", null, null).body());
    assertThat(key.get("key_id").asText()).isEqualTo(envelope.get("key_id").asText());
    Signature ed = Signature.getInstance("Ed25519");
    ed.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(
        new X509EncodedKeySpec(Base64.getDecoder().decode(key.get("public_key").asText()))));
    ed.update(Canonical.bytes(envelope.get("artifact")));
    assertThat(ed.verify(Base64.getDecoder().decode(signature))).isTrue();
    assertThat(envelope.get("content_hash").asText())
        .isEqualTo("sha256:" + Canonical.sha256(Canonical.bytes(envelope.get("artifact"))));
  }

  @Test
  void verifyRefusesWhatIsNoArtifactWithA400() throws Exception {
    for (String body : List.of("", "not json", "[1]", "{\"artifact\":{}}", "{\"artifact\":1,\"content_hash\":\"x\","
        + "\"signature\":\"x\",\"key_id\":\"x\"}", "{\"artifact\":{},\"content_hash\":\"x\",\"signature\":\"x\","
        + "\"key_id\":\"x\",\"algorithm\":{}}")) {
      HttpResponse<String> r = apis.get("folder").send("POST", "/api/v1/reports/verify", null, body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(TestApi.error(r)).isEqualTo("BAD_REQUEST");
      assertThat(r.body()).doesNotContain("Exception");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"folder", "s3"})
  void aBundleVerifiesAndATamperedOneFailsWithTheReason(String store) throws Exception {
    HttpResponse<byte[]> download = HTTP.send(request(store, "/api/v1/tenants/acme/evidence/bundle")
        .header("Authorization", "Bearer " + admins.get(store)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/zip");
    byte[] zip = download.body();
    Map<String, byte[]> files = unzip(zip);
    assertThat(files).containsKeys("manifest.json", "manifest.sig");
    JsonNode manifest = JSON.readTree(files.get("manifest.json"));
    assertThat(manifest.get("artifacts")).hasSize(files.size() - 2);
    assertThat(manifest.get("artifacts")).hasSize((int) list(store, "acme", "").get("total").asLong());
    JsonNode ok = verify(store, "application/zip", zip);
    assertThat(ok.get("valid").asBoolean()).as(ok.toString()).isTrue();
    assertThat(ok.get("kind").asText()).isEqualTo("bundle");

    String first = manifest.at("/artifacts/0/file").asText();
    // A flipped byte in the ZIP, inside the first artifact's data: the ZIP's own check catches it.
    byte[] flipped = zip.clone();
    flipped[30 + first.length() + 20] ^= 0x01;
    assertThat(verify(store, "application/zip", flipped).get("reason").asText())
        .startsWith("the ZIP is damaged at entry " + first);
    // The same artifact changed and zipped again: its hash no longer matches the manifest's.
    assertThat(verify(store, "application/zip", rezip(files, first, b -> flip(b, "result"))).get("reason")
        .asText()).startsWith("hash mismatch of artifact " + first);
    assertThat(verify(store, "application/zip", rezip(files, "manifest.json", b -> flip(b, "artifacts/")))
        .get("reason").asText()).startsWith("manifest: signature mismatch");
    assertThat(verify(store, "application/zip", rezip(files, "manifest.sig", null)).get("reason").asText())
        .isEqualTo("missing file manifest.sig");
    assertThat(verify(store, "application/zip", rezip(files, first, null)).get("reason").asText())
        .startsWith("missing file " + first);
    assertThat(verify(store, "application/zip", "just text".getBytes(StandardCharsets.UTF_8)).get("reason")
        .asText()).startsWith("not a ZIP archive");
  }

  @ParameterizedTest
  @ValueSource(strings = {"folder", "s3"})
  void anotherTenantsEvidenceIsNotFound(String store) throws Exception {
    String acmeEvidence = latest(store, "acme").get("id").asText();
    HttpResponse<String> r = call(store, "GET", "globex", "evidence/" + acmeEvidence, null);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(list(store, "globex", "?per_page=500").get("items"))
        .noneSatisfy(i -> assertThat(i.get("id").asText()).isEqualTo(acmeEvidence));
    assertThat(call(store, "GET", "globex", "evidence/not-a-uuid", null).statusCode()).isEqualTo(404);
  }

  @Test
  void auditorsReadEvidenceReadOnlyUsersDoNot() throws Exception {
    TestApi api = apis.get("folder");
    for (String role : List.of("auditor", "read-only")) {
      assertThat(api.call("POST", "/api/v1/tenants/acme/users", admins.get("folder"), Map.of("email",
          role + "@acme.test", "password", "member-password-1", "role", role)).statusCode()).isEqualTo(201);
    }
    String auditor = api.login("auditor@acme.test", "member-password-1").get("access_token").asText();
    String readOnly = api.login("read-only@acme.test", "member-password-1").get("access_token").asText();
    assertThat(api.call("GET", "/api/v1/tenants/acme/evidence", auditor, null).statusCode()).isEqualTo(200);
    assertThat(api.call("GET", "/api/v1/tenants/acme/evidence/bundle", auditor, null).statusCode()).isEqualTo(200);
    assertThat(api.call("GET", "/api/v1/tenants/acme/evidence", readOnly, null).statusCode()).isEqualTo(403);
    assertThat(api.call("GET", "/api/v1/tenants/acme/evidence", null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void aDiscoveryJobThatSucceedsSignsEvidence() throws Exception {
    String store = "folder";
    apis.get(store).createTenants(admins.get(store), "discovered");
    HttpResponse<String> job = call(store, "POST", "discovered", "jobs", JSON.writeValueAsString(Map.of("name",
        "inventory", "plugins", List.of("inventory"), "config", Map.of("inventory", Map.of("nodes",
            List.of(namespace("open", null)))))));
    assertThat(job.statusCode()).as(job.body()).isEqualTo(201);
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> list(store, "discovered", "").get("total").asLong() > 0);
    assertThat(latest(store, "discovered").get("result").asText()).isEqualTo("Fail");
  }

  /** The index is append-only for the tenant role, and shows it no rows without a tenant. */
  @Test
  void theTenantRoleCannotChangeOrDeleteEvidence() throws Exception {
    String tenant = tenantId("folder", "acme");
    try (Connection c = pg.connect(apis.get("folder").databaseName()); Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute("select set_config('role', infracast_tenant_role(), true)");
      try (ResultSet rs = st.executeQuery("select count(*) from evidence_artifacts")) {
        rs.next();
        assertThat(rs.getInt(1)).as("without a tenant").isZero();
      }
      st.execute("select set_config('app.tenant_id', '" + tenant + "', true)");
      for (String write : List.of("update evidence_artifacts set result = 'Pass'", "delete from evidence_artifacts")) {
        st.execute("savepoint s");
        assertThatThrownBy(() -> st.execute(write)).as(write).isInstanceOf(SQLException.class)
            .hasMessageContaining("permission denied");
        st.execute("rollback to savepoint s");
      }
      c.rollback();
    }
  }

  /** A store that refuses the artifacts fails neither the evaluation nor the list: nothing is indexed. */
  @Test
  void anArtifactStoreThatFailsLeavesTheEvaluationAndIndexesNothing() throws Exception {
    try (TestApi api = TestApi.start(pg, pg.createDatabase(), "evidence-test-secret-0123456789-abcdefghijkl", ADMIN,
        PASSWORD, Map.of("ARTIFACTS_BUCKET", "no-such-bucket", "AWS_REGION", MotoServer.REGION.id(),
            "AWS_ENDPOINT_URL", moto.endpoint().toString(), "EVIDENCE_SIGNING_KEY", pemKey()))) {
      String admin = api.login(ADMIN, PASSWORD).get("access_token").asText();
      api.createTenants(admin, "acme");
      HttpResponse<String> run = api.call("POST", "/api/v1/tenants/acme/findings/run", admin, Map.of());
      assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
      assertThat(JSON.readTree(api.call("GET", "/api/v1/tenants/acme/evidence", admin, null).body())
          .get("total").asLong()).isZero();
      assertThat(api.call("GET", "/api/v1/tenants/acme/evidence/bundle", admin, null).statusCode()).isEqualTo(404);
    }
  }

  // helpers

  static Map<String, Object> namespace(String name, String enforce) {
    Map<String, Object> properties = new LinkedHashMap<>();
    if (enforce != null) {
      properties.put("pod_security_enforce", enforce);
    }
    return Map.of("id", "k8s:test:k8s.namespace:" + name, "name", name, "properties", properties);
  }

  private static void ingest(String store, String tenant, List<Map<String, Object>> nodes) throws Exception {
    HttpResponse<String> r = apis.get(store).call("POST", "/api/v1/tenants/" + tenant + "/nodes/bulk",
        admins.get(store), Map.of("nodes", nodes));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static HttpResponse<String> call(String store, String method, String tenant, String path, String body)
      throws Exception {
    return apis.get(store).send(method, "/api/v1/tenants/" + tenant + "/" + path, admins.get(store), body);
  }

  private static JsonNode list(String store, String tenant, String query) throws Exception {
    HttpResponse<String> r = call(store, "GET", tenant, "evidence" + query, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** The newest artifact of CIS 5.2.1. */
  private static JsonNode latest(String store, String tenant) throws Exception {
    return list(store, tenant, "?control_id=" + CONTROL + "&framework=CIS%20Kubernetes").at("/items/0");
  }

  private static JsonNode artifact(String store, String tenant, String id) throws Exception {
    HttpResponse<String> r = call(store, "GET", tenant, "evidence/" + id, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("artifact");
  }

  private static List<String> findingIds(String store, String tenant, String status) throws Exception {
    List<String> ids = new ArrayList<>();
    JSON.readTree(call(store, "GET", tenant, "findings?control_id=" + CONTROL + "&status=" + status, null).body())
        .get("items").forEach(f -> ids.add(f.get("id").asText()));
    return ids;
  }

  private static String tenantId(String store, String slug) throws Exception {
    return JSON.readTree(apis.get(store).call("GET", "/api/v1/tenants/" + slug, admins.get(store), null).body())
        .get("id").asText();
  }

  private static HttpRequest.Builder request(String store, String path) {
    return request(apis.get(store), path);
  }

  static HttpRequest.Builder request(TestApi api, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.app().port() + path));
  }

  private static JsonNode verify(String store, String type, byte[] body) throws Exception {
    return verify(apis.get(store), type, body);
  }

  /** {@code POST /reports/verify} without credentials; asserts a 200. */
  static JsonNode verify(TestApi api, String type, byte[] body) throws Exception {
    HttpResponse<String> r = HTTP.send(request(api, "/api/v1/reports/verify").header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** {@code bytes} with one bit of the first byte of {@code marker} flipped. */
  static byte[] flip(byte[] bytes, String marker) {
    int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf(marker);
    assertThat(at).as("marker " + marker).isNotNegative();
    byte[] out = bytes.clone();
    out[at] ^= 0x01;
    return out;
  }

  static Map<String, byte[]> unzip(byte[] zip) throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        files.put(e.getName(), in.readAllBytes());
      }
    }
    return files;
  }

  /** The files zipped again, {@code name} changed by {@code change} (null: left out). */
  private static byte[] rezip(Map<String, byte[]> files, String name, UnaryOperator<byte[]> change)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        if (f.getKey().equals(name) && change == null) {
          continue;
        }
        zip.putNextEntry(new ZipEntry(f.getKey()));
        zip.write(f.getKey().equals(name) ? change.apply(f.getValue()) : f.getValue());
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  static String pemKey() throws Exception {
    byte[] der = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded();
    return "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(der) + "\n-----END PRIVATE KEY-----\n";
  }
}
