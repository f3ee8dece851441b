package io.infracast.operator.testing;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.infracast.operator.data.terraform.TofuRunner;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.dependent.MigrationJobDependentResource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays the Job controller, which no binary here runs: the operator's migration Jobs succeed, or fail for the
 * target versions the test names, reported through the status subresource as Kubernetes 1.34 requires
 * (SuccessCriteriaMet before Complete, FailureTarget before Failed). A failed Job's condition says what the real
 * controller says; the error is in its failed pod's termination message, as the kubelet leaves it. While held, Jobs stay running; given run
 * times, each Job runs for a random one of them first.
 */
public final class FakeJobController implements AutoCloseable {

  private final KubernetesClient client;
  private final SharedIndexInformer<Job> informer;
  /** By target version: how its migrations fail. */
  private final Map<String, Failure> failingVersions = new ConcurrentHashMap<>();
  private volatile boolean held;
  private volatile RunTimes runTimes;
  private final Set<String> started = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    var thread = new Thread(r, "fake-job-controller");
    thread.setDaemon(true);
    return thread;
  });

  /** @param namespace where it plays the controller; null for every namespace */
  public FakeJobController(KubernetesClient client, String namespace) {
    this.client = client;
    var jobs = client.batch().v1().jobs();
    this.informer = EveryVersion.inform((namespace == null ? jobs.inAnyNamespace() : jobs.inNamespace(namespace))
        .withLabel(InstallationLabels.MANAGED_BY, InstallationLabels.OPERATOR_NAME), this::observe);
  }

  private record RunTimes(long shortestMillis, long longestMillis, Random random) {
    long next() {
      synchronized (random) {
        return shortestMillis + (long) (random.nextDouble() * (longestMillis - shortestMillis));
      }
    }
  }

  /** From now on each Job runs between {@code shortest} and {@code longest} (drawn from {@code random}). */
  public void runFor(Duration shortest, Duration longest, Random random) {
    runTimes = new RunTimes(shortest.toMillis(), longest.toMillis(), random);
  }

  private void observe(Job job) {
    if (TofuRunner.COMPONENT.equals(job.getMetadata().getLabels().get(InstallationLabels.COMPONENT))) {
      return; // OpenTofu runs for real (LocalKubelet.startJobs)
    }
    var times = runTimes;
    if (times == null) {
      finish(job);
    } else if (started.add(job.getMetadata().getUid())) {
      timer.schedule(() -> finishLater(job), times.next(), TimeUnit.MILLISECONDS);
    }
  }

  /** Finishes the Job as last seen; while the API server is away, tries again every second. */
  private void finishLater(Job job) {
    var latest = informer.getStore().get(job);
    try {
      if (latest != null) {
        finish(latest);
      }
    } catch (IllegalStateException apiServerAway) {
      timer.schedule(() -> finishLater(job), 1, TimeUnit.SECONDS);
    }
  }

  /** How a migration fails: the termination message its pod ends with; none, its pod is gone (deleted). */
  private record Failure(String podMessage) {}

  /** The migrate command's last output line for a migration that does not apply. */
  public static final String MIGRATION_ERROR = "migration V3 failed: ERROR: column \"tenant_id\" does not exist";

  /** Migrations to {@code version} fail, their pod ending with {@link #MIGRATION_ERROR}. */
  public void failVersion(String version) {
    failVersion(version, MIGRATION_ERROR);
  }

  /** Migrations to {@code version} fail, their pod ending with {@code podMessage} as its termination message. */
  public void failVersion(String version, String podMessage) {
    failingVersions.put(version, new Failure(podMessage));
  }

  /**
   * Migrations to {@code version} fail and their pod is gone before anyone looks (deleted by someone, evicted):
   * only the Job's own condition is left.
   */
  public void failVersionWithoutPods(String version) {
    failingVersions.put(version, new Failure(null));
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

  /** Finishes {@code job} now, as the Job controller would: the OpenTofu runner's Jobs too, which it leaves alone. */
  public void finishNow(Job job) {
    finish(job);
  }

  private synchronized void finish(Job job) {
    if (held || job.getStatus() != null && job.getStatus().getConditions() != null
        && !job.getStatus().getConditions().isEmpty()) {
      return;
    }
    var version = job.getMetadata().getLabels().get(MigrationJobDependentResource.TARGET_VERSION_LABEL);
    var now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var failure = version == null ? null : failingVersions.get(version);
    var status = new JobStatusBuilder().withStartTime(now);
    if (failure != null) {
      if (failure.podMessage() != null) {
        // The kubelet's record of the last failed pod: where the error is (the Job's condition does not say).
        FailedJobPods.record(client, job, job.getMetadata().getName() + "-" + job.getMetadata().getUid()
            .substring(0, 5), 1, failure.podMessage());
      }
      var message = "Job has reached the specified backoff limit"; // the Job controller's words
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
    timer.shutdownNow();
    informer.close();
  }
}
