package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import lombok.Builder;
import lombok.Value;
import lombok.extern.jackson.Jacksonized;

/** The profile's presets merged with the spec's overrides: what the installation really gets. */
@Value
@Builder(toBuilder = true)
@Jacksonized
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EffectiveSettings {
  Profile profile;
  String cpu;
  String memory;
  Integer minReplicas;
  Integer maxReplicas;
  Integer targetCPUUtilizationPercentage;
  String instanceClass;
  String engineVersion;
  @JsonProperty("multiAZ")
  Boolean multiAZ;
  Integer storageGB;
  Integer maxStorageGB;
  Integer backupRetentionDays;
  Boolean performanceInsights;
  Boolean deletionProtection;
  DeletionPolicy deletionPolicy;
  Integer migrationBackoffLimit;
  Integer migrationActiveDeadlineSeconds;
  Boolean snapshotBeforeMigrate;
}
