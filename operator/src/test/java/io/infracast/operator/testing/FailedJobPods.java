package io.infracast.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the Job controller and the kubelet leave in the API server of a Job's failed pod, for the stand-ins that
 * play them: a Pod owned by the Job and labelled as the Job controller labels it, whose status the kubelet wrote
 * through the status subresource (phase Failed, the container terminated with its exit code, reason Error and
 * its termination message). Nothing schedules it (no scheduler runs here): it is written once it has failed.
 */
public final class FailedJobPods {

  private FailedJobPods() {}

  /**
   * @param message the termination message: the container's termination-message file, else (with
   *     FallbackToLogsOnError) the tail of its log
   */
  public static void record(KubernetesClient client, Job job, String podName, int exitCode, String message) {
    var meta = job.getMetadata();
    var template = job.getSpec().getTemplate();
    var labels = new HashMap<>(Objects.requireNonNullElse(template.getMetadata().getLabels(),
        Map.<String, String>of()));
    labels.put("batch.kubernetes.io/job-name", meta.getName());
    labels.put("job-name", meta.getName());
    labels.put("batch.kubernetes.io/controller-uid", meta.getUid());
    labels.put("controller-uid", meta.getUid());
    var pod = new PodBuilder()
        .withNewMetadata().withName(podName).withNamespace(meta.getNamespace()).withLabels(labels)
          .addNewOwnerReference().withApiVersion(HasMetadata.getApiVersion(Job.class)).withKind("Job")
            .withName(meta.getName()).withUid(meta.getUid()).withController(true).withBlockOwnerDeletion(true)
          .endOwnerReference()
        .endMetadata()
        .withSpec(template.getSpec())
        .build();
    var container = template.getSpec().getContainers().get(0);
    var now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    try {
      Pod created;
      try {
        created = client.resource(pod).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        created = client.resource(pod).get(); // recorded before, its status write then failed
      }
      created.setStatus(new PodStatusBuilder().withPhase("Failed")
          .addNewContainerStatus().withName(container.getName()).withImage(container.getImage()).withImageID("")
            .withReady(false).withStarted(false).withRestartCount(0)
            .withNewState().withNewTerminated().withExitCode(exitCode).withReason("Error").withMessage(message)
              .withStartedAt(now).withFinishedAt(now).endTerminated().endState()
          .endContainerStatus()
          .build());
      client.resource(created).updateStatus();
    } catch (KubernetesClientException e) {
      throw new IllegalStateException("the API server refused failed pod " + podName + ": " + e.getMessage(), e);
    }
  }
}
