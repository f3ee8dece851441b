package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** Where the API's JWT signing key comes from. */
@Data
public class SecretsSpec {

  @JsonPropertyDescription("Secret holding JWT_SECRET (key default JWT_SECRET). Unset: the operator generates one"
      + " once and keeps it.")
  private SecretKeyRef jwtSecretRef;
}
