package io.infracast.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Objects;
import java.util.Optional;

/**
 * A Deployment's rollout as {@code kubectl rollout status} judges it, plus the version its pods serve.
 *
 * @param exists whether the Deployment exists
 * @param observed the Deployment controller has seen the current generation; until then the counts describe
 *     the previous one (a replica change, as the HPA makes all day, also starts a new generation)
 * @param complete every pod runs the current template, at least one is available, and no old pod is left: the
 *     version serves (a scale-up's new pods do not make it less so)
 * @param failed the Deployment controller gave up (progress deadline exceeded)
 * @param version the version (image tag) of the current template
 * @param message what the rollout is waiting for, for status
 */
public record DeploymentRollout(boolean exists, boolean observed, boolean complete, boolean failed, String version,
    String message) {

  static final DeploymentRollout ABSENT = new DeploymentRollout(false, true, false, false, null,
      "the API Deployment does not exist yet");

  /** Pods of an older template remain, or new ones are not available yet, and the controller still tries. */
  public boolean inProgress() {
    return exists && observed && !complete && !failed;
  }

  public static DeploymentRollout of(Optional<Deployment> deployment) {
    return deployment.map(DeploymentRollout::of).orElse(ABSENT);
  }

  static DeploymentRollout of(Deployment deployment) {
    var spec = deployment.getSpec();
    var status = deployment.getStatus();
    var image = spec.getTemplate().getSpec().getContainers().get(0).getImage();
    var version = image.substring(image.lastIndexOf(':') + 1);
    if (status == null) {
      return new DeploymentRollout(true, false, false, false, version, "waiting for the Deployment controller");
    }
    int wanted = Objects.requireNonNullElse(spec.getReplicas(), 1);
    int replicas = Objects.requireNonNullElse(status.getReplicas(), 0);
    int updated = Objects.requireNonNullElse(status.getUpdatedReplicas(), 0);
    int available = Objects.requireNonNullElse(status.getAvailableReplicas(), 0);
    boolean failed = status.getConditions() != null && status.getConditions().stream().anyMatch(c ->
        "Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason()));
    long observedGeneration = Objects.requireNonNullElse(status.getObservedGeneration(), 0L);
    if (observedGeneration < Objects.requireNonNullElse(deployment.getMetadata().getGeneration(), 0L)) {
      return new DeploymentRollout(true, false, false, false, version,
          "waiting for the Deployment controller to observe the new generation");
    }
    String waitingFor;
    if (updated < wanted) {
      waitingFor = updated + " of " + wanted + " pods run version " + version;
    } else if (replicas > updated) {
      waitingFor = (replicas - updated) + " old pods are still terminating";
    } else if (available == 0) {
      waitingFor = "0 of " + updated + " pods of version " + version + " are available";
    } else {
      return new DeploymentRollout(true, true, true, false, version,
          "version " + version + " is available on " + available + " of " + updated + " pods");
    }
    return new DeploymentRollout(true, true, false, failed, version,
        failed ? "rollout of version " + version + " exceeded its progress deadline: " + waitingFor : waitingFor);
  }
}
