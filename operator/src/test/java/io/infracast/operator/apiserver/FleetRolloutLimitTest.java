package io.infracast.operator.apiserver;

import static io.infracast.operator.testing.Installations.databaseSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorConfig;
import io.infracast.operator.testing.OperatorTestBase;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Ten installations upgrading at once never have more than the operator's limit of migrations running. */
@OperatorConfig(maxConcurrentRollouts = 3)
class FleetRolloutLimitTest extends OperatorTestBase {

  @Test
  void tenInstallationsUpgradingAtOnceRespectTheLimit() {
    var running = ConcurrentHashMap.<String>newKeySet();
    var mostAtOnce = new AtomicInteger();
    var informer = client.batch().v1().jobs().inNamespace(namespace)
        .withLabel(InstallationLabels.COMPONENT, "migration")
        .inform(new RunningJobs(running, mostAtOnce));
    try {
      var names = IntStream.rangeClosed(1, 10).mapToObj(i -> "tenant-" + i).toList();
      names.forEach(name -> client.resource(databaseSecret(namespace, name)).serverSideApply());
      jobs.hold();
      names.forEach(name -> client.resource(Installations.development(namespace, name)).create());

      // Generous timeouts: ten installations reconcile at once on a 2-core CI machine.
      await().atMost(Duration.ofSeconds(90)).failFast(() -> running.size() > 3)
          .until(() -> running.size() >= 3);
      assertThat(running).as("migrations running while all ten wait for a slot").hasSize(3);
      await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(names.stream()
          .map(name -> installation(name).get().getStatus())
          .filter(s -> s != null && s.getConditions().stream().anyMatch(c ->
              "Migrated".equals(c.getType()) && "WaitingForRolloutSlot".equals(c.getReason())
                  && c.getMessage().contains("3 installations are already migrating")))
          .count()).isEqualTo(7));

      jobs.release();
      await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(names.stream()
          .map(name -> installation(name).get().getStatus().getPhase())).containsOnly(Phase.Ready));
      assertThat(mostAtOnce.get()).as("migrations running at the same time").isEqualTo(3);
    } finally {
      informer.close();
    }
  }

  /** Counts Jobs that have not finished yet, and the most seen at once. */
  private record RunningJobs(Set<String> running, AtomicInteger mostAtOnce) implements ResourceEventHandler<Job> {
    @Override
    public void onAdd(Job job) {
      onUpdate(null, job);
    }

    @Override
    public void onUpdate(Job old, Job job) {
      var finished = job.getStatus() != null && job.getStatus().getConditions() != null
          && !job.getStatus().getConditions().isEmpty();
      if (finished) {
        running.remove(job.getMetadata().getName());
      } else {
        running.add(job.getMetadata().getName());
        mostAtOnce.accumulateAndGet(running.size(), Math::max);
      }
    }

    @Override
    public void onDelete(Job job, boolean unknownFinalState) {
      running.remove(job.getMetadata().getName());
    }
  }
}
