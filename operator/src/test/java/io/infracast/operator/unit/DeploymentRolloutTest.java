package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.infracast.operator.reconciler.DeploymentRollout;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rollout as `kubectl rollout status` judges it, from the Deployment controller's status. */
class DeploymentRolloutTest {

  private static DeploymentBuilder deployment(long generation, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata().withName("acme-api").withGeneration(generation).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewTemplate().withNewSpec()
          .addNewContainer().withName("api").withImage("infracast/vulcan-api:1.5.0").endContainer()
        .endSpec().endTemplate().endSpec();
  }

  private static DeploymentRollout rollout(Deployment deployment) {
    return DeploymentRollout.of(Optional.of(deployment));
  }

  @Test
  void completeWhenEveryReplicaRunsTheTemplateAndIsAvailable() {
    var rollout = rollout(deployment(3, 2).withNewStatus().withObservedGeneration(3L).withReplicas(2)
        .withUpdatedReplicas(2).withAvailableReplicas(2).endStatus().build());
    assertThat(rollout.complete()).isTrue();
    assertThat(rollout.version()).isEqualTo("1.5.0");
    assertThat(rollout.message()).isEqualTo("version 1.5.0 is available on 2 of 2 pods");
  }

  @Test
  void aScaleUpIsNoRollout() {
    var rollout = rollout(deployment(4, 5).withNewStatus().withObservedGeneration(4L).withReplicas(5)
        .withUpdatedReplicas(5).withAvailableReplicas(2).endStatus().build());
    assertThat(rollout.complete()).as("every pod runs the current template and some serve").isTrue();
    assertThat(rollout.inProgress()).isFalse();
  }

  @Test
  void anUnobservedGenerationIsNeitherCompleteNorInProgress() {
    var rollout = rollout(deployment(4, 2).withNewStatus().withObservedGeneration(3L).withReplicas(2)
        .withUpdatedReplicas(2).withAvailableReplicas(2).endStatus().build());
    assertThat(rollout.observed()).isFalse();
    assertThat(rollout.complete()).isFalse();
    assertThat(rollout.inProgress()).isFalse();
    assertThat(rollout.message()).contains("to observe the new generation");
  }

  @Test
  void waitsForEachStepOfARollingUpdate() {
    assertThat(rollout(deployment(4, 2).withNewStatus().withObservedGeneration(4L).withReplicas(3)
        .withUpdatedReplicas(1).withAvailableReplicas(2).endStatus().build()).message())
        .isEqualTo("1 of 2 pods run version 1.5.0");
    assertThat(rollout(deployment(4, 2).withNewStatus().withObservedGeneration(4L).withReplicas(3)
        .withUpdatedReplicas(2).withAvailableReplicas(2).endStatus().build()).message())
        .isEqualTo("1 old pods are still terminating");
    assertThat(rollout(deployment(4, 2).withNewStatus().withObservedGeneration(4L).withReplicas(2)
        .withUpdatedReplicas(2).withAvailableReplicas(0).endStatus().build()).complete()).isFalse();
  }

  @Test
  void failedWhenTheProgressDeadlineIsExceeded() {
    var rollout = rollout(deployment(2, 1).withNewStatus().withObservedGeneration(2L).withReplicas(2)
        .withUpdatedReplicas(1).withAvailableReplicas(1).withConditions(new DeploymentConditionBuilder()
            .withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded").build())
        .endStatus().build());
    assertThat(rollout.failed()).isTrue();
    assertThat(rollout.complete()).isFalse();
    assertThat(rollout.message()).startsWith("rollout of version 1.5.0 exceeded its progress deadline");
  }

  @Test
  void anAbsentDeploymentIsNeitherCompleteNorFailed() {
    var rollout = DeploymentRollout.of(Optional.empty());
    assertThat(rollout.exists()).isFalse();
    assertThat(rollout.complete()).isFalse();
    assertThat(rollout.failed()).isFalse();
  }
}
