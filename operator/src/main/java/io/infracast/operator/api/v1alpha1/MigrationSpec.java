package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import lombok.Data;

/** How schema migration Jobs run. */
@Data
public class MigrationSpec {

  @Min(0)
  @Max(10)
  @JsonPropertyDescription("Retries of a failed migration pod before the Job fails; default 2.")
  private Integer backoffLimit;

  @Min(60)
  @Max(86400)
  @JsonPropertyDescription("Deadline of one migration Job in seconds; default 1800.")
  private Integer activeDeadlineSeconds;

  @JsonPropertyDescription("Take an RDS snapshot before migrating (ack only); default true for production.")
  private Boolean snapshotBeforeMigrate;

  @Min(0)
  @JsonPropertyDescription("Raise by one to retry a failed migration: each value runs one new migration Job.")
  private Integer retry;
}
