package io.infracast.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.infracast.operator.OperatorSettings;
import io.infracast.operator.testing.OperatorConfig;
import io.infracast.operator.testing.OperatorTestBase;
import io.infracast.operator.testing.WriteCounter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas of the same name elect one leader through the Lease: the follower writes nothing while
 * the leader lives, and takes over once a crashed leader's Lease expires.
 */
@OperatorConfig(leaderElection = true)
class LeaderElectionTest extends OperatorTestBase {

  /** fabric8 waits the retry period plus up to 1.2 times it between two tries to acquire. */
  private static final Duration LONGEST_POLL = Duration.ofMillis(LEASE_RETRY_PERIOD.toMillis() * 22 / 10);

  @Test
  void theFollowerWritesNothingUntilTheLeaderCrashesThenTakesOverWhenItsLeaseExpires() throws Exception {
    var leader = operatorIdentity();
    await().atMost(TIMEOUT).until(() -> lease().getHolderIdentity(), leader::equals);
    var followerWrites = new WriteCounter();
    var followerClient = newOperatorClient(followerWrites);
    var follower = startOperator(followerClient);
    try {
      var followerIdentity = follower.identity().orElseThrow();
      assertThat(followerIdentity).as("same replica name, yet an identity of its own")
          .startsWith("test-replica-").isNotEqualTo(leader);

      readyAt("pair", "1.0.0");
      editSpec("pair", spec -> spec.setVersion("1.1.0"));
      awaitVersionServed("pair", "1.1.0");
      assertThat(lease().getHolderIdentity()).isEqualTo(leader);
      assertThat(workWrites(writes)).as("the leader's writes").isNotEmpty();
      assertThat(workWrites(followerWrites)).as("the follower's writes while the leader lives").isEmpty();

      var crashedAt = System.nanoTime();
      crashOperatorProcess();
      var lastRenewal = lease();
      assertThat(lastRenewal.getHolderIdentity()).as("a crashed leader gives nothing up").isEqualTo(leader);
      await().atMost(LEASE_DURATION.plus(LONGEST_POLL).plusSeconds(1)).pollInterval(Duration.ofMillis(50))
          .until(() -> lease().getHolderIdentity(), followerIdentity::equals);
      var handover = Duration.ofNanos(System.nanoTime() - crashedAt);
      var taken = lease();
      var expiryWait = Duration.between(lastRenewal.getRenewTime(), taken.getAcquireTime());
      System.out.printf("leader election: handover %d ms after the crash, %d ms after the last renewal"
          + " (lease %d s, retry period %d s)%n", handover.toMillis(), expiryWait.toMillis(),
          LEASE_DURATION.toSeconds(), LEASE_RETRY_PERIOD.toSeconds());
      // The new holder's acquire time is taken just before it reads the expired Lease: allow that read's time.
      assertThat(expiryWait).as("the follower waits for the Lease to expire")
          .isGreaterThan(LEASE_DURATION.minusMillis(500))
          .isLessThanOrEqualTo(LEASE_DURATION.plus(LONGEST_POLL).plusSeconds(1));
      assertThat(taken.getLeaseTransitions()).isEqualTo(lastRenewal.getLeaseTransitions() + 1);

      // Kubernetes restarts the crashed pod: it comes back as a follower of the new leader.
      writes.reset();
      startOperatorProcess();
      assertThat(operatorIdentity()).isNotEqualTo(leader);
      followerWrites.reset();
      editSpec("pair", spec -> spec.setVersion("1.2.0"));
      awaitVersionServed("pair", "1.2.0");
      assertThat(workWrites(followerWrites)).as("the new leader's writes")
          .anyMatch(w -> w.endsWith("/infracastinstallations/pair/status"))
          .anyMatch(w -> w.contains("/jobs"));
      assertThat(workWrites(writes)).as("the restarted replica's writes").isEmpty();
      assertThat(lease().getHolderIdentity()).isEqualTo(followerIdentity);
    } finally {
      follower.close();
      followerClient.close();
    }
  }

  /** Writes other than the replica's own part in the election: the Lease, and JOSDK's check that it may use one. */
  private static List<String> workWrites(WriteCounter counter) {
    return counter.writes().stream()
        .filter(w -> !w.contains("/coordination.k8s.io/") && !w.contains("/selfsubjectrulesreviews")).toList();
  }

  private static LeaseSpec lease() {
    return client.leases().inNamespace(namespace).withName(OperatorSettings.LEASE_NAME).get().getSpec();
  }
}
