package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

/** What the user asks for. Rules that span fields are CEL rules, so the API server itself refuses bad input. */
@Data
@ValidationRule(value = "!has(self.database.deletionPolicy) || self.database.deletionPolicy != 'Delete'"
    + " || (has(self.database.deletionProtection) ? !self.database.deletionProtection : self.profile != 'production')",
    message = "database.deletionPolicy Delete is refused while deletion protection is on (the production profile"
        + " turns it on): set database.deletionProtection to false first",
    fieldPath = ".database.deletionPolicy")
// The next three keep an override consistent with the presets it is merged with (reconciler.Profiles); the preset
// numbers are repeated here because CEL cannot call Java. CrdValidationTest pins them to Profiles.
@ValidationRule(value = "!has(self.api) || !has(self.api.minReplicas) || has(self.api.maxReplicas)"
    + " || self.api.minReplicas <= (self.profile == 'production' ? 10 : 3)",
    message = "api.minReplicas is above the profile's maxReplicas (development 3, production 10): set"
        + " api.maxReplicas as well",
    fieldPath = ".api.minReplicas")
@ValidationRule(value = "!has(self.api) || !has(self.api.maxReplicas) || has(self.api.minReplicas)"
    + " || self.api.maxReplicas >= (self.profile == 'production' ? 2 : 1)",
    message = "api.maxReplicas is below the profile's minReplicas (development 1, production 2): set"
        + " api.minReplicas as well",
    fieldPath = ".api.maxReplicas")
@ValidationRule(value = "!has(self.database.maxStorageGB) || has(self.database.storageGB)"
    + " || self.database.maxStorageGB >= (self.profile == 'production' ? 100 : 20)",
    message = "database.maxStorageGB is below the profile's storageGB (development 20, production 100): set"
        + " database.storageGB as well",
    fieldPath = ".database.maxStorageGB")
public class InfracastInstallationSpec {

  @Required
  @JsonPropertyDescription("development or production: presets from the documented deployment; every field below"
      + " overrides its preset.")
  private Profile profile;

  @Required
  @Size(max = 128)
  @ValidationRule(value = "self.matches(r'^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$')",
      message = "version must be a full release version such as 1.4.2 or 1.5.0-rc.1 (the image tag); latest,"
          + " v1.4.2 and 1.4 are not accepted",
      messageExpression = "'version \"' + self + '\" must be a full release version such as 1.4.2 or 1.5.0-rc.1"
          + " (the image tag); latest, v1.4.2 and 1.4 are not accepted'")
  @JsonPropertyDescription("Infracast version to run, e.g. 1.4.2 (the image tag).")
  private String version;

  private ImageSpec image;

  private ApiSpec api;

  private SecretsSpec secrets;

  @Required
  private DatabaseSpec database;

  @Required
  private ArtifactsSpec artifacts;

  private IngressSpec ingress;

  private ServiceAccountSpec serviceAccount;

  private MigrationSpec migration;
}
