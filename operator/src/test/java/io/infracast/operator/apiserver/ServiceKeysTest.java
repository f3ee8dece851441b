package io.infracast.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.infracast.operator.api.v1alpha1.SecretRef;
import io.infracast.operator.api.v1alpha1.SecretsSpec;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorTestBase;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service's keys (ENCRYPTION_KEYS, EVIDENCE_SIGNING_KEY): generated once and kept past the installation, since
 * the database and the evidence bucket it leaves behind need them; or the user's own Secret, checked for both keys.
 */
class ServiceKeysTest extends OperatorTestBase {

  @Test
  void generatedKeysAreUsableOutliveTheInstallationAndAreReusedByItsSuccessor() throws Exception {
    readyAt("kept", "1.0.0");
    var keys = secret("kept-keys");
    var data = keys.getData();
    var encryptionKeys = decode(data.get("ENCRYPTION_KEYS"));
    assertThat(encryptionKeys).startsWith("k1:");
    assertThat(Base64.getDecoder().decode(encryptionKeys.substring(3))).hasSize(32);
    var signingKey = KeyFactory.getInstance("Ed25519").generatePrivate(
        new PKCS8EncodedKeySpec(Base64.getDecoder().decode(decode(data.get("EVIDENCE_SIGNING_KEY")))));
    assertThat(signingKey.getAlgorithm()).isEqualTo("EdDSA");
    assertThat(keys.getMetadata().getOwnerReferences()).as("not collected with the installation").isEmpty();
    assertThat(podSecretFor("kept", "ENCRYPTION_KEYS")).isEqualTo("kept-keys");

    installation("kept").delete();
    await().atMost(TIMEOUT).until(() -> installation("kept").get() == null);
    assertThat(secret("kept-keys")).as("kept for the retained data").isNotNull();

    readyAt("kept", "1.0.0");
    assertThat(secret("kept-keys").getData()).as("the successor opens what its predecessor sealed")
        .isEqualTo(data);
  }

  @Test
  void aReferencedSecretMustHoldBothKeys() {
    client.resource(Installations.databaseSecret(namespace, "own")).serverSideApply();
    var installation = Installations.development(namespace, "own");
    var secrets = new SecretsSpec();
    secrets.setServiceKeysRef(new SecretRef("tenant-keys"));
    installation.getSpec().setSecrets(secrets);
    client.resource(installation).create();
    awaitDegraded("own", "ServiceKeysSecretMissing", "Secret " + namespace + "/tenant-keys (secrets.serviceKeysRef)"
        + " does not exist");

    client.resource(new SecretBuilder().withNewMetadata().withName("tenant-keys").withNamespace(namespace).endMetadata()
        .withStringData(Map.of("ENCRYPTION_KEYS", "a:" + Base64.getEncoder().encodeToString(new byte[32])))
        .build()).create();
    awaitDegraded("own", "ServiceKeysSecretKeyMissing", "has no key EVIDENCE_SIGNING_KEY (secrets.serviceKeysRef)");

    client.secrets().inNamespace(namespace).withName("tenant-keys").edit(s -> {
      s.getData().put("EVIDENCE_SIGNING_KEY", Base64.getEncoder().encodeToString("a key".getBytes()));
      return s;
    });
    awaitVersionServed("own", "1.0.0");
    assertThat(podSecretFor("own", "EVIDENCE_SIGNING_KEY")).isEqualTo("tenant-keys");
    assertThat(secret("own-keys")).as("nothing generated beside the user's keys").isNull();
  }

  private static void awaitDegraded(String name, String reason, String message) {
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> assertThat(condition(name, "Degraded"))
        .satisfies(c -> {
      assertThat(c).extracting(Condition::getStatus, Condition::getReason).containsExactly("True", reason);
      assertThat(c.getMessage()).contains(message);
    }));
  }

  private static String podSecretFor(String name, String variable) {
    Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(name + "-api").get();
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> variable.equals(e.getName())).findFirst().orElseThrow()
        .getValueFrom().getSecretKeyRef().getName();
  }

  private static Secret secret(String name) {
    return client.secrets().inNamespace(namespace).withName(name).get();
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64));
  }
}
