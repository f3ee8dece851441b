package io.infracast.operator.migration;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Why the operator's Jobs failed, in their pods' words. The Job controller's Failed condition only says
 * "Job has reached the specified backoff limit"; the error is the failed pod's termination message, which the
 * kubelet takes from what the container wrote to its termination-message file or, as the Jobs' containers ask
 * with terminationMessagePolicy FallbackToLogsOnError, from the tail of its log. A failed Job never changes, so
 * each is read once and kept by uid: a Degraded installation lists no pods on later reconciles, and the operator
 * watches no pods.
 */
public final class JobFailures {

  /** The label the Job controller puts on its pods (since Kubernetes 1.27). */
  static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
  /** The label older Job controllers put on their pods. */
  static final String LEGACY_JOB_NAME_LABEL = "job-name";
  /** Failed Jobs remembered; an older one is read again if it is ever looked at again. */
  private static final int KEPT = 1024;

  private final Map<String, String> byUid = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > KEPT;
    }
  };

  /**
   * Why {@code job} failed: the last line of its newest failed pod's termination message, or, with no such pod
   * left (deleted, or gone with the Job's TTL), its Failed condition's message. Empty while it has not failed.
   * Lists the Job's pods the first time it is asked about a failed Job.
   */
  public Optional<String> read(KubernetesClient client, Job job) {
    var failed = MigrationPlan.condition(job, "Failed");
    if (failed.isEmpty()) {
      return Optional.empty();
    }
    var uid = job.getMetadata().getUid();
    synchronized (byUid) {
      if (byUid.containsKey(uid)) {
        return Optional.of(byUid.get(uid));
      }
    }
    // Not under the lock: reconciles of other installations need not wait for this list.
    var why = fromPods(pods(client, job)).orElseGet(() -> Objects.toString(failed.get().getMessage(),
        failed.get().getReason()));
    synchronized (byUid) {
      byUid.put(uid, why);
    }
    return Optional.of(why);
  }

  private static List<Pod> pods(KubernetesClient client, Job job) {
    var inNamespace = client.pods().inNamespace(job.getMetadata().getNamespace());
    var pods = inNamespace.withLabel(JOB_NAME_LABEL, job.getMetadata().getName()).list().getItems();
    if (pods.isEmpty()) {
      pods = inNamespace.withLabel(LEGACY_JOB_NAME_LABEL, job.getMetadata().getName()).list().getItems();
    }
    // A Job deleted and made again under its name is another Job: only this one's pods count.
    var uid = job.getMetadata().getUid();
    return pods.stream().filter(p -> Objects.requireNonNullElse(p.getMetadata().getOwnerReferences(),
        List.<OwnerReference>of()).stream().anyMatch(o -> uid.equals(o.getUid()))).toList();
  }

  /**
   * The last non-blank line of the newest failed pod's termination message: OpenTofu's errors on one line (the
   * runner's summary), the migration's error (its last output line). The whole log tail would put dozens of
   * lines of progress output into the status.
   */
  public static Optional<String> fromPods(Collection<Pod> pods) {
    return pods.stream()
        .filter(p -> p.getStatus() != null && "Failed".equals(p.getStatus().getPhase()))
        .sorted(Comparator.comparing((Pod p) -> Objects.toString(p.getMetadata().getCreationTimestamp(), ""))
            .reversed())
        .flatMap(p -> terminated(p.getStatus()))
        .map(ContainerStateTerminated::getMessage)
        .flatMap(JobFailures::lastLine)
        .findFirst();
  }

  /** The containers' terminations, the current ones before those a restart replaced. */
  private static Stream<ContainerStateTerminated> terminated(PodStatus status) {
    var statuses = Objects.requireNonNullElse(status.getContainerStatuses(), List.<ContainerStatus>of());
    return Stream.concat(statuses.stream().map(ContainerStatus::getState),
            statuses.stream().map(ContainerStatus::getLastState))
        .filter(Objects::nonNull)
        .map(ContainerState::getTerminated)
        .filter(t -> t != null && t.getExitCode() != null && t.getExitCode() != 0);
  }

  private static Stream<String> lastLine(String message) {
    if (message == null) {
      return Stream.empty();
    }
    var lines = message.split("\r?\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (!lines[i].isBlank()) {
        return Stream.of(lines[i].strip());
      }
    }
    return Stream.empty();
  }
}
