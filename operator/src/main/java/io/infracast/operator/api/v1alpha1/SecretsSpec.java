package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

/** Where the API's JWT signing key comes from. */
@Data
@ValidationRule(value = "!has(self.jwtSecretRef) || !has(self.jwtSecretArn)",
    message = "set secrets.jwtSecretRef (a Secret in the installation's namespace) or secrets.jwtSecretArn (a"
        + " secret in AWS Secrets Manager), not both",
    fieldPath = ".jwtSecretArn")
public class SecretsSpec {

  @JsonPropertyDescription("Secret holding JWT_SECRET (key default JWT_SECRET). Unset, with no jwtSecretArn: the"
      + " operator generates one once and keeps it.")
  private SecretKeyRef jwtSecretRef;

  @Size(max = 2048)
  @ValidationRule(value = SecretArn.RULE, message = "secrets.jwtSecretArn" + SecretArn.MUST_BE,
      messageExpression = "'secrets.jwtSecretArn \"' + self + '\"" + SecretArn.MUST_BE + "'")
  @JsonPropertyDescription("AWS Secrets Manager secret whose string value is the JWT signing key, at least 32"
      + " bytes. The operator copies it into the Secret <name>-jwt-aws and reads it again every AWS_REREAD_SECONDS"
      + " (default 300), so a rotation rolls the pods.")
  private String jwtSecretArn;

  @JsonPropertyDescription("Secret holding the service's keys: ENCRYPTION_KEYS (AES-256 keys sealing stored"
      + " discovery credentials and webhook secrets, id:base64 entries, the first seals) and EVIDENCE_SIGNING_KEY"
      + " (base64 PKCS#8 Ed25519 private key signing evidence). Unset: the operator generates <name>-keys"
      + " once and keeps it, also after the installation is deleted, since the retained database and evidence"
      + " bucket need these keys.")
  private SecretRef serviceKeysRef;
}
