package io.infracast.operator.testing;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.infracast.operator.dependent.InstallationLabels;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays the Deployment controller and kubelet, which no binary here runs: every Deployment the operator owns is
 * reported fully rolled out and available, through the status subresource as the real controller does. While
 * held, it reports nothing, as when pods never become ready.
 */
public final class FakeDeploymentController implements AutoCloseable {

  private final KubernetesClient client;
  private final SharedIndexInformer<Deployment> informer;
  private volatile boolean held;
  /** As the real controller requeues: a status write that failed (the API server down, say) is tried again. */
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
    var thread = new Thread(r, "fake-deployment-controller-retries");
    thread.setDaemon(true);
    return thread;
  });

  /** @param namespace where it plays the controller; null for every namespace */
  public FakeDeploymentController(KubernetesClient client, String namespace) {
    this.client = client;
    var deployments = client.apps().deployments();
    this.informer = EveryVersion.inform((namespace == null ? deployments.inAnyNamespace()
        : deployments.inNamespace(namespace))
        .withLabel(InstallationLabels.MANAGED_BY, InstallationLabels.OPERATOR_NAME), this::report);
  }

  /** Stops reporting progress; Deployments stay as they are. */
  public void hold() {
    held = true;
  }

  /** Reports every Deployment rolled out again. */
  public void release() {
    held = false;
    informer.getStore().list().forEach(this::report);
  }

  private synchronized void report(Deployment deployment) {
    var generation = deployment.getMetadata().getGeneration();
    var status = deployment.getStatus();
    if (held || status != null && Objects.equals(status.getObservedGeneration(), generation)) {
      return;
    }
    int replicas = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
    try {
      client.apps().deployments().inNamespace(deployment.getMetadata().getNamespace())
          .withName(deployment.getMetadata().getName())
          .editStatus(d -> {
            d.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(generation)
                .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(replicas)
                .withAvailableReplicas(replicas)
                .withConditions(new DeploymentConditionBuilder().withType("Available").withStatus("True")
                    .withReason("MinimumReplicasAvailable").build())
                .build());
            return d;
          });
    } catch (KubernetesClientException e) {
      // Deleted, changed meanwhile or the API server unreachable: look again at the version the informer has then.
      retries.schedule(() -> Optional.ofNullable(informer.getStore().get(deployment)).ifPresent(this::report), 1,
          TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    retries.shutdownNow();
    informer.close();
  }
}
