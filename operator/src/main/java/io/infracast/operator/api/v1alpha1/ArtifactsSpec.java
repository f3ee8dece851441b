package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

/** The evidence artifacts bucket (S3). */
@Data
@ValidationRule(value = "self.provisioner != 'external' || (has(self.bucketName) && has(self.region))",
    message = "artifacts.bucketName and artifacts.region are required when artifacts.provisioner is external")
@ValidationRule(value = "self.provisioner != 'ack' || has(self.bucketName)",
    message = "artifacts.bucketName is required when artifacts.provisioner is ack: S3 bucket names are global,"
        + " so choose one")
public class ArtifactsSpec {

  @Required
  @JsonPropertyDescription("ack, terraform, or external (an existing bucket).")
  private Provisioner provisioner;

  @Size(max = 63)
  @ValidationRule(value = "self.matches(r'^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$')",
      message = "artifacts.bucketName must be a valid S3 bucket name: 3 to 63 lowercase letters, digits, dots and"
          + " hyphens, beginning and ending with a letter or digit",
      messageExpression = "'artifacts.bucketName \"' + self + '\" is not a valid S3 bucket name: use 3 to 63"
          + " lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit'")
  @JsonPropertyDescription("S3 bucket name (ARTIFACTS_BUCKET).")
  private String bucketName;

  @Size(max = 32)
  @ValidationRule(value = "self.matches(r'^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$')",
      message = "artifacts.region must be an AWS region code such as us-east-1 or eu-west-2",
      messageExpression = "'artifacts.region \"' + self + '\" must be an AWS region code such as us-east-1 or"
          + " eu-west-2'")
  @JsonPropertyDescription("AWS region of the bucket (AWS_REGION), e.g. us-east-1; with ack, unset means the"
      + " ACK S3 controller's own region.")
  private String region;

  @Size(max = 2048)
  @ValidationRule(value = KmsKeyArn.RULE, message = "artifacts.kmsKeyId" + KmsKeyArn.MUST_BE,
      messageExpression = "'artifacts.kmsKeyId \"' + self + '\"" + KmsKeyArn.MUST_BE + "'")
  @JsonPropertyDescription("ack: customer-managed KMS key for the bucket's default encryption (SSE-KMS); unset"
      + " encrypts with S3-managed keys (SSE-S3).")
  private String kmsKeyId;
}
