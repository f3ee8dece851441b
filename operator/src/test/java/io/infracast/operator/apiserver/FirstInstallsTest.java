package io.infracast.operator.apiserver;

import static io.infracast.operator.testing.Installations.databaseSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorConfig;
import io.infracast.operator.testing.OperatorTestBase;
import io.infracast.operator.testing.RunningJobs;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * First installs are not held by the rollout limit: with a limit of one rollout, taken by an upgrade whose
 * migration runs, a second upgrade waits while five new installations all migrate at once.
 */
@OperatorConfig(maxConcurrentRollouts = 1)
class FirstInstallsTest extends OperatorTestBase {

  @Test
  void newInstallationsProceedPastAFullRolloutLimitWhileAnUpgradeWaits() {
    readyAt("serving-1", "1.0.0");
    readyAt("serving-2", "1.0.0");
    try (var running = new RunningJobs(client, namespace)) {
      jobs.hold();
      editSpec("serving-1", spec -> spec.setVersion("1.1.0"));
      await().atMost(TIMEOUT).until(() -> running.count() == 1);
      editSpec("serving-2", spec -> spec.setVersion("1.1.0"));
      await().atMost(TIMEOUT).until(() -> condition("serving-2", "Migrated").getReason()
          .equals("WaitingForRolloutSlot"));

      var names = IntStream.rangeClosed(1, 5).mapToObj(i -> "new-" + i).toList();
      names.forEach(name -> client.resource(databaseSecret(namespace, name)).serverSideApply());
      names.forEach(name -> client.resource(Installations.development(namespace, name)).create());
      await().atMost(TIMEOUT).until(() -> running.count() == 6);
      assertThat(condition("serving-2", "Migrated").getMessage())
          .as("the upgrade still waits, behind the one rollout slot only")
          .contains("1 installations are already migrating or rolling out");

      jobs.release();
      await().atMost(TIMEOUT).untilAsserted(() -> {
        awaitVersionServed("serving-2", "1.1.0");
        names.forEach(name -> awaitVersionServed(name, "1.0.0"));
      });
    }
  }
}
