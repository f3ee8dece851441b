package io.infracast.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.infracast.operator.api.v1alpha1.DeletionPolicy;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Provisioner;
import io.infracast.operator.data.ack.AckRds;
import io.infracast.operator.data.ack.AckStatus;
import io.infracast.operator.data.ack.Bucket;
import io.infracast.operator.data.ack.DBInstance;
import io.infracast.operator.data.ack.DBSnapshot;
import io.infracast.operator.data.ack.DBSubnetGroup;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.dependent.ObjectNames;
import io.infracast.operator.migration.JobFailures;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What deleting an installation does to its data in AWS: the finalizer's work. ACK's objects carry ACK's retain
 * annotation from the start, so the garbage collector alone never deletes anything in AWS; only this, under
 * database.deletionPolicy Snapshot or Delete, lets AWS delete the RDS instance (and its subnet group). The evidence
 * bucket and the snapshots taken before migrations are always kept. It never holds an installation longer than the
 * deletion timeout: then it lets go, with a Warning saying what is left. The terraform provisioner's data goes
 * through {@link TofuDeletion}.
 */
final class InstallationDeletion {

  private static final Logger log = LoggerFactory.getLogger(InstallationDeletion.class);

  private final EventRecorder events;
  private final Duration timeout;
  private final Duration recheck;
  private final Clock clock;
  private final TofuDeletion tofu;
  /** Installations whose instance this replica saw being deleted: its disappearance is then news. */
  private final Set<String> deleting = ConcurrentHashMap.newKeySet();

  InstallationDeletion(EventRecorder events, Duration timeout, Duration recheck, JobFailures jobFailures,
      Clock clock) {
    this.events = events;
    this.timeout = timeout;
    this.recheck = recheck;
    this.clock = clock;
    this.tofu = new TofuDeletion(events, timeout, recheck, jobFailures, clock);
  }

  DeleteControl cleanup(InfracastInstallation installation, KubernetesClient client) {
    var spec = installation.getSpec();
    if (spec.getDatabase().getProvisioner() == Provisioner.TERRAFORM) {
      return tofu.cleanup(installation, client, Profiles.effective(spec).getDeletionPolicy());
    }
    var ackDatabase = spec.getDatabase().getProvisioner() == Provisioner.ACK;
    if (!ackDatabase && spec.getArtifacts().getProvisioner() != Provisioner.ACK) {
      return DeleteControl.defaultDelete();
    }
    var key = installation.getMetadata().getNamespace() + "/" + installation.getMetadata().getName();
    var policy = Profiles.effective(spec).getDeletionPolicy();
    var instance = ackDatabase ? find(client, installation, DBInstance.class, ObjectNames.database(installation))
        : Optional.<DBInstance>empty();
    var kept = new ArrayList<String>();
    if (instance.isPresent()) {
      var description = describe(instance.get());
      if (policy == DeletionPolicy.Retain) {
        kept.add(keepInAws(client, instance.get(), description));
      } else if (Boolean.TRUE.equals(instance.get().getSpec().get("deletionProtection"))) {
        events.warn(installation, "DeletionProtected", "deletionPolicy " + policy + " cannot delete " + description
            + ": its deletion protection is on, so it is retained");
        kept.add(keepInAws(client, instance.get(), description));
      } else {
        var remaining = Duration.between(clock.instant(),
            Instant.parse(installation.getMetadata().getDeletionTimestamp()).plus(timeout));
        if (!remaining.isNegative() && !remaining.isZero()) {
          return awaitDeletion(installation, client, instance.get(), policy, key, remaining);
        }
        deleting.remove(key);
        var ack = AckStatus.of(instance.get());
        kept.add(description + ", which ACK had not deleted after " + timeout.toSeconds() + " s"
            + (ack.synced() ? "" : ack.notSyncedBecause().map(m -> " (ACK: " + m + ")").orElse(""))
            + "; the DBInstance stays marked for deletion, so ACK's RDS controller deletes it as asked once it can");
        events.warn(installation, "DeletionTimedOut", "gave up waiting for AWS to delete the database; left in"
            + " AWS: " + String.join("; ", retainBucketAndSnapshots(installation, client, kept)));
        return DeleteControl.defaultDelete();
      }
    } else if (deleting.remove(key)) {
      events.note(installation, "DatabaseDeleted", "RDS instance " + AckRds.instanceIdentifier(installation)
          + " is deleted in AWS" + (policy == DeletionPolicy.Snapshot ? ", after its final snapshot "
          + AckRds.finalSnapshotIdentifier(installation) : ", without a final snapshot"));
    }
    if (ackDatabase) {
      // The subnet group goes with the instance, and only then: AWS refuses to delete one in use.
      find(client, installation, DBSubnetGroup.class, ObjectNames.database(installation)).ifPresent(group -> {
        if (instance.isEmpty() && policy != DeletionPolicy.Retain) {
          deleteInAws(client, group);
        } else {
          keepInAws(client, group, null);
        }
      });
    }
    var left = retainBucketAndSnapshots(installation, client, kept);
    if (!left.isEmpty()) {
      events.note(installation, "DataRetained", "left in AWS: " + String.join("; ", left)
          + ". Delete them in AWS once they are no longer needed");
    }
    return DeleteControl.defaultDelete();
  }

  /**
   * Has ACK delete the instance in AWS, with the final snapshot the DBInstance's annotations already ask for (the
   * annotations are written again here, in case the installation was deleted before its last reconcile), and
   * waits for it.
   */
  private DeleteControl awaitDeletion(InfracastInstallation installation, KubernetesClient client,
      DBInstance instance, DeletionPolicy policy, String key, Duration remaining) {
    if (instance.getMetadata().getDeletionTimestamp() == null) {
      var annotations = new HashMap<>(AckRds.deletionAnnotations(installation, policy));
      annotations.put(AckStatus.DELETION_POLICY, AckStatus.DELETE);
      client.resource(instance).edit(o -> {
        o.getMetadata().getAnnotations().putAll(annotations);
        return o;
      });
      client.resource(instance).delete();
      events.note(installation, "DeletingDatabase", "deletionPolicy " + policy + ": ACK deletes "
          + describe(instance) + (policy == DeletionPolicy.Snapshot ? " after a final snapshot "
          + AckRds.finalSnapshotIdentifier(installation) : " without a final snapshot"));
    }
    deleting.add(key);
    log.info("waiting for ACK to delete {} of {}", describe(instance), key);
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(remaining.compareTo(recheck) < 0 ? remaining : recheck);
  }

  /**
   * Keeps the bucket and the migration snapshots in AWS, as every policy does (see {@link #keepInAws}); returns
   * {@code kept} with them added, for the Event saying what is left.
   */
  private List<String> retainBucketAndSnapshots(InfracastInstallation installation, KubernetesClient client,
      List<String> kept) {
    var all = new ArrayList<>(kept);
    if (installation.getSpec().getArtifacts().getProvisioner() == Provisioner.ACK) {
      find(client, installation, Bucket.class, ObjectNames.bucket(installation)).ifPresent(bucket -> all.add(
          keepInAws(client, bucket, "bucket " + bucket.getSpec().get("name"))));
    }
    if (installation.getSpec().getDatabase().getProvisioner() == Provisioner.ACK) {
      ownedSnapshots(client, installation).forEach(snapshot -> all.add(keepInAws(client, snapshot,
          "RDS snapshot " + snapshot.getSpec().get("dbSnapshotIdentifier"))));
    }
    return all;
  }

  /**
   * Puts ACK's retain annotation back on the object if someone removed it (a patch), so that ACK keeps the resource
   * in AWS when the object goes; returns {@code description}.
   */
  private static String keepInAws(KubernetesClient client, HasMetadata object, String description) {
    var annotations = object.getMetadata().getAnnotations();
    if (annotations == null || !AckStatus.RETAIN.equals(annotations.get(AckStatus.DELETION_POLICY))) {
      client.resource(object).edit(o -> {
        o.getMetadata().getAnnotations().put(AckStatus.DELETION_POLICY, AckStatus.RETAIN);
        return o;
      });
    }
    return description;
  }

  private static void deleteInAws(KubernetesClient client, HasMetadata object) {
    client.resource(object).edit(o -> {
      o.getMetadata().getAnnotations().put(AckStatus.DELETION_POLICY, AckStatus.DELETE);
      return o;
    });
    client.resource(object).delete();
  }

  private static String describe(DBInstance instance) {
    return "RDS instance " + instance.getSpec().get("dbInstanceIdentifier") + " (DBInstance "
        + instance.getMetadata().getNamespace() + "/" + instance.getMetadata().getName() + ")";
  }

  /** The object, if its kind is served and it exists. */
  private static <R extends HasMetadata> Optional<R> find(KubernetesClient client,
      InfracastInstallation installation, Class<R> kind, String name) {
    return Optional.ofNullable(client.resources(kind).inNamespace(installation.getMetadata().getNamespace())
        .withName(name).get());
  }

  private static List<DBSnapshot> ownedSnapshots(KubernetesClient client, InfracastInstallation installation) {
    try {
      return client.resources(DBSnapshot.class).inNamespace(installation.getMetadata().getNamespace())
          .withLabel(InstallationLabels.INSTANCE, installation.getMetadata().getName()).list().getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return List.of(); // ACK's RDS kinds are not installed: nothing was snapshotted
      }
      throw e;
    }
  }
}
