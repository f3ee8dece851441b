package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Builder;
import lombok.Value;
import lombok.extern.jackson.Jacksonized;

/** The profile's presets merged with the spec's overrides: what the installation really gets. */
@Value
@Builder(toBuilder = true)
@Jacksonized
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EffectiveSettings {
  @JsonPropertyDescription("development or production, from spec.profile.")
  Profile profile;
  @JsonPropertyDescription("CPU request of one API pod, e.g. 500m.")
  String cpu;
  @JsonPropertyDescription("Memory request and limit of one API pod, e.g. 1Gi.")
  String memory;
  @JsonPropertyDescription("Fewest API pods the autoscaler keeps.")
  Integer minReplicas;
  @JsonPropertyDescription("Most API pods the autoscaler may run.")
  Integer maxReplicas;
  @JsonPropertyDescription("Average CPU utilisation the autoscaler aims for, in percent.")
  Integer targetCPUUtilizationPercentage;
  @JsonPropertyDescription("RDS instance class of the database, e.g. db.t3.medium.")
  String instanceClass;
  @JsonPropertyDescription("PostgreSQL engine version of the database.")
  String engineVersion;
  @JsonProperty("multiAZ")
  @JsonPropertyDescription("Whether the database has a standby in a second availability zone.")
  Boolean multiAZ;
  @JsonPropertyDescription("Allocated database storage in GB.")
  Integer storageGB;
  @JsonPropertyDescription("Storage autoscaling ceiling in GB; absent when storage does not autoscale.")
  Integer maxStorageGB;
  @JsonPropertyDescription("Automated backup retention in days.")
  Integer backupRetentionDays;
  @JsonPropertyDescription("Whether RDS Performance Insights is on.")
  Boolean performanceInsights;
  @JsonPropertyDescription("Whether RDS deletion protection is on.")
  Boolean deletionProtection;
  @JsonPropertyDescription("What deleting the installation does to the database: Retain, Snapshot or Delete.")
  DeletionPolicy deletionPolicy;
  @JsonPropertyDescription("Retries of a failed migration pod before its Job fails.")
  Integer migrationBackoffLimit;
  @JsonPropertyDescription("Deadline of one migration Job in seconds.")
  Integer migrationActiveDeadlineSeconds;
  @JsonPropertyDescription("Whether an RDS snapshot is taken before each migration.")
  Boolean snapshotBeforeMigrate;
}
