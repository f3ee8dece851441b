package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.infracast.contract.RuntimeSettings;
import java.util.List;
import lombok.Data;

/** The installation's PostgreSQL 15; unset sizing fields take the profile's value. */
@Data
@ValidationRule(value = "self.provisioner != 'external' || has(self.externalSecretRef)"
    + " || has(self.credentialsSecretArn)",
    message = "database.externalSecretRef is required when database.provisioner is external: name the Secret"
        + " that holds DATABASE_URL (or give database.credentialsSecretArn, a secret in AWS Secrets Manager)",
    fieldPath = ".externalSecretRef")
@ValidationRule(value = "!has(self.externalSecretRef) || !has(self.credentialsSecretArn)",
    message = "set database.externalSecretRef (a Secret in the installation's namespace) or"
        + " database.credentialsSecretArn (a secret in AWS Secrets Manager), not both",
    fieldPath = ".credentialsSecretArn")
@ValidationRule(value = "!has(self.credentialsSecretArn) || self.provisioner == 'external'",
    message = "database.credentialsSecretArn is only for database.provisioner external: ack and terraform make"
        + " the master password themselves",
    fieldPath = ".credentialsSecretArn")
@ValidationRule(value = "!has(self.storageGB) || !has(self.maxStorageGB) || self.maxStorageGB >= self.storageGB",
    message = "database.maxStorageGB must be at least database.storageGB",
    fieldPath = ".maxStorageGB")
@ValidationRule(value = "!has(self.subnetIds) || !has(self.subnetGroupName)",
    message = "set database.subnetIds (the operator makes a DB subnet group over them) or database.subnetGroupName"
        + " (an existing group), not both",
    fieldPath = ".subnetGroupName")
public class DatabaseSpec {

  public static final String DATABASE_URL_KEY = RuntimeSettings.DATABASE_URL;

  @Required
  @JsonPropertyDescription("ack (RDS through AWS Controllers for Kubernetes), terraform, or external (you give"
      + " a Secret with DATABASE_URL).")
  private Provisioner provisioner;

  @Size(max = 64)
  @ValidationRule(value = "self.matches(r'^db\\.[a-z0-9]+\\.[a-z0-9]+$')",
      message = "database.instanceClass must be an RDS instance class such as db.t3.medium or db.r5.large",
      messageExpression = "'database.instanceClass \"' + self + '\" must be an RDS instance class such as"
          + " db.t3.medium or db.r5.large'")
  @JsonPropertyDescription("RDS instance class (development db.t3.medium, production db.r5.large).")
  private String instanceClass;

  @Size(max = 16)
  @ValidationRule(value = "self.matches(r'^15(\\.[0-9]+)?$')",
      message = "database.engineVersion must be 15 or a 15.x minor version such as 15.7: Infracast needs"
          + " PostgreSQL 15",
      messageExpression = "'database.engineVersion \"' + self + '\" is not supported: Infracast needs PostgreSQL 15"
          + " (15 or a 15.x minor version such as 15.7)'")
  @JsonPropertyDescription("PostgreSQL engine version; Infracast needs 15. Default 15.")
  private String engineVersion;

  @JsonProperty("multiAZ")
  @JsonPropertyDescription("Standby in a second availability zone (development false, production true).")
  private Boolean multiAZ;

  @Min(20)
  @Max(65536)
  @JsonPropertyDescription("Allocated gp3 storage in GB (development 20, production 100).")
  private Integer storageGB;

  @Min(20)
  @Max(65536)
  @JsonPropertyDescription("Storage autoscaling ceiling in GB; production default 1000, development none.")
  private Integer maxStorageGB;

  @Min(1)
  @Max(35)
  @JsonPropertyDescription("Automated backup retention in days (development 7, production 35).")
  private Integer backupRetentionDays;

  @JsonPropertyDescription("RDS Performance Insights (development false, production true).")
  private Boolean performanceInsights;

  @JsonPropertyDescription("RDS deletion protection (development false, production true); while on,"
      + " deletionPolicy Snapshot and Delete are refused.")
  private Boolean deletionProtection;

  @Size(max = 2048)
  @ValidationRule(value = KmsKeyArn.RULE, message = "database.kmsKeyId" + KmsKeyArn.MUST_BE,
      messageExpression = "'database.kmsKeyId \"' + self + '\"" + KmsKeyArn.MUST_BE + "'")
  @JsonPropertyDescription("Customer-managed KMS key for storage encryption; unset uses the AWS-managed key.")
  private String kmsKeyId;

  @JsonPropertyDescription("Data-tier subnets (two AZs or more) for a DB subnet group the operator makes (ack and"
      + " terraform).")
  private List<@Pattern("^subnet-[0-9a-f]+$") String> subnetIds;

  @Size(max = 255)
  @JsonPropertyDescription("ack and terraform: an existing DB subnet group for the instance, instead of"
      + " database.subnetIds.")
  private String subnetGroupName;

  @JsonPropertyDescription("Security groups of the database (ack and terraform).")
  private List<@Pattern("^sg-[0-9a-f]+$") String> securityGroupIds;

  @JsonPropertyDescription("external: the Secret holding the connection URL (key default DATABASE_URL).")
  private SecretKeyRef externalSecretRef;

  @Size(max = 2048)
  @ValidationRule(value = SecretArn.RULE, message = "database.credentialsSecretArn" + SecretArn.MUST_BE,
      messageExpression = "'database.credentialsSecretArn \"' + self + '\"" + SecretArn.MUST_BE + "'")
  @JsonPropertyDescription("external: AWS Secrets Manager secret with the database's credentials, instead of"
      + " externalSecretRef: a postgres:// URL, or JSON with username, password, host, port (default 5432) and"
      + " dbname (default infracast), as RDS and Secrets Manager's rotation functions write it. The operator"
      + " writes DATABASE_URL into the Secret <name>-db-url-aws and reads it again every AWS_REREAD_SECONDS"
      + " (default 300), so a rotation rolls the pods.")
  private String credentialsSecretArn;

  @JsonPropertyDescription("ack: what deleting the installation does to the RDS instance. Retain (default) keeps"
      + " it in AWS; Snapshot has AWS take a final snapshot, then delete it; Delete deletes it without one. Snapshot"
      + " and Delete are refused while deletion protection is on. The evidence bucket and the snapshots taken"
      + " before migrations are always kept.")
  private DeletionPolicy deletionPolicy;
}
