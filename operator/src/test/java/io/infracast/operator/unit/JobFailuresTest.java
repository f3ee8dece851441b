package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.infracast.operator.migration.JobFailures;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobFailuresTest {

  private static Pod pod(String created, String phase, int exitCode, String message) {
    return new PodBuilder().withNewMetadata().withName("p-" + created).withCreationTimestamp(created).endMetadata()
        .withNewStatus().withPhase(phase).addNewContainerStatus().withName("api")
          .withState(new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode).withMessage(message)
              .endTerminated().build())
        .endContainerStatus().endStatus().build();
  }

  @Test
  void theNewestFailedPodsLastLineSaysWhy() {
    var older = pod("2026-11-27T10:00:00Z", "Failed", 1, "starting\ninfracast-api: database unreachable (first)");
    var newer = pod("2026-11-27T10:00:05Z", "Failed", 1,
        "Flyway migrating V3\nmigration V3 failed: ERROR: relation \"x\" does not exist\n\n");

    assertThat(JobFailures.fromPods(List.of(older, newer)))
        .contains("migration V3 failed: ERROR: relation \"x\" does not exist");
  }

  @Test
  void podsThatDidNotFailOrSaidNothingAreSkipped() {
    var failedWithWords = pod("2026-11-27T10:00:00Z", "Failed", 2, "Error: Resource precondition failed");
    var silent = pod("2026-11-27T10:00:05Z", "Failed", 1, "  \n");
    var succeeded = pod("2026-11-27T10:00:10Z", "Succeeded", 0, "done");

    assertThat(JobFailures.fromPods(List.of(succeeded, silent, failedWithWords)))
        .contains("Error: Resource precondition failed");
  }

  @Test
  void aRestartedContainersLastTerminationCounts() {
    var restarted = new PodBuilder(pod("2026-11-27T10:00:00Z", "Failed", 137, null)).editStatus()
        .editFirstContainerStatus().withLastState(new ContainerStateBuilder().withNewTerminated().withExitCode(1)
            .withMessage("infracast-api: database unreachable").endTerminated().build())
        .endContainerStatus().endStatus().build();

    assertThat(JobFailures.fromPods(List.of(restarted))).contains("infracast-api: database unreachable");
  }

  @Test
  void noFailedPodNoMessage() {
    assertThat(JobFailures.fromPods(List.of())).isEmpty();
    assertThat(JobFailures.fromPods(List.of(pod("2026-11-27T10:00:00Z", "Running", 1, "x")))).isEmpty();
  }
}
