package io.infracast.operator.reconciler;

import io.infracast.operator.migration.RolloutLimiter;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The fleet's two rollout limits. The rollout limit bounds the blast radius of upgrades: it counts rollouts of
 * installations that serve (an available pod). A first install serves nobody yet, so it risks no tenant and
 * counts against its own, higher limit instead: onboarding a thousand tenants never queues behind five upgrades,
 * nor holds an upgrade back. An installation counts where it stands now: a first install whose pods become
 * available while it still rolls moves to the rollout limit, already in flight there.
 */
public final class FleetSlots {

  private final RolloutLimiter rollouts;
  private final RolloutLimiter firstInstalls;

  /** @param wake called with the key of a waiting installation when a slot of either kind frees for it */
  public FleetSlots(int maxConcurrentRollouts, int maxConcurrentFirstInstalls, Consumer<String> wake) {
    this.rollouts = new RolloutLimiter(maxConcurrentRollouts, wake);
    this.firstInstalls = new RolloutLimiter(maxConcurrentFirstInstalls, wake);
  }

  /**
   * Takes (or keeps) a slot for {@code key} under the limit that applies to it, else queues it there.
   *
   * @param serving whether the installation's Deployment has an available pod
   * @param inCluster what the cluster shows in flight
   * @param live keys of every installation that still exists
   */
  public boolean tryAcquire(String key, boolean serving, Supplier<FleetRollouts.InFlight> inCluster,
      Set<String> live) {
    var other = serving ? firstInstalls : rollouts;
    other.release(key, () -> of(inCluster.get(), !serving), live);
    return (serving ? rollouts : firstInstalls).tryAcquire(key, () -> of(inCluster.get(), serving), live);
  }

  /** {@code key} needs no slot: frees whichever it holds or waits for. */
  public void release(String key, Supplier<FleetRollouts.InFlight> inCluster, Set<String> live) {
    rollouts.release(key, () -> of(inCluster.get(), true), live);
    firstInstalls.release(key, () -> of(inCluster.get(), false), live);
  }

  /** The limit that applies to an installation that serves, or to a first install. */
  public int limit(boolean serving) {
    return (serving ? rollouts : firstInstalls).limit();
  }

  private static Set<String> of(FleetRollouts.InFlight inFlight, boolean serving) {
    return serving ? inFlight.serving() : inFlight.firstInstalls();
  }
}
