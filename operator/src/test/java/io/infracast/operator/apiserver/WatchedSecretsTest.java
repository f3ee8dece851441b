package io.infracast.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.infracast.operator.data.WatchedSecrets;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorConfig;
import io.infracast.operator.testing.OperatorTestBase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * A referenced Secret broken, fixed or deleted changes the status within seconds, not at the next resync (five
 * minutes here): the operator labels the Secrets it references and watches those.
 */
@OperatorConfig(resyncSeconds = 300, waitingRecheckSeconds = 300)
class WatchedSecretsTest extends OperatorTestBase {

  /** Well under the 300 s resync and recheck: only a watch event can be this fast. */
  private static final Duration NOTICED = Duration.ofSeconds(10);

  @Test
  void aReferencedSecretBrokenFixedOrDeletedChangesTheStatusWithinSeconds() {
    readyAt("watched", "1.0.0");
    var secret = client.secrets().inNamespace(namespace).withName(Installations.databaseSecretName("watched"));
    assertThat(secret.get().getMetadata().getLabels()).containsEntry(WatchedSecrets.LABEL, "true");

    secret.edit(s -> {
      s.getData().put("DATABASE_URL", base64("mysql://db.example.com/infracast"));
      return s;
    });
    awaitDegraded("DatabaseUrlInvalid");

    secret.edit(s -> {
      s.getData().put("DATABASE_URL", base64("postgres://infracast:s3cret@db2.example.com:5432/infracast"));
      return s;
    });
    await().atMost(NOTICED).untilAsserted(() -> {
      assertThat(condition("watched", "Degraded").getStatus()).isEqualTo("False");
      assertThat(condition("watched", "Ready").getStatus()).isEqualTo("True");
      assertThat(condition("watched", "DatabaseReady").getMessage()).contains("db2.example.com:5432");
    });

    secret.delete();
    awaitDegraded("DatabaseSecretMissing");
    assertThat(condition("watched", "Ready").getStatus()).isEqualTo("False");
    assertThat(client.apps().deployments().inNamespace(namespace).withName("watched-api").get())
        .as("a Secret gone is no reason to take the running pods down").isNotNull();
  }

  @Test
  void onlyReferencedSecretsAreLabelled() {
    readyAt("labelled", "1.0.0");
    client.resource(Installations.databaseSecret(namespace, "nobody")).serverSideApply();

    assertThat(client.secrets().inNamespace(namespace).withLabel(WatchedSecrets.LABEL, "true").list().getItems())
        .extracting(s -> s.getMetadata().getName())
        .contains(Installations.databaseSecretName("labelled"))
        .doesNotContain(Installations.databaseSecretName("nobody"));
  }

  private static void awaitDegraded(String reason) {
    await().atMost(NOTICED).untilAsserted(() -> assertThat(condition("watched", "Degraded"))
        .extracting(Condition::getStatus, Condition::getReason).containsExactly("True", reason));
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
