package io.infracast.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infracast.operator.api.v1alpha1.DeletionPolicy;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.data.terraform.TofuRunner;
import io.infracast.operator.migration.JobFailures;
import io.infracast.operator.migration.MigrationPlan;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * database.deletionPolicy for the terraform provisioner. Retain (and Snapshot, which infracast-data has no input
 * for) keeps everything in AWS and the state Secret, which OpenTofu made and nobody owns, so the garbage collector
 * leaves it. Delete runs a destroy Job with the last inputs and waits for it, at most the deletion timeout.
 */
final class TofuDeletion {

  /** A destroy Job is not owned (its installation is going): it removes itself this long after it finished. */
  static final int DESTROY_JOB_TTL_SECONDS = 3600;

  private final EventRecorder events;
  private final Duration timeout;
  private final Duration recheck;
  private final JobFailures jobFailures;
  private final Clock clock;

  TofuDeletion(EventRecorder events, Duration timeout, Duration recheck, JobFailures jobFailures, Clock clock) {
    this.events = events;
    this.timeout = timeout;
    this.recheck = recheck;
    this.jobFailures = jobFailures;
    this.clock = clock;
  }

  DeleteControl cleanup(InfracastInstallation installation, KubernetesClient client, DeletionPolicy policy) {
    var namespace = installation.getMetadata().getNamespace();
    var state = TofuRunner.stateSecret(installation);
    if (client.secrets().inNamespace(namespace).withName(state).get() == null) {
      return DeleteControl.defaultDelete(); // nothing was ever applied
    }
    if (policy != DeletionPolicy.Delete) {
      events.note(installation, "DataRetained", "left in AWS: the RDS instance and the bucket that OpenTofu's state"
          + " in Secret " + state + " records; the Secret stays in the namespace"
          + (policy == DeletionPolicy.Snapshot ? " (deletionPolicy Snapshot: infracast-data takes no final snapshot"
          + " on request, so nothing was deleted)" : ""));
      return DeleteControl.defaultDelete();
    }
    var name = TofuRunner.destroyJob(installation);
    var job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    if (job == null) {
      var destroy = TofuRunner.job(installation, new ObjectMetaBuilder().withName(name).withNamespace(namespace)
          .withLabels(TofuRunner.labels(installation, false)).build(), "destroy");
      destroy.getSpec().setTtlSecondsAfterFinished(DESTROY_JOB_TTL_SECONDS);
      client.resource(destroy).create();
      events.note(installation, "DestroyingData", "deletionPolicy Delete: Job " + name + " destroys what OpenTofu's"
          + " state in Secret " + state + " records (the RDS instance, the bucket if empty)");
    } else if (MigrationPlan.completed(job)) {
      events.note(installation, "DataDestroyed", "Job " + name + " destroyed the RDS instance and the bucket;"
          + " Secret " + state + " holds the emptied state");
      return DeleteControl.defaultDelete();
    } else if (MigrationPlan.finished(job)) {
      var failure = jobFailures.read(client, job).orElse("failed");
      events.warn(installation, "DestroyFailed", "Job " + name + " could not destroy the data: " + failure
          + "; left in AWS: what Secret " + state + " records. Destroy it with the runner image once fixed");
      return DeleteControl.defaultDelete();
    }
    var remaining = Duration.between(clock.instant(),
        Instant.parse(installation.getMetadata().getDeletionTimestamp()).plus(timeout));
    if (remaining.isNegative() || remaining.isZero()) {
      events.warn(installation, "DeletionTimedOut", "gave up waiting for Job " + name + " after "
          + timeout.toSeconds() + " s; left in AWS: what Secret " + state + " records");
      return DeleteControl.defaultDelete();
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(remaining.compareTo(recheck) < 0 ? remaining : recheck);
  }
}
