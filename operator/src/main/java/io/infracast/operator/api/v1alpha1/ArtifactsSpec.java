package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

/** The evidence artifacts bucket (S3). */
@Data
@ValidationRule(value = "self.provisioner != 'external' || (has(self.bucketName) && has(self.region))",
    message = "artifacts.bucketName and artifacts.region are required when artifacts.provisioner is external")
public class ArtifactsSpec {

  @Required
  @JsonPropertyDescription("ack, terraform, or external (an existing bucket).")
  private Provisioner provisioner;

  @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
  @JsonPropertyDescription("S3 bucket name (ARTIFACTS_BUCKET).")
  private String bucketName;

  @Pattern("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$")
  @JsonPropertyDescription("AWS region of the bucket (AWS_REGION), e.g. us-east-1.")
  private String region;
}
