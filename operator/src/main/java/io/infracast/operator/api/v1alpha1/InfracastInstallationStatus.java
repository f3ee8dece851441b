package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import lombok.Data;

/** What the operator observed; written only by the status aggregator. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(KubernetesTypeDescriptions.class)
public class InfracastInstallationStatus {

  @JsonPropertyDescription("The metadata.generation this status describes; lower than metadata.generation until"
      + " the operator has acted on the latest spec.")
  private Long observedGeneration;

  @JsonPropertyDescription("Where the installation is, in one word: Provisioning, Migrating, RollingOut, Ready,"
      + " Degraded or Deleting.")
  private Phase phase;

  @JsonPropertyDescription("Ready, Progressing, Degraded and the data-plane conditions, each with observedGeneration.")
  private List<Condition> conditions = new ArrayList<>();

  /** The condition of {@code type}, if the status has one. */
  public Optional<Condition> condition(String type) {
    return conditions == null ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  @JsonPropertyDescription("Infracast version the available pods serve.")
  private String version;

  @JsonPropertyDescription("Version the database schema has been migrated to; while it differs from"
      + " spec.version a migration Job runs and the pods keep the old image.")
  private String schemaVersion;

  @JsonPropertyDescription("Where users reach the API: https://<ingress.host>, or the in-cluster Service"
      + " (http://<name>-api.<namespace>.svc:<port>) without an ingress.")
  private String url;

  @JsonPropertyDescription("The database in use: where it is and which Secret holds its URL.")
  private DatabaseStatus database;

  @JsonPropertyDescription("The evidence bucket in use.")
  private ArtifactsStatus artifacts;

  @JsonPropertyDescription("The values in effect after the profile's presets and the spec's overrides.")
  private EffectiveSettings effective;

  /** Where the database is and which Secret holds its URL. */
  @Data
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class DatabaseStatus {
    @JsonPropertyDescription("Host and port of the database the API pods connect to.")
    private String endpoint;
    @JsonPropertyDescription("Secret in the installation's namespace whose DATABASE_URL key the API pods read.")
    private String secretName;
    @JsonPropertyDescription("ack: the RDS snapshot taken before the latest migration (its DB snapshot"
        + " identifier), kept by AWS until someone deletes it.")
    private String lastSnapshot;
  }

  /** The evidence bucket in use. */
  @Data
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ArtifactsStatus {
    @JsonPropertyDescription("S3 bucket name (ARTIFACTS_BUCKET of the API pods).")
    private String bucket;
    @JsonPropertyDescription("AWS region of the bucket (AWS_REGION of the API pods).")
    private String region;
  }
}
