package io.infracast.operator.testing;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.dependent.MigrationJobDependentResource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays the Job controller, which no binary here runs: the operator's migration Jobs succeed, or fail for the
 * target versions the test names, reported through the status subresource as Kubernetes 1.34 requires
 * (SuccessCriteriaMet before Complete, FailureTarget before Failed). While held, Jobs stay running.
 */
public final class FakeJobController implements AutoCloseable {

  private final KubernetesClient client;
  private final SharedIndexInformer<Job> informer;
  private final Set<String> failingVersions = ConcurrentHashMap.newKeySet();
  private volatile boolean held;

  public FakeJobController(KubernetesClient client, String namespace) {
    this.client = client;
    this.informer = EveryVersion.inform(client.batch().v1().jobs().inNamespace(namespace)
        .withLabel(InstallationLabels.MANAGED_BY, InstallationLabels.OPERATOR_NAME), this::finish);
  }

  /** Migrations to {@code version} fail with the message the migrate command would print. */
  public void failVersion(String version) {
    failingVersions.add(version);
  }

  public void succeedVersion(String version) {
    failingVersions.remove(version);
  }

  public void hold() {
    held = true;
  }

  public void release() {
    held = false;
    informer.getStore().list().forEach(this::finish);
  }

  private synchronized void finish(Job job) {
    if (held || job.getStatus() != null && job.getStatus().getConditions() != null
        && !job.getStatus().getConditions().isEmpty()) {
      return;
    }
    var version = job.getMetadata().getLabels().get(MigrationJobDependentResource.TARGET_VERSION_LABEL);
    var now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var failing = failingVersions.contains(version);
    var status = new JobStatusBuilder().withStartTime(now);
    if (failing) {
      var message = "migration V3 failed: ERROR: column \"tenant_id\" does not exist";
      status.withFailed(job.getSpec().getBackoffLimit() + 1).withConditions(
          new JobConditionBuilder().withType("FailureTarget").withStatus("True").withReason("BackoffLimitExceeded")
              .withMessage(message).withLastTransitionTime(now).withLastProbeTime(now).build(),
          new JobConditionBuilder().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
              .withMessage(message).withLastTransitionTime(now).withLastProbeTime(now).build());
    } else {
      status.withSucceeded(1).withCompletionTime(now).withConditions(
          new JobConditionBuilder().withType("SuccessCriteriaMet").withStatus("True").withReason("CompletionsReached")
              .withLastTransitionTime(now).withLastProbeTime(now).build(),
          new JobConditionBuilder().withType("Complete").withStatus("True").withReason("CompletionsReached")
              .withLastTransitionTime(now).withLastProbeTime(now).build());
    }
    try {
      client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
          .editStatus(j -> {
            j.setStatus(status.build());
            return j;
          });
    } catch (KubernetesClientException e) {
      throw new IllegalStateException("the API server refused the Job status: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    informer.close();
  }
}
