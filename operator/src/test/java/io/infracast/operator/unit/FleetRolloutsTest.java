package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.migration.MigrationJobNames;
import io.infracast.operator.reconciler.FleetRollouts;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a restarted operator counts as in flight, from nothing but the Jobs and Deployments in the cluster. */
class FleetRolloutsTest {

  private static Job job(String instance, String version, String finished) {
    var builder = new JobBuilder().withNewMetadata().withNamespace("ns").withName(instance + "-migrate")
        .addToLabels(InstallationLabels.INSTANCE, instance)
        .addToLabels(MigrationJobNames.TARGET_VERSION_LABEL, version).endMetadata().withNewStatus().endStatus();
    if (finished != null) {
      builder.editStatus().addNewCondition().withType(finished).withStatus("True").endCondition().endStatus();
    }
    return builder.build();
  }

  private static Deployment deployment(String instance, String version, long generation, long observed,
      int updated, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata().withNamespace("ns").withName(instance + "-api").withGeneration(generation)
          .addToLabels(InstallationLabels.INSTANCE, instance).endMetadata()
        .withNewSpec().withReplicas(2).withNewTemplate().withNewSpec()
          .addNewContainer().withName("api").withImage("infracast/vulcan-api:" + version).endContainer()
        .endSpec().endTemplate().endSpec()
        .withNewStatus().withObservedGeneration(observed).withReplicas(replicas).withUpdatedReplicas(updated)
          .withAvailableReplicas(updated).endStatus()
        .build();
  }

  @Test
  void runningJobsRollingDeploymentsAndTheGapBetweenThemAreInFlight() {
    var inFlight = FleetRollouts.inFlight(
        Stream.of(job("running", "1.1.0", null), job("migrated", "1.1.0", "Complete"),
            job("settled", "1.1.0", "Complete"), job("failed", "1.1.0", "Failed"),
            job("first-install", "1.1.0", "Complete")),
        Stream.of(deployment("migrated", "1.0.0", 1, 1, 2, 2), deployment("settled", "1.1.0", 2, 2, 2, 2),
            deployment("failed", "1.0.0", 1, 1, 2, 2), deployment("rolling", "1.1.0", 2, 2, 1, 3),
            deployment("applied", "1.1.0", 3, 2, 2, 2)));
    assertThat(inFlight.serving()).containsExactlyInAnyOrder("ns/migrated", "ns/rolling", "ns/applied");
    assertThat(inFlight.firstInstalls()).containsExactlyInAnyOrder("ns/running", "ns/first-install");
  }

  @Test
  void aDeploymentWithoutAnAvailablePodServesNobodySoItsRolloutIsAFirstInstall() {
    var starting = new DeploymentBuilder(deployment("starting", "1.0.0", 1, 1, 2, 2)).editStatus()
        .withAvailableReplicas(0).endStatus().build();
    var inFlight = FleetRollouts.inFlight(Stream.of(job("starting", "1.0.0", "Complete")),
        Stream.of(starting, deployment("upgrading", "1.1.0", 2, 2, 1, 3)));
    assertThat(FleetRollouts.serves(starting)).isFalse();
    assertThat(inFlight.firstInstalls()).containsExactly("ns/starting");
    assertThat(inFlight.serving()).containsExactly("ns/upgrading");
  }
}
