package io.infracast.operator.chaos;

import static org.awaitility.Awaitility.await;

import io.infracast.operator.testing.RealApiServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * kube-apiserver stopped for 30 s in the middle of a fleet upgrade (etcd keeps the objects), then started
 * again: no invariant breaks and every installation ends on its version.
 */
class ApiServerOutageIT {

  private static final long SEED = Long.getLong("chaos.seed", System.nanoTime());

  @Test
  void aThirtySecondOutageMidUpgradeBreaksNoInvariant() throws Exception {
    try (var fleet = new FleetUnderFaults("api-server-outage-it", 10, SEED)) {
      fleet.startReplica();
      await().atMost(Duration.ofMinutes(2)).until(() -> fleet.upgrades() >= 10);

      RealApiServer.outage(Duration.ofSeconds(30), Path.of("target", "chaos", "kube-apiserver-restarted.log"));
      var upgradesBefore = fleet.upgrades();
      await().atMost(Duration.ofMinutes(2)).until(() -> {
        fleet.restartIfExited(); // a leader that could not renew its Lease exits, as it should
        return fleet.upgrades() >= upgradesBefore + 10;
      });

      fleet.finish();
    }
  }
}
