package io.infracast.api.evidence;

import static io.infracast.api.TestApi.JSON;
import static io.infracast.api.evidence.EvidenceApiTest.flip;
import static io.infracast.api.evidence.EvidenceApiTest.namespace;
import static io.infracast.api.evidence.EvidenceApiTest.pemKey;
import static io.infracast.api.evidence.EvidenceApiTest.request;
import static io.infracast.api.evidence.EvidenceApiTest.verify;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infracast.api.TestApi;
import io.infracast.api.TestPostgres;
import io.infracast.api.evidence.internal.Canonical;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rotated evidence key against a real PostgreSQL 15: the service signs with key A, is restarted on the same
 * database with key B, and what A signed (an artifact, a bundle) still verifies, naming A as a former key; new
 * evidence is signed with B; a flipped byte still fails, and so does an artifact signed by a key the service never
 * used, naming it.
 */
class EvidenceKeyRotationTest {
  private static final String ADMIN = "root@example.test";
  private static final String PASSWORD = "rotation-password-1";
  private static final String SECRET = "rotation-test-secret-0123456789-abcdefghijk";
  private static final String EVIDENCE = "/api/v1/tenants/acme/evidence";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();
  @TempDir
  static Path dataDir;

  @Test
  void evidenceSignedBeforeARotationStillVerifiesAndNamesItsKey() throws Exception {
    String database = pg.createDatabase();
    byte[] oldArtifact;
    byte[] oldBundle;
    String keyA;
    try (TestApi a = start(database, pemKey())) {
      String admin = a.login(ADMIN, PASSWORD).get("access_token").asText();
      a.createTenants(admin, "acme");
      HttpResponse<String> nodes = a.call("POST", "/api/v1/tenants/acme/nodes/bulk", admin,
          Map.of("nodes", List.of(namespace("open", null))));
      assertThat(nodes.statusCode()).as(nodes.body()).isEqualTo(200);
      assertThat(a.call("POST", "/api/v1/tenants/acme/findings/run", admin, Map.of()).statusCode()).isEqualTo(200);
      keyA = currentKey(a);
      oldArtifact = latestArtifact(a, admin);
      oldBundle = bundle(a, admin);
      assertThat(verify(a, "application/json", oldArtifact).get("current_key").asBoolean()).isTrue();
    }

    try (TestApi b = start(database, pemKey())) {
      String admin = b.login(ADMIN, PASSWORD).get("access_token").asText();
      String keyB = currentKey(b);
      assertThat(keyB).isNotEqualTo(keyA);

      JsonNode artifact = verify(b, "application/json", oldArtifact);
      assertThat(artifact.get("valid").asBoolean()).as(artifact.toString()).isTrue();
      assertThat(artifact.get("key_id").asText()).isEqualTo(keyA);
      assertThat(artifact.get("current_key").asBoolean()).isFalse();
      assertThat(artifact.get("reason").asText()).contains(keyA + " (a former key of this service)");
      JsonNode bundle = verify(b, "application/zip", oldBundle);
      assertThat(bundle.get("valid").asBoolean()).as(bundle.toString()).isTrue();
      assertThat(bundle.get("key_id").asText()).isEqualTo(keyA);
      assertThat(bundle.get("current_key").asBoolean()).isFalse();

      // A bundle made now of what A signed: the manifest is B's, the artifacts still A's.
      JsonNode mixed = verify(b, "application/zip", bundle(b, admin));
      assertThat(mixed.get("valid").asBoolean()).as(mixed.toString()).isTrue();
      assertThat(mixed.get("key_id").asText()).isEqualTo(keyB);
      assertThat(mixed.get("reason").asText()).contains("signed by key " + keyA);

      JsonNode flipped = verify(b, "application/json", flip(oldArtifact, "Fail"));
      assertThat(flipped.get("valid").asBoolean()).isFalse();
      assertThat(flipped.get("reason").asText()).startsWith("content hash mismatch");
      assertThat(flipped.get("key_id").asText()).isEqualTo(keyA);

      assertThat(b.call("POST", "/api/v1/tenants/acme/findings/run", admin, Map.of()).statusCode()).isEqualTo(200);
      byte[] newArtifact = latestArtifact(b, admin);
      assertThat(JSON.readTree(newArtifact).get("key_id").asText()).isEqualTo(keyB);
      JsonNode current = verify(b, "application/json", newArtifact);
      assertThat(current.get("valid").asBoolean()).as(current.toString()).isTrue();
      assertThat(current.get("current_key").asBoolean()).isTrue();

      // An auditor offline: the list holds A, which verifies the old signature by itself.
      JsonNode keys = JSON.readTree(b.call("GET", "/api/v1/reports/public-keys", null, null).body());
      assertThat(keys.get("current_key_id").asText()).isEqualTo(keyB);
      List<String> listed = new ArrayList<>();
      keys.get("items").forEach(k -> listed.add(k.get("key_id").asText() + " " + k.get("current").asBoolean()));
      assertThat(listed).containsExactly(keyA + " false", keyB + " true");
      JsonNode envelope = JSON.readTree(oldArtifact);
      Signature ed = Signature.getInstance("Ed25519");
      ed.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
          Base64.getDecoder().decode(keys.at("/items/0/public_key").asText()))));
      ed.update(Canonical.bytes(envelope.get("artifact")));
      assertThat(ed.verify(Base64.getDecoder().decode(envelope.get("signature").asText()))).isTrue();

      // The same artifact signed again, validly, by a key C this service never had.
      KeyPair c = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] der = c.getPublic().getEncoded();
      String keyC = "ed25519-" + Canonical.sha256(Arrays.copyOfRange(der, der.length - 32, der.length))
          .substring(0, 16);
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(c.getPrivate());
      signer.update(Canonical.bytes(envelope.get("artifact")));
      ObjectNode foreign = ((ObjectNode) envelope.deepCopy()).put("key_id", keyC)
          .put("signature", Base64.getEncoder().encodeToString(signer.sign()));
      JsonNode unknown = verify(b, "application/json", JSON.writeValueAsBytes(foreign));
      assertThat(unknown.get("valid").asBoolean()).isFalse();
      assertThat(unknown.get("reason").asText()).startsWith("signed with key " + keyC + ", which this service never used");
      assertThat(unknown.get("key_id").asText()).isEqualTo(keyC);
    }
  }

  /** Two replicas with one key: the second finds it recorded by the first, and neither fails on that. */
  @Test
  void replicasWithOneKeyRecordItOnce() throws Exception {
    String database = pg.createDatabase();
    String key = pemKey();
    try (TestApi first = start(database, key); TestApi second = start(database, key)) {
      for (TestApi api : List.of(first, second)) {
        HttpResponse<String> r = api.call("GET", "/api/v1/reports/public-keys", null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("items")).hasSize(1);
      }
    }
  }

  private static TestApi start(String database, String signingKey) {
    return TestApi.start(pg, database, SECRET, ADMIN, PASSWORD, Map.of("DATA_DIR", dataDir.toString(),
        "EVIDENCE_SIGNING_KEY", signingKey));
  }

  private static String currentKey(TestApi api) throws Exception {
    return JSON.readTree(api.call("GET", "/api/v1/reports/public-key", null, null).body()).get("key_id").asText();
  }

  /** The newest signed artifact of CIS 5.2.1, as stored. */
  private static byte[] latestArtifact(TestApi api, String admin) throws Exception {
    String id = JSON.readTree(api.call("GET", EVIDENCE + "?control_id=5.2.1&framework=CIS%20Kubernetes", admin, null)
        .body()).at("/items/0/id").asText();
    HttpResponse<String> r = api.call("GET", EVIDENCE + "/" + id, admin, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bundle(TestApi api, String admin) throws Exception {
    HttpResponse<byte[]> r = HTTP.send(request(api, EVIDENCE + "/bundle").header("Authorization", "Bearer " + admin)
        .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
