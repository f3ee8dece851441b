package io.infracast.operator.dependent;

import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.migration.VersionedNames;

/** Names of the objects an installation owns, all derived from the installation's own name. */
public final class ObjectNames {

  private ObjectNames() {}

  /** Deployment, Service, HPA, PDB, NetworkPolicy, Ingress and ServiceAccount of the API. */
  public static String api(InfracastInstallation installation) {
    return installation.getMetadata().getName() + "-api";
  }

  public static String config(InfracastInstallation installation) {
    return installation.getMetadata().getName() + "-config";
  }

  /** The JWT Secret the operator generates when the spec references none. */
  public static String generatedJwtSecret(InfracastInstallation installation) {
    return installation.getMetadata().getName() + "-jwt";
  }

  /** The generated keys that seal the service's stored secrets and sign its evidence (no secrets.serviceKeysRef). */
  public static String generatedServiceKeys(InfracastInstallation installation) {
    return installation.getMetadata().getName() + "-keys";
  }

  /** The copy of the JWT key the operator reads from AWS Secrets Manager (secrets.jwtSecretArn). */
  public static String awsJwtSecret(InfracastInstallation installation) {
    return installation.getMetadata().getName() + "-jwt-aws";
  }

  /** DATABASE_URL made from the credentials in AWS Secrets Manager (database.credentialsSecretArn). */
  public static String awsDatabaseUrlSecret(InfracastInstallation installation) {
    return installation.getMetadata().getName() + "-db-url-aws";
  }

  /** The ConfigMap recording the installation's migrations (see MigrationLedger). */
  public static String migrationLedger(InfracastInstallation installation) {
    return installation.getMetadata().getName() + "-migrations";
  }

  /** ACK's Bucket object of the evidence bucket (artifacts.provisioner ack). */
  public static String bucket(InfracastInstallation installation) {
    return installation.getMetadata().getName() + "-artifacts";
  }

  /** The DATABASE_URL Secret of a database the operator provisions (ack); pods read it by secretKeyRef. */
  public static String databaseUrlSecret(InfracastInstallation installation) {
    return installation.getMetadata().getName() + "-db-url";
  }

  /** The RDS master password the operator generated once (ack). */
  public static String databaseMasterSecret(InfracastInstallation installation) {
    return installation.getMetadata().getName() + "-db-master";
  }

  /** ACK's DBInstance and DBSubnetGroup objects of the database (database.provisioner ack). */
  public static String database(InfracastInstallation installation) {
    return installation.getMetadata().getName() + "-db";
  }

  /** ACK's DBSnapshot object of the snapshot taken before migrating to {@code version}. */
  public static String migrationSnapshot(InfracastInstallation installation, String version) {
    return VersionedNames.of(installation.getMetadata().getName() + "-db-pre-", version, "", 253);
  }
}
