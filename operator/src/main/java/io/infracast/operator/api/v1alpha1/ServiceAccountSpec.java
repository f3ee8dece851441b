package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

/** The API pods' identity in AWS (IAM Roles for Service Accounts). */
@Data
public class ServiceAccountSpec {

  @Size(max = 2048)
  @ValidationRule(value = IamRoleArn.RULE, message = "serviceAccount.roleArn" + IamRoleArn.MUST_BE + "infracast",
      messageExpression = "'serviceAccount.roleArn \"' + self + '\"" + IamRoleArn.MUST_BE + "infracast'")
  @JsonPropertyDescription("IAM role for S3 and Secrets Manager, set as eks.amazonaws.com/role-arn.")
  private String roleArn;
}
