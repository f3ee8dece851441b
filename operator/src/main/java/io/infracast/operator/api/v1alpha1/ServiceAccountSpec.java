package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import lombok.Data;

/** The API pods' identity in AWS (IAM Roles for Service Accounts). */
@Data
public class ServiceAccountSpec {

  @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$")
  @JsonPropertyDescription("IAM role for S3 and Secrets Manager, set as eks.amazonaws.com/role-arn.")
  private String roleArn;
}
