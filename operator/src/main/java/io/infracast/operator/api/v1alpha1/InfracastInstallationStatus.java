package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;

/** What the operator observed; written only by the status aggregator. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InfracastInstallationStatus {

  private Long observedGeneration;

  private Phase phase;

  @JsonPropertyDescription("Ready, Progressing, Degraded and the data-plane conditions, each with observedGeneration.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Infracast version the available pods serve.")
  private String version;

  @JsonPropertyDescription("Version the database schema has been migrated to.")
  private String schemaVersion;

  @JsonPropertyDescription("Where users reach the API.")
  private String url;

  private DatabaseStatus database;

  private ArtifactsStatus artifacts;

  @JsonPropertyDescription("The values in effect after the profile's presets and the spec's overrides.")
  private EffectiveSettings effective;

  /** Where the database is and which Secret holds its URL. */
  @Data
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class DatabaseStatus {
    private String endpoint;
    private String secretName;
  }

  /** The evidence bucket in use. */
  @Data
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ArtifactsStatus {
    private String bucket;
    private String region;
  }
}
