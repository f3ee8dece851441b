package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.infracast.operator.migration.Versions;
import lombok.Data;

/** What the user asks for. Rules that span fields are CEL rules, so the API server itself refuses bad input. */
@Data
// Snapshot deletes the instance too (after its final snapshot), which deletion protection forbids AWS to do.
@ValidationRule(value = "!has(self.database.deletionPolicy) || self.database.deletionPolicy == 'Retain'"
    + " || (has(self.database.deletionProtection) ? !self.database.deletionProtection : self.profile != 'production')",
    messageExpression = "'database.deletionPolicy ' + self.database.deletionPolicy + ' deletes the RDS instance,"
        + " which deletion protection forbids (the production profile turns it on): set"
        + " database.deletionProtection to false first, or keep deletionPolicy Retain'",
    message = "database.deletionPolicy Snapshot and Delete are refused while deletion protection is on",
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
// One infracast-data apply makes the database and the bucket together.
@ValidationRule(value = "(self.database.provisioner == 'terraform') == (self.artifacts.provisioner == 'terraform')",
    message = "terraform provisions the database and the bucket together (terraform/modules/infracast-data): set"
        + " database.provisioner and artifacts.provisioner both to terraform, or neither",
    fieldPath = ".artifacts.provisioner")
@ValidationRule(value = "self.database.provisioner != 'terraform' || (has(self.terraform) && has(self.terraform.vpcId)"
    + " && has(self.database.subnetIds))",
    message = "the terraform provisioner needs terraform.vpcId and database.subnetIds (two or more, in two AZs)",
    fieldPath = ".terraform")
public class InfracastInstallationSpec {

  /** The longest a label value may be. */
  public static final int MAX_VERSION_LENGTH = 63;

  @Required
  @JsonPropertyDescription("development or production: presets from the documented deployment; every field below"
      + " overrides its preset.")
  private Profile profile;

  @Required
  // The version is also a label value of the Deployment's pods and of the migration Job: at most 63 characters,
  // ending with a letter or digit.
  @Size(max = MAX_VERSION_LENGTH)
  @ValidationRule(value = "self.matches(r'" + Versions.GRAMMAR + "')",
      message = "version must be a semantic version such as 1.4.2 or 1.5.0-rc.1 (the image tag): no leading v,"
          + " no leading zeros, no +build metadata",
      messageExpression = "'version \"' + self + '\" must be a semantic version such as 1.4.2 or 1.5.0-rc.1 (the"
          + " image tag): no leading v, no leading zeros, no +build metadata'")
  @ValidationRule(value = "!self.endsWith('-')",
      message = "version must not end with a dash: it is also a label value, which ends with a letter or digit",
      messageExpression = "'version \"' + self + '\" must not end with a dash: it is also a label value, which"
          + " ends with a letter or digit'")
  @JsonPropertyDescription("Infracast version to run, a semantic version such as 1.4.2 or 1.5.0-rc.1 (the image"
      + " tag, also a label value: at most 63 characters, without +build metadata).")
  private String version;

  @JsonPropertyDescription("Where the API image comes from (the tag is always version); unset: repository"
      + " infracast/vulcan-api, pull policy IfNotPresent.")
  private ImageSpec image;

  @JsonPropertyDescription("The API Deployment and its autoscaler; every unset field takes the profile's value.")
  private ApiSpec api;

  @JsonPropertyDescription("Where the API's JWT signing key comes from; unset: the operator generates one.")
  private SecretsSpec secrets;

  @Required
  @JsonPropertyDescription("The installation's PostgreSQL 15: who provisions it (ack, terraform or external),"
      + " its size and what deleting the installation does to it; unset sizing fields take the profile's value.")
  private DatabaseSpec database;

  @Required
  @JsonPropertyDescription("The S3 bucket for evidence artifacts: who provisions it, or the name and region of"
      + " an existing one (external).")
  private ArtifactsSpec artifacts;

  @JsonPropertyDescription("The terraform provisioner's runner (database.provisioner and artifacts.provisioner"
      + " terraform): the VPC, the runner image and its AWS identity.")
  private TerraformSpec terraform;

  @JsonPropertyDescription("Public HTTPS entry through the AWS Load Balancer Controller; unset: no Ingress, the"
      + " API is reachable only inside the cluster.")
  private IngressSpec ingress;

  @JsonPropertyDescription("The API pods' identity in AWS (IAM Roles for Service Accounts); unset: no role.")
  private ServiceAccountSpec serviceAccount;

  @JsonPropertyDescription("How schema migration Jobs run and how to retry a failed one; unset fields take"
      + " their defaults.")
  private MigrationSpec migration;
}
