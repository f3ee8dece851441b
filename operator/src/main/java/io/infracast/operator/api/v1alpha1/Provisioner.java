package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who creates the database or the bucket. */
public enum Provisioner {
  /** AWS Controllers for Kubernetes (RDS and S3 controllers). */
  @JsonProperty("ack")
  ACK,
  /** A Job that applies terraform/modules/infracast-data. */
  @JsonProperty("terraform")
  TERRAFORM,
  /** The user supplies it (a Secret with DATABASE_URL; a bucket name and region). */
  @JsonProperty("external")
  EXTERNAL
}
