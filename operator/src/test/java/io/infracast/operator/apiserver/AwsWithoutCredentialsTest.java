package io.infracast.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.infracast.operator.api.v1alpha1.SecretsSpec;
import io.infracast.operator.reconciler.StatusAggregator;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorTestBase;
import org.junit.jupiter.api.Test;

/**
 * An operator without AWS credentials (no IRSA role), as every {@link OperatorTestBase} without moto: an external
 * bucket is not checked, which the status says without calling it a problem; a secret from AWS cannot be read,
 * which is one.
 */
class AwsWithoutCredentialsTest extends OperatorTestBase {

  @Test
  void anExternalBucketIsNotCheckedAndTheStatusSaysWhyWithoutDegrading() {
    readyAt("plain", "1.0.0");

    assertThat(condition("plain", StatusAggregator.ARTIFACT_STORE_CHECKED)).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("CheckSkippedNoCredentials");
      assertThat(c.getMessage()).startsWith("bucket plain-evidence was not checked: the operator has no AWS"
          + " credentials (").endsWith("); give its service account an IAM role allowed"
          + " s3:GetEncryptionConfiguration and s3:GetBucketPublicAccessBlock to check it");
    });
    assertThat(condition("plain", StatusAggregator.DEGRADED).getStatus()).isEqualTo("False");
    assertThat(condition("plain", StatusAggregator.READY).getStatus()).isEqualTo("True");
  }

  @Test
  void aSecretFromAwsCannotBeReadAndTheStatusSaysSo() {
    client.resource(Installations.databaseSecret(namespace, "keyless")).serverSideApply();
    var installation = Installations.development(namespace, "keyless");
    var secrets = new SecretsSpec();
    var arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:keyless/jwt-AbCdEf";
    secrets.setJwtSecretArn(arn);
    installation.getSpec().setSecrets(secrets);
    client.resource(installation).create();

    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() ->
        assertThat(condition("keyless", StatusAggregator.DEGRADED)).satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("True");
          assertThat(c.getReason()).isEqualTo("JwtAwsCredentialsMissing");
          assertThat(c.getMessage()).startsWith("AWS secret " + arn + " (secrets.jwtSecretArn): the operator has"
              + " no AWS credentials to read it: ");
        }));
    assertThat(client.apps().deployments().inNamespace(namespace).withName("keyless-api").get()).isNull();
  }
}
