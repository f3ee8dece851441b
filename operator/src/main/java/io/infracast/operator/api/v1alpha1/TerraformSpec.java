package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

/** How the terraform provisioner's runner applies terraform/modules/infracast-data. */
@Data
public class TerraformSpec {

  /** The runner image when runnerImage is unset: OpenTofu and this release's modules (terraform/runner/). */
  public static final String DEFAULT_RUNNER_IMAGE = "infracast/tofu-runner:0.1.0";

  @Pattern("^vpc-[0-9a-f]+$")
  @JsonPropertyDescription("VPC of the database's security group (the module's vpc_id); required with terraform.")
  private String vpcId;

  @Size(max = 512)
  @JsonPropertyDescription("Image of the OpenTofu runner, built from terraform/runner/Dockerfile; its tag versions"
      + " the modules, so pin one. Default " + DEFAULT_RUNNER_IMAGE + ".")
  private String runnerImage;

  @Size(max = 2048)
  @ValidationRule(value = IamRoleArn.RULE, message = "terraform.roleArn" + IamRoleArn.MUST_BE + "infracast-tofu",
      messageExpression = "'terraform.roleArn \"' + self + '\"" + IamRoleArn.MUST_BE + "infracast-tofu'")
  @JsonPropertyDescription("IAM role the runner's ServiceAccount assumes (IRSA, eks.amazonaws.com/role-arn): it"
      + " creates and deletes the RDS instance, its groups, the bucket and (prod) a KMS key.")
  private String roleArn;

  @Size(max = 253)
  @JsonPropertyDescription("Instead of roleArn: a Secret of this namespace with AWS_ACCESS_KEY_ID and"
      + " AWS_SECRET_ACCESS_KEY, which the runner gets through secretKeyRef only.")
  private String credentialsSecretName;
}
