package io.infracast.operator.data.ack;

import io.infracast.operator.api.v1alpha1.DeletionPolicy;
import io.infracast.operator.api.v1alpha1.EffectiveSettings;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Provisioner;
import io.infracast.operator.data.AwsNames;
import io.infracast.operator.data.DatabaseState;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.migration.MigrationPlan;
import io.infracast.operator.migration.VersionedNames;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The database through ACK's RDS controller: the {@code rds.services.k8s.aws/v1alpha1} objects the operator
 * wants (field names exactly as ACK's published CRDs have them), the names they give AWS, and what ACK's status
 * on them means for the installation.
 */
public final class AckRds {

  public static final String GROUP = "rds.services.k8s.aws";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  /** Master user and database of every instance; the service's schema lives in that database. */
  public static final String MASTER_USERNAME = "infracast";
  public static final String DATABASE_NAME = "infracast";
  /** ACK's annotations read when it deletes an instance in AWS; without them ACK takes no final snapshot. */
  public static final String SKIP_FINAL_SNAPSHOT = GROUP + "/skip-final-snapshot";
  public static final String FINAL_SNAPSHOT_IDENTIFIER = GROUP + "/final-db-snapshot-identifier";
  /** Key of the master password in the operator's Secret, which the DBInstance references. */
  public static final String PASSWORD_KEY = "password";
  /** RDS identifiers: a letter first, letters, digits and single hyphens, no hyphen last. */
  private static final int MAX_IDENTIFIER = 63;
  private static final int MAX_SNAPSHOT_IDENTIFIER = 255;
  /**
   * RDS states in which the instance does not take connections, or may not: the rest (available, backing-up,
   * modifying, maintenance, upgrading, ...) serve, so a nightly backup never turns the database "not ready".
   */
  private static final Set<String> NOT_SERVING = Set.of("creating", "deleting", "failed", "stopped", "stopping",
      "starting", "rebooting", "inaccessible-encryption-credentials", "incompatible-network",
      "incompatible-parameters", "incompatible-restore", "restore-error", "storage-full",
      "insufficient-capacity");

  private AckRds() {}

  /** The DB instance identifier in AWS (see {@link AwsNames}). */
  public static String instanceIdentifier(InfracastInstallation installation) {
    return AwsNames.identifier(installation, MAX_IDENTIFIER);
  }

  /** The snapshot taken before migrating to {@code version}; stable, so a restarted operator finds it. */
  public static String snapshotIdentifier(InfracastInstallation installation, String version) {
    return VersionedNames.of(instanceIdentifier(installation) + "-pre-", version, "", MAX_SNAPSHOT_IDENTIFIER);
  }

  /**
   * The snapshot AWS takes when it deletes the instance. It names the installation's uid: an installation made
   * again under the same name gets an instance of the same identifier, and its final snapshot must not collide.
   */
  public static String finalSnapshotIdentifier(InfracastInstallation installation) {
    return instanceIdentifier(installation) + "-final-" + installation.getMetadata().getUid().substring(0, 8);
  }

  /**
   * What ACK does in AWS once the instance's retain annotation is gone and the DBInstance is deleted: a final
   * snapshot, except under deletionPolicy Delete. Retain asks for one too, in case someone removes the annotation
   * by hand.
   */
  public static Map<String, String> deletionAnnotations(InfracastInstallation installation, DeletionPolicy policy) {
    return policy == DeletionPolicy.Delete ? Map.of(SKIP_FINAL_SNAPSHOT, "true")
        : Map.of(SKIP_FINAL_SNAPSHOT, "false", FINAL_SNAPSHOT_IDENTIFIER, finalSnapshotIdentifier(installation));
  }

  /**
   * The DBInstance's spec from the effective settings: encrypted, private, gp3, tagged with the tenant, its
   * master password read by ACK from {@code passwordSecret}.
   */
  public static Map<String, Object> instanceSpec(InfracastInstallation installation, EffectiveSettings settings,
      String passwordSecret, Optional<String> subnetGroupName) {
    var database = installation.getSpec().getDatabase();
    var spec = new LinkedHashMap<String, Object>();
    spec.put("dbInstanceIdentifier", instanceIdentifier(installation));
    spec.put("engine", "postgres");
    spec.put("engineVersion", settings.getEngineVersion());
    spec.put("dbInstanceClass", settings.getInstanceClass());
    spec.put("allocatedStorage", settings.getStorageGB());
    if (settings.getMaxStorageGB() != null) {
      spec.put("maxAllocatedStorage", settings.getMaxStorageGB());
    }
    spec.put("storageType", "gp3");
    spec.put("storageEncrypted", true);
    if (database.getKmsKeyId() != null) {
      spec.put("kmsKeyID", database.getKmsKeyId());
    }
    spec.put("multiAZ", settings.getMultiAZ());
    spec.put("backupRetentionPeriod", settings.getBackupRetentionDays());
    spec.put("copyTagsToSnapshot", true);
    spec.put("performanceInsightsEnabled", settings.getPerformanceInsights());
    spec.put("deletionProtection", settings.getDeletionProtection());
    spec.put("publiclyAccessible", false);
    subnetGroupName.ifPresent(group -> spec.put("dbSubnetGroupName", group));
    if (database.getSecurityGroupIds() != null && !database.getSecurityGroupIds().isEmpty()) {
      spec.put("vpcSecurityGroupIDs", List.copyOf(database.getSecurityGroupIds()));
    }
    spec.put("dbName", DATABASE_NAME);
    spec.put("masterUsername", MASTER_USERNAME);
    spec.put("masterUserPassword", Map.of("namespace", installation.getMetadata().getNamespace(),
        "name", passwordSecret, "key", PASSWORD_KEY));
    spec.put("tags", tags(installation));
    return spec;
  }

  /** The DBSubnetGroup's spec over the CR's subnets; AWS names it like the instance. */
  public static Map<String, Object> subnetGroupSpec(InfracastInstallation installation) {
    var spec = new LinkedHashMap<String, Object>();
    spec.put("name", instanceIdentifier(installation));
    spec.put("description", "Infracast installation " + installation.getMetadata().getNamespace() + "/"
        + installation.getMetadata().getName());
    spec.put("subnetIDs", List.copyOf(installation.getSpec().getDatabase().getSubnetIds()));
    spec.put("tags", tags(installation));
    return spec;
  }

  /** The DBSnapshot's spec: a manual snapshot of the instance, kept by AWS until someone deletes it. */
  public static Map<String, Object> snapshotSpec(InfracastInstallation installation, String version) {
    var spec = new LinkedHashMap<String, Object>();
    spec.put("dbInstanceIdentifier", instanceIdentifier(installation));
    spec.put("dbSnapshotIdentifier", snapshotIdentifier(installation, version));
    spec.put("tags", tags(installation));
    return spec;
  }

  static List<Map<String, String>> tags(InfracastInstallation installation) {
    return List.of(
        Map.of("key", "infracast.io/installation", "value", installation.getMetadata().getName()),
        Map.of("key", "infracast.io/namespace", "value", installation.getMetadata().getNamespace()),
        Map.of("key", InstallationLabels.MANAGED_BY, "value", InstallationLabels.OPERATOR_NAME));
  }

  /** Whether the subnets gave their own DBSubnetGroup (ACK synced it), or the instance needs none of ours. */
  public static boolean subnetGroupReady(InfracastInstallation installation, Optional<DBSubnetGroup> group) {
    return !ownsSubnetGroup(installation) || group.map(AckStatus::of).filter(AckStatus::synced).isPresent();
  }

  public static boolean ownsSubnetGroup(InfracastInstallation installation) {
    var subnets = installation.getSpec().getDatabase().getSubnetIds();
    return subnets != null && !subnets.isEmpty();
  }

  /**
   * The database as ACK reports it: ready once the instance has an endpoint and is in a state that serves;
   * {@code ACK.Terminal} on either object is a problem with ACK's own message; anything else is on its way, with
   * the RDS status (creating, backing-up, ...) and ACK's reason.
   *
   * @param served whether the cluster serves ACK's RDS kinds (see {@link AckApis})
   */
  public static DatabaseState state(InfracastInstallation installation, boolean served,
      Optional<DBSubnetGroup> group, Optional<DBInstance> instance) {
    var identifier = instanceIdentifier(installation);
    if (!served) {
      return DatabaseState.notReady("AckCrdMissing", "the CRDs " + AckApis.crdNames(AckApis.DATABASE_KINDS)
          + " are not all installed, so RDS instance " + identifier + " cannot be provisioned through ACK:"
          + " install ACK's RDS controller (rds-controller); the operator carries on by itself once it is there");
    }
    var namespace = installation.getMetadata().getNamespace();
    if (ownsSubnetGroup(installation) && group.isPresent()) {
      var refused = AckStatus.of(group.get()).terminal();
      if (refused.isPresent()) {
        return DatabaseState.notReady("AckTerminal", "ACK cannot provision the DB subnet group of RDS instance "
            + identifier + " (DBSubnetGroup " + namespace + "/" + group.get().getMetadata().getName() + "): "
            + refused.get());
      }
    }
    if (instance.isEmpty()) {
      return DatabaseState.provisioning("DatabasePending", subnetGroupReady(installation, group)
          ? "RDS instance " + identifier + " is being requested from ACK"
          : "the DB subnet group of RDS instance " + identifier + " is being created; the instance follows");
    }
    var object = "DBInstance " + namespace + "/" + instance.get().getMetadata().getName();
    var status = AckStatus.of(instance.get());
    var refused = status.terminal();
    if (refused.isPresent()) {
      return DatabaseState.notReady("AckTerminal", "ACK cannot provision RDS instance " + identifier + " ("
          + object + "): " + refused.get());
    }
    String rdsStatus = Optional.ofNullable(status.<String>get("dbInstanceStatus")).orElse("not reported yet");
    String address = status.get("endpoint", "address");
    Number port = status.get("endpoint", "port");
    if (address != null && port != null && !NOT_SERVING.contains(rdsStatus)) {
      return DatabaseState.ready("AckDatabase", "RDS instance " + identifier + " is " + rdsStatus + " at "
          + address + ":" + port + " (" + status.arn() + ")", address + ":" + port);
    }
    var why = status.notSyncedBecause().map(m -> "; ACK: " + m).orElse("");
    return DatabaseState.provisioning("Database" + camel(rdsStatus), "RDS instance " + identifier + " ("
        + object + ") is " + rdsStatus + why);
  }

  /** backing-up → BackingUp, for a condition reason. */
  private static String camel(String rdsStatus) {
    var b = new StringBuilder();
    for (var part : rdsStatus.split("[^A-Za-z0-9]+")) {
      if (!part.isEmpty()) {
        b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return b.toString();
  }

  /**
   * The migration plan once the snapshot before it is accounted for: with snapshotBeforeMigrate, an upgrade's
   * Job starts only once the DBSnapshot of its target version is available; a snapshot AWS refused or failed
   * keeps the migration waiting, with the reason, while the old version serves. A first install has nothing to
   * snapshot.
   */
  public static MigrationPlan gateOnSnapshot(InfracastInstallation installation, EffectiveSettings settings,
      MigrationPlan plan, Optional<DBSnapshot> snapshot) {
    if (installation.getSpec().getDatabase().getProvisioner() != Provisioner.ACK
        || !Boolean.TRUE.equals(settings.getSnapshotBeforeMigrate()) || plan.step() != MigrationPlan.Step.START_JOB
        || plan.schemaVersion() == null) {
      return plan;
    }
    var target = plan.targetVersion();
    var identifier = snapshotIdentifier(installation, target);
    if (snapshot.isEmpty()) {
      return plan.waitingForSnapshot("taking RDS snapshot " + identifier + " before migrating to version " + target,
          null);
    }
    var status = AckStatus.of(snapshot.get());
    String awsStatus = status.get("status");
    var failure = status.terminal().or(() -> Optional.ofNullable("failed".equals(awsStatus)
        ? "AWS reports the snapshot failed" : null));
    if (failure.isPresent()) {
      return plan.waitingForSnapshot("RDS snapshot " + identifier + " before migrating to version " + target
          + " failed: " + failure.get() + "; version " + plan.servingVersion() + " keeps serving. Delete DBSnapshot "
          + installation.getMetadata().getNamespace() + "/" + snapshot.get().getMetadata().getName()
          + " to take it again, or set spec.migration.snapshotBeforeMigrate to false to migrate without one",
          failure.get());
    }
    if ("available".equals(awsStatus) && status.synced()) {
      return plan;
    }
    return plan.waitingForSnapshot("RDS snapshot " + identifier + " before migrating to version " + target + " is "
        + Optional.ofNullable(awsStatus).orElse("requested"), null);
  }

  /** The identifier of the newest available snapshot the operator took, if any. */
  public static String lastSnapshot(Collection<DBSnapshot> snapshots) {
    return snapshots.stream()
        .filter(s -> "available".equals(AckStatus.of(s).get("status")))
        .max(Comparator.comparing(s -> s.getMetadata().getCreationTimestamp()))
        .map(s -> (String) s.getSpec().get("dbSnapshotIdentifier")).orElse(null);
  }
}
