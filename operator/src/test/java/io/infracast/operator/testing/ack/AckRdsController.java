package io.infracast.operator.testing.ack;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infracast.operator.data.ack.AckRds;
import io.infracast.testing.aws.MotoServer;
import io.infracast.testing.postgres.ThrowawayPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Plays ACK's RDS controller (aws-controllers-k8s/rds-controller) for the DBSubnetGroup, DBInstance and
 * DBSnapshot objects of one namespace (see {@link AckKindController}). A new instance or snapshot reports
 * {@code creating} (Synced False) first and its AWS state on the next look, as ACK's requeue does. With a
 * PostgreSQL, the instance's endpoint is that server, where the master user and database are made with the
 * password ACK read from the referenced Secret: the whole system then really connects to "RDS".
 */
public final class AckRdsController implements AutoCloseable {

  /** ACK's CRDs, trimmed to the fields the operator uses. */
  public static final Path CRDS = Path.of("src", "test", "resources", "fixtures", "ack-rds-crds.yaml");

  private final RdsClient rds;
  private final List<AckKindController> kinds;

  public AckRdsController(KubernetesClient client, String namespace, MotoServer moto,
      Optional<ThrowawayPostgres> postgres) {
    this.rds = moto.rds();
    this.kinds = List.of(new SubnetGroups(client, namespace), new Instances(client, namespace, postgres),
        new Snapshots(client, namespace));
  }

  private static List<Tag> tags(GenericKubernetesResource object) {
    List<Map<String, String>> tags = object.get("spec", "tags");
    return tags == null ? List.of()
        : tags.stream().map(t -> Tag.builder().key(t.get("key")).value(t.get("value")).build()).toList();
  }

  private final class SubnetGroups extends AckKindController {

    SubnetGroups(KubernetesClient client, String namespace) {
      super(client, namespace, AckRds.API_VERSION, "DBSubnetGroup");
    }

    @Override
    Set<String> terminalCodes() {
      return Set.of("InvalidSubnet", "InvalidSubnetID.NotFound", "DBSubnetGroupDoesNotCoverEnoughAZs",
          "InvalidParameterValue");
    }

    @Override
    Synced sync(GenericKubernetesResource group) {
      String name = group.get("spec", "name");
      List<String> subnets = group.get("spec", "subnetIDs");
      String description = group.get("spec", "description");
      try {
        rds.describeDBSubnetGroups(r -> r.dbSubnetGroupName(name));
        rds.modifyDBSubnetGroup(r -> r.dbSubnetGroupName(name).subnetIds(subnets)
            .dbSubnetGroupDescription(description));
      } catch (DbSubnetGroupNotFoundException absent) {
        rds.createDBSubnetGroup(r -> r.dbSubnetGroupName(name).dbSubnetGroupDescription(description)
            .subnetIds(subnets).tags(tags(group)));
      }
      var aws = rds.describeDBSubnetGroups(r -> r.dbSubnetGroupName(name)).dbSubnetGroups().get(0);
      return Synced.done(Map.of("arn", aws.dbSubnetGroupArn(), "subnetGroupStatus", aws.subnetGroupStatus(),
          "vpcID", aws.vpcId()));
    }

    @Override
    void deleteInAws(GenericKubernetesResource group) {
      try {
        rds.deleteDBSubnetGroup(r -> r.dbSubnetGroupName(group.<String>get("spec", "name")));
      } catch (DbSubnetGroupNotFoundException gone) {
        // nothing to delete
      }
    }
  }

  private final class Instances extends AckKindController {

    private final Optional<ThrowawayPostgres> postgres;

    Instances(KubernetesClient client, String namespace, Optional<ThrowawayPostgres> postgres) {
      super(client, namespace, AckRds.API_VERSION, "DBInstance");
      this.postgres = postgres;
    }

    @Override
    Set<String> terminalCodes() {
      return Set.of("InvalidParameterValue", "InvalidParameterCombination", "DBSubnetGroupNotFoundFault",
          "InvalidSubnet", "StorageTypeNotSupported", "KMSKeyNotAccessibleFault");
    }

    @Override
    Synced sync(GenericKubernetesResource instance) {
      String id = instance.get("spec", "dbInstanceIdentifier");
      var password = password(instance);
      if (password.isEmpty()) {
        return Synced.waiting(Map.of(), "cannot read masterUserPassword: its Secret or key does not exist");
      }
      Optional<DBInstance> existing;
      try {
        existing = Optional.of(rds.describeDBInstances(r -> r.dbInstanceIdentifier(id)).dbInstances().get(0));
      } catch (DbInstanceNotFoundException absent) {
        existing = Optional.empty();
      }
      if (existing.isEmpty()) {
        var created = rds.createDBInstance(r -> r.dbInstanceIdentifier(id)
            .engine(instance.get("spec", "engine")).engineVersion(instance.get("spec", "engineVersion"))
            .dbInstanceClass(instance.get("spec", "dbInstanceClass"))
            .allocatedStorage(number(instance, "allocatedStorage"))
            .maxAllocatedStorage(number(instance, "maxAllocatedStorage"))
            .storageType(instance.get("spec", "storageType"))
            .storageEncrypted(instance.get("spec", "storageEncrypted"))
            .kmsKeyId(instance.get("spec", "kmsKeyID"))
            .multiAZ(instance.get("spec", "multiAZ"))
            .backupRetentionPeriod(number(instance, "backupRetentionPeriod"))
            .copyTagsToSnapshot(instance.get("spec", "copyTagsToSnapshot"))
            .enablePerformanceInsights(instance.get("spec", "performanceInsightsEnabled"))
            .deletionProtection(instance.get("spec", "deletionProtection"))
            .publiclyAccessible(instance.get("spec", "publiclyAccessible"))
            .dbSubnetGroupName(instance.get("spec", "dbSubnetGroupName"))
            .vpcSecurityGroupIds(instance.<List<String>>get("spec", "vpcSecurityGroupIDs"))
            .dbName(instance.get("spec", "dbName"))
            .masterUsername(instance.get("spec", "masterUsername"))
            .masterUserPassword(password.get())
            .tags(tags(instance))).dbInstance();
        return Synced.waiting(Map.of("arn", created.dbInstanceArn(), "dbInstanceStatus", "creating"),
            "DB Instance in 'creating' state, cannot be modified or deleted");
      }
      rds.modifyDBInstance(r -> r.dbInstanceIdentifier(id).applyImmediately(true)
          .dbInstanceClass(instance.get("spec", "dbInstanceClass"))
          .allocatedStorage(number(instance, "allocatedStorage"))
          .maxAllocatedStorage(number(instance, "maxAllocatedStorage"))
          .multiAZ(instance.get("spec", "multiAZ"))
          .backupRetentionPeriod(number(instance, "backupRetentionPeriod"))
          .enablePerformanceInsights(instance.get("spec", "performanceInsightsEnabled"))
          .deletionProtection(instance.get("spec", "deletionProtection"))
          .masterUserPassword(password.get()));
      var aws = rds.describeDBInstances(r -> r.dbInstanceIdentifier(id)).dbInstances().get(0);
      var status = new LinkedHashMap<String, Object>();
      status.put("arn", aws.dbInstanceArn());
      status.put("dbInstanceStatus", aws.dbInstanceStatus());
      if (postgres.isPresent()) {
        createMasterUser(postgres.get(), instance.get("spec", "masterUsername"), password.get(),
            instance.get("spec", "dbName"));
        status.put("endpoint", Map.of("address", "127.0.0.1", "port", postgres.get().port()));
      } else {
        status.put("endpoint", Map.of("address", aws.endpoint().address(), "port", aws.endpoint().port()));
      }
      return Synced.done(status);
    }

    private Optional<String> password(GenericKubernetesResource instance) {
      Map<String, String> ref = instance.get("spec", "masterUserPassword");
      var secret = client().secrets().inNamespace(Optional.ofNullable(ref.get("namespace")).orElse(namespace()))
          .withName(ref.get("name")).get();
      return Optional.ofNullable(secret).map(s -> s.getData()).map(data -> data.get(ref.get("key")))
          .map(value -> new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
    }

    @Override
    void deleteInAws(GenericKubernetesResource instance) {
      // ACK's deletion annotations; without them it skips the final snapshot.
      var annotations = Optional.ofNullable(instance.getMetadata().getAnnotations()).orElse(Map.of());
      var skipFinalSnapshot = !"false".equals(annotations.get(AckRds.SKIP_FINAL_SNAPSHOT));
      try {
        rds.deleteDBInstance(r -> r.dbInstanceIdentifier(instance.<String>get("spec", "dbInstanceIdentifier"))
            .skipFinalSnapshot(skipFinalSnapshot)
            .finalDBSnapshotIdentifier(skipFinalSnapshot ? null : annotations.get(AckRds.FINAL_SNAPSHOT_IDENTIFIER)));
      } catch (DbInstanceNotFoundException gone) {
        // nothing to delete
      }
    }
  }

  private static Integer number(GenericKubernetesResource object, String field) {
    Number value = object.get("spec", field);
    return value == null ? null : value.intValue();
  }

  /**
   * What RDS does with the master user and database at creation, on the stand-in's PostgreSQL: RDS's master user
   * is no superuser, but may create roles and databases (the service's migration creates its row-level security
   * role).
   */
  private static void createMasterUser(ThrowawayPostgres postgres, String user, String password, String database) {
    postgres.query("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + user
        + "') THEN CREATE ROLE " + user + " LOGIN CREATEROLE CREATEDB PASSWORD '" + password + "'; ELSE ALTER ROLE "
        + user + " PASSWORD '" + password + "'; END IF; END $$");
    if (postgres.query("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + database + "'")
        .equals("0")) {
      postgres.query("postgres", "CREATE DATABASE " + database + " OWNER " + user);
    }
  }

  private final class Snapshots extends AckKindController {

    Snapshots(KubernetesClient client, String namespace) {
      super(client, namespace, AckRds.API_VERSION, "DBSnapshot");
    }

    @Override
    Set<String> terminalCodes() {
      return Set.of("DBInstanceNotFound", "DBSnapshotAlreadyExists", "InvalidDBInstanceState",
          "InvalidParameterValue");
    }

    @Override
    Synced sync(GenericKubernetesResource snapshot) {
      String id = snapshot.get("spec", "dbSnapshotIdentifier");
      try {
        var aws = rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier(id)).dbSnapshots().get(0);
        var status = new LinkedHashMap<String, Object>();
        status.put("arn", aws.dbSnapshotArn());
        status.put("status", aws.status());
        Optional.ofNullable(aws.snapshotCreateTime()).ifPresent(t -> status.put("snapshotCreateTime", t.toString()));
        return Synced.done(status);
      } catch (DbSnapshotNotFoundException absent) {
        var created = rds.createDBSnapshot(r -> r.dbSnapshotIdentifier(id)
            .dbInstanceIdentifier(snapshot.get("spec", "dbInstanceIdentifier")).tags(tags(snapshot))).dbSnapshot();
        return Synced.waiting(Map.of("arn", created.dbSnapshotArn(), "status", "creating"),
            "DB snapshot in 'creating' state");
      }
    }

    @Override
    void deleteInAws(GenericKubernetesResource snapshot) {
      try {
        rds.deleteDBSnapshot(r -> r.dbSnapshotIdentifier(snapshot.<String>get("spec", "dbSnapshotIdentifier")));
      } catch (DbSnapshotNotFoundException gone) {
        // nothing to delete
      }
    }
  }

  @Override
  public void close() {
    kinds.forEach(AckKindController::close);
    rds.close();
  }
}
