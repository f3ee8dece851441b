package io.infracast.operator.testing.kubelet;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.infracast.operator.testing.FailedJobPods;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The Job controller and kubelet for one Job: one pod at a time (parallelism 1, completions 1), a new pod after
 * each failure until {@code spec.backoffLimit} (default 6) failures are exceeded, {@code activeDeadlineSeconds},
 * and the status the real controller writes. Both restart policies make a new pod per attempt here. Each failed
 * pod is written into the API server as the kubelet leaves it ({@link FailedJobPods}), with its termination
 * message: that, not the Job's condition, says why it failed.
 *
 * <p>Kubernetes 1.34 validates Job status writes (see {@link #finalStatus}): a terminal condition needs its
 * interim one in the same status (Complete needs SuccessCriteriaMet=True, Failed needs FailureTarget=True), a
 * finished Job needs startTime and active=0, completionTime is set only with Complete=True and not before
 * startTime, startTime never changes once set, and ready never exceeds active.
 */
final class JobSimulator extends Simulated<Job> {
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private volatile PodProcess pod;
  private Instant startTime;
  private Instant nextRun = Instant.MIN;
  private int failed;
  private boolean deadlineExceeded;
  /** Set once the Job has finished (or was finished before we saw it): it never runs again. */
  private JobStatus finished;
  private boolean gone;

  JobSimulator(LocalKubelet kubelet, Job job) {
    super(kubelet, job);
  }

  List<LocalKubelet.PodInfo> pods() {
    PodProcess p = pod;
    return p == null ? List.of() : List.of(p.info());
  }

  /** The Job is gone: its pod is killed. */
  void deleted() {
    gone = true;
    PodProcess p = pod;
    if (p != null && finished == null) {
      kubelet.stopAsync(p);
    }
  }

  void tick() {
    if (gone) {
      return;
    }
    Job job = latest;
    if (finished == null) {
      run(job);
    }
    writeStatus(job);
  }

  private void run(Job job) {
    if (startTime == null) {
      JobStatus status = job.getStatus();
      if (status != null && (hasTrue(status, "Complete") || hasTrue(status, "Failed"))) {
        finished = status; // finished before this kubelet saw it
        return;
      }
      if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
        return;
      }
      startTime = Optional.ofNullable(status).map(JobStatus::getStartTime).map(Instant::parse)
          .orElse(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }
    Instant now = Instant.now();
    Long deadline = job.getSpec().getActiveDeadlineSeconds();
    if (!deadlineExceeded && deadline != null && !now.isBefore(startTime.plusSeconds(deadline))) {
      deadlineExceeded = true;
      if (pod != null) {
        kubelet.stopAsync(pod);
      }
    }
    if (deadlineExceeded) {
      if (pod != null && pod.alive()) {
        return; // finish once the pod is really gone: a finished Job must have no active pods
      }
      if (pod != null) {
        pod.exitCode().ifPresent(exit -> recordFailed(job, exit));
        failed++;
      }
      finish(job, false, "DeadlineExceeded", "Job was active longer than specified deadline");
      return;
    }
    if (pod == null) {
      if (!now.isBefore(nextRun)) {
        pod = newPod(job.getSpec().getTemplate());
        pod.start(kubelet.env);
        nextRun = now.plusSeconds(2);
      }
      return;
    }
    if (!pod.started()) {
      // Waiting on a missing Secret or key: the kubelet retries; the Job stays active, never completes.
      if (!now.isBefore(nextRun)) {
        pod.start(kubelet.env);
        nextRun = now.plusSeconds(2);
      }
      return;
    }
    if (pod.alive()) {
      pod.probe(kubelet.http);
      return;
    }
    int exit = pod.exitCode().orElseThrow();
    String lastLine = pod.lastLine();
    kubelet.sink.emit(pod, LocalKubelet.PodEvent.Type.EXITED, "exit " + exit + ": " + lastLine);
    if (exit == 0) {
      finish(job, true, "CompletionsReached", "Reached expected number of succeeded pods");
      return;
    }
    recordFailed(job, exit);
    failed++;
    int backoffLimit = Objects.requireNonNullElse(job.getSpec().getBackoffLimit(), 6);
    if (failed > backoffLimit) {
      // The controller's words: why it failed is in the pods' termination messages, not here.
      finish(job, false, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
      return;
    }
    // The controller's backoff is 10 s doubling up to 6 min; here 1 s doubling up to 10 s, to keep tests quick.
    Duration backoff = Duration.ofSeconds(1L << Math.min(failed - 1, 4));
    nextRun = now.plus(backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff);
    pod = null;
  }

  /** Writes the failed pod into the API server as the kubelet leaves it, before the Job counts it. */
  private void recordFailed(Job job, int exit) {
    FailedJobPods.record(kubelet.client, job, pod.name, exit, pod.terminationMessage());
  }

  private PodProcess newPod(PodTemplateSpec t) {
    Map<String, String> meta = Simulated.podFields(t);
    String podName = name + "-" + UUID.randomUUID().toString().substring(0, 5);
    return new PodProcess(namespace, podName, name, "job", t.getSpec().getContainers().get(0), meta, kubelet.builds,
        kubelet.workDir, kubelet.sink);
  }

  private void finish(Job job, boolean success, String reason, String message) {
    finished = finalStatus(job, success, reason, message);
  }

  /**
   * What the Job controller writes when a Job ends. On success: SuccessCriteriaMet then Complete, with
   * completionTime. On failure: FailureTarget then Failed, no completionTime.
   */
  private JobStatus finalStatus(Job job, boolean success, String reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    JobStatusBuilder b = new JobStatusBuilder(Objects.requireNonNullElse(job.getStatus(), new JobStatus()))
        .withStartTime(startTime.toString())
        .withActive(0).withReady(0)
        .withFailed(failed)
        .withSucceeded(success ? 1 : 0)
        .withConditions(
            condition(success ? "SuccessCriteriaMet" : "FailureTarget", reason, message, now),
            condition(success ? "Complete" : "Failed", reason, message, now));
    if (success) {
      b.withCompletionTime(now);
    }
    return b.build();
  }

  private static JobCondition condition(String type, String reason, String message, String time) {
    return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message)
        .withLastProbeTime(time).withLastTransitionTime(time).build();
  }

  private void writeStatus(Job job) {
    JobStatus desired;
    if (finished != null) {
      desired = finished;
    } else if (startTime == null) {
      return;
    } else {
      PodProcess p = pod;
      desired = new JobStatusBuilder(Objects.requireNonNullElse(job.getStatus(), new JobStatus()))
          .withStartTime(startTime.toString())
          .withActive(p == null ? 0 : 1)
          .withReady(p != null && p.ready() ? 1 : 0)
          .withFailed(failed)
          .build();
    }
    if (same(job.getStatus(), desired)) {
      return;
    }
    try {
      LocalKubelet.log.debug("job {} status: active {}, failed {}, succeeded {}, conditions {}", key(),
          desired.getActive(), desired.getFailed(), desired.getSucceeded(), desired.getConditions().stream()
              .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason()).toList());
      kubelet.client.resource(new JobBuilder(job).withStatus(desired).build()).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 422) {
        throw e; // the API server's Job status validation refused it: a bug here, say so
      }
      // 409: the informer has not seen our last write yet; the next tick writes again. 404: deleted meanwhile.
    }
  }

  private static boolean same(JobStatus a, JobStatus b) {
    if (a == null) {
      return false;
    }
    return zero(a.getActive()) == zero(b.getActive())
        && zero(a.getReady()) == zero(b.getReady())
        && zero(a.getFailed()) == zero(b.getFailed())
        && zero(a.getSucceeded()) == zero(b.getSucceeded())
        && Objects.equals(a.getStartTime(), b.getStartTime())
        && Objects.equals(a.getCompletionTime(), b.getCompletionTime())
        && Objects.equals(a.getConditions(), b.getConditions());
  }

  private static boolean hasTrue(JobStatus status, String type) {
    return Objects.requireNonNullElse(status.getConditions(), List.<JobCondition>of()).stream()
        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static int zero(Integer i) {
    return i == null ? 0 : i;
  }
}
