package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

/** The API pods' identity in AWS (IAM Roles for Service Accounts). */
@Data
public class ServiceAccountSpec {

  @Size(max = 2048)
  @ValidationRule(value = "self.matches(r'^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$')",
      message = "serviceAccount.roleArn must be an IAM role ARN with a 12-digit account id such as"
          + " arn:aws:iam::123456789012:role/infracast",
      messageExpression = "'serviceAccount.roleArn \"' + self + '\" must be an IAM role ARN with a 12-digit account"
          + " id such as arn:aws:iam::123456789012:role/infracast'")
  @JsonPropertyDescription("IAM role for S3 and Secrets Manager, set as eks.amazonaws.com/role-arn.")
  private String roleArn;
}
