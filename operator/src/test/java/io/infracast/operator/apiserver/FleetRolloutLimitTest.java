package io.infracast.operator.apiserver;

import static io.infracast.operator.testing.Installations.databaseSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorConfig;
import io.infracast.operator.testing.OperatorTestBase;
import io.infracast.operator.testing.RunningJobs;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Ten installations created at once never have more than the operator's limit of first installs migrating. */
@OperatorConfig(maxConcurrentFirstInstalls = 3)
class FleetRolloutLimitTest extends OperatorTestBase {

  @Test
  void tenFirstInstallsAtOnceRespectTheirLimit() {
    try (var running = new RunningJobs(client, namespace)) {
      var names = IntStream.rangeClosed(1, 10).mapToObj(i -> "tenant-" + i).toList();
      names.forEach(name -> client.resource(databaseSecret(namespace, name)).serverSideApply());
      jobs.hold();
      names.forEach(name -> client.resource(Installations.development(namespace, name)).create());

      // Generous timeouts: ten installations reconcile at once on a 2-core CI machine.
      await().atMost(Duration.ofSeconds(90)).failFast(() -> running.count() > 3)
          .until(() -> running.count() >= 3);
      assertThat(running.count()).as("migrations running while all ten wait for a slot").isEqualTo(3);
      await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(names.stream()
          .map(name -> installation(name).get().getStatus())
          .filter(s -> s != null && s.getConditions().stream().anyMatch(c ->
              "Migrated".equals(c.getType()) && "WaitingForRolloutSlot".equals(c.getReason())
                  && c.getMessage().contains("3 first installs are already running")))
          .count()).isEqualTo(7));

      jobs.release();
      await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(names.stream()
          .map(name -> installation(name).get().getStatus().getPhase())).containsOnly(Phase.Ready));
      assertThat(running.mostAtOnce()).as("migrations running at the same time").isEqualTo(3);
    }
  }
}
