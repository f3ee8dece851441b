package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

/** What the user asks for. Rules that span fields are CEL rules, so the API server itself refuses bad input. */
@Data
@ValidationRule(value = "!has(self.database.deletionPolicy) || self.database.deletionPolicy != 'Delete'"
    + " || (has(self.database.deletionProtection) ? !self.database.deletionProtection : self.profile != 'production')",
    message = "database.deletionPolicy Delete is refused while deletion protection is on (the production profile"
        + " turns it on): set database.deletionProtection to false first")
public class InfracastInstallationSpec {

  @Required
  @JsonPropertyDescription("development or production: presets from the documented deployment; every field below"
      + " overrides its preset.")
  private Profile profile;

  @Required
  @Pattern("^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$")
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
