package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.infracast.operator.migration.RolloutLimiter;
import io.infracast.operator.reconciler.FleetRollouts;
import io.infracast.operator.reconciler.FleetSlots;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fleet's rollout caps: counted from the cluster, first come first served, waiters woken when a slot frees. */
class RolloutLimiterTest {

  private static final Set<String> LIVE = Set.of("ns/a", "ns/b", "ns/c", "ns/d");
  private static final Set<String> NONE = Set.of();

  private final List<String> woken = new ArrayList<>();

  @Test
  void holdsAtMostItsLimitAndFreesSlotsOfDeletedInstallations() {
    var limiter = new RolloutLimiter(2, woken::add);
    assertThat(limiter.tryAcquire("ns/a", () -> NONE, LIVE)).isTrue();
    assertThat(limiter.tryAcquire("ns/b", () -> NONE, LIVE)).isTrue();
    assertThat(limiter.tryAcquire("ns/a", () -> NONE, LIVE)).as("a holder keeps its slot").isTrue();
    assertThat(limiter.tryAcquire("ns/c", () -> NONE, LIVE)).isFalse();
    assertThat(limiter.tryAcquire("ns/c", () -> NONE, Set.of("ns/a", "ns/c"))).as("ns/b was deleted").isTrue();
    assertThatThrownBy(() -> new RolloutLimiter(0, woken::add)).hasMessageContaining("at least 1");
  }

  @Test
  void aRestartedOperatorCountsWhatTheClusterShowsBeforeGrantingAnything() {
    var restarted = new RolloutLimiter(2, woken::add);
    Set<String> inCluster = Set.of("ns/a", "ns/b");
    assertThat(restarted.tryAcquire("ns/c", () -> inCluster, LIVE)).isFalse();
    assertThat(restarted.tryAcquire("ns/a", () -> inCluster, LIVE)).as("already in flight").isTrue();
  }

  @Test
  void waitersGoInArrivalOrderAndAreWokenWhenASlotFrees() {
    var limiter = new RolloutLimiter(1, woken::add);
    assertThat(limiter.tryAcquire("ns/a", () -> NONE, LIVE)).isTrue();
    assertThat(limiter.tryAcquire("ns/b", () -> NONE, LIVE)).isFalse();
    assertThat(limiter.tryAcquire("ns/c", () -> NONE, LIVE)).isFalse();
    assertThat(limiter.waiting()).isEqualTo(2);

    limiter.release("ns/a", () -> NONE, LIVE);
    assertThat(woken).containsExactly("ns/b");
    assertThat(limiter.tryAcquire("ns/c", () -> NONE, LIVE)).as("ns/b came first").isFalse();
    assertThat(limiter.tryAcquire("ns/b", () -> NONE, LIVE)).isTrue();
  }

  @Test
  void aHolderKeepsItsSlotWithoutCountingTheCluster() {
    var limiter = new RolloutLimiter(1, woken::add);
    assertThat(limiter.tryAcquire("ns/a", () -> NONE, LIVE)).isTrue();
    assertThat(limiter.tryAcquire("ns/a", () -> {
      throw new AssertionError("counted every installation's Jobs and Deployments for a slot already held");
    }, LIVE)).isTrue();
  }

  @Test
  void aSlotHeldBeforeARestartWakesWaitersWhenItFrees() {
    var restarted = new RolloutLimiter(1, woken::add);
    assertThat(restarted.tryAcquire("ns/b", () -> Set.of("ns/a"), LIVE)).isFalse();
    restarted.release("ns/a", () -> NONE, LIVE);
    assertThat(woken).containsExactly("ns/b");
  }

  @Test
  void releasingWhatNeedsNoSlotWakesNobody() {
    var limiter = new RolloutLimiter(1, woken::add);
    limiter.release("ns/d", () -> NONE, LIVE);
    assertThat(woken).isEmpty();
    assertThat(limiter.granted()).isZero();
  }

  @Test
  void firstInstallsHaveTheirOwnLimitAndAFirstInstallThatStartsServingMovesToTheRolloutLimit() {
    var slots = new FleetSlots(1, 2, woken::add);
    var upgrading = new FleetRollouts.InFlight(Set.of("ns/a"), NONE);
    assertThat(slots.tryAcquire("ns/b", true, () -> upgrading, LIVE)).as("the one rollout slot is taken").isFalse();
    assertThat(slots.tryAcquire("ns/c", false, () -> upgrading, LIVE)).as("a first install goes").isTrue();
    assertThat(slots.tryAcquire("ns/d", false, () -> upgrading, LIVE)).isTrue();
    assertThat(slots.limit(false)).isEqualTo(2);

    // ns/c's pods became available while it still rolls: it counts against the rollout limit now.
    var moved = new FleetRollouts.InFlight(Set.of("ns/a", "ns/c"), Set.of("ns/d"));
    assertThat(slots.tryAcquire("ns/c", true, () -> moved, LIVE)).isTrue();
    assertThat(slots.tryAcquire("ns/b", false, () -> moved, LIVE)).as("ns/c freed its first-install slot").isTrue();
  }
}
