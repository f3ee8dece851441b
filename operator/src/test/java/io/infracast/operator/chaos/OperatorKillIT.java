package io.infracast.operator.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator, SIGKILLed at random moments while a fleet upgrades, version after version, and started
 * again, sometimes as two replicas electing a leader. Replayable: the seed is printed and {@code -Dchaos.seed}
 * repeats it; {@code -Dchaos.installations} and {@code -Dchaos.kills} set its size (CI runs 20 and 50).
 */
class OperatorKillIT {

  private static final long SEED = Long.getLong("chaos.seed", System.nanoTime());
  private static final int INSTALLATIONS = Integer.getInteger("chaos.installations", 20);
  private static final int KILLS = Integer.getInteger("chaos.kills", 50);

  @Test
  void killedAtRandomWhileTheFleetUpgradesItBreaksNoInvariant() throws Exception {
    var random = new Random(SEED);
    try (var fleet = new FleetUnderFaults("operator-kill-it", INSTALLATIONS, SEED)) {
      fleet.startReplica();
      for (int kill = 0; kill < KILLS; kill++) {
        Thread.sleep(500 + random.nextInt(5500)); // sometimes before it leads, sometimes mid-reconcile
        var live = fleet.live();
        live.get(random.nextInt(live.size())).kill();
        if (fleet.live().isEmpty()) {
          fleet.startReplica();
          if (random.nextInt(4) == 0) {
            fleet.startReplica();
          }
        }
      }
      fleet.finish();
      assertThat(fleet.killed()).as("SIGKILLs").isGreaterThanOrEqualTo(KILLS);
      assertThat(fleet.upgrades()).as("upgrades asked for while the operator was being killed")
          .isGreaterThanOrEqualTo(INSTALLATIONS);
    }
  }
}
