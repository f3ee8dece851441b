package io.infracast.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.dependent.DeploymentDependentResource;
import io.infracast.operator.testing.OperatorConfig;
import io.infracast.operator.testing.OperatorTestBase;
import io.infracast.operator.testing.RunningJobs;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The fleet's rollout cap holds across an operator restart (its count comes from the cluster, not from memory),
 * waiting installations are woken when a slot frees, also by the deletion of its holder (the 5-minute rechecks
 * here would be far too slow), and an operator release that changes every tenant's pod template rolls them under
 * the same cap.
 */
@OperatorConfig(maxConcurrentRollouts = 2, resyncSeconds = 300, waitingRecheckSeconds = 300)
class RolloutSlotsTest extends OperatorTestBase {

  private static final String OLDER_RELEASE = "from-an-older-operator-release";

  @Test
  void theCapHoldsAcrossARestartAndWaitersAreWokenWhenASlotFrees() throws Exception {
    var names = fleet("upgrading");
    try (var running = new RunningJobs(client, namespace)) {
      jobs.hold();
      names.forEach(name -> editSpec(name, spec -> spec.setVersion("1.1.0")));
      await().atMost(TIMEOUT).failFast(() -> running.count() > 2).until(() -> running.count() == 2
          && waitingForASlot(names) == 2);

      stopOperatorProcess();
      startOperatorProcess();
      // The restarted operator reconciles all four at once; its first decisions must already count the two Jobs.
      Thread.sleep(3000);
      assertThat(running.count()).as("migrations running after the restart").isEqualTo(2);

      jobs.release();
      await().atMost(TIMEOUT).untilAsserted(() -> names.forEach(name -> awaitVersionServed(name, "1.1.0")));
      assertThat(running.mostAtOnce()).as("migrations running at the same time, ever").isEqualTo(2);
    }
  }

  @Test
  void deletingAnInstallationThatHoldsASlotWakesTheNextWaiter() throws Exception {
    var names = fleet("deleted").subList(0, 3);
    String waiter;
    try (var running = new RunningJobs(client, namespace)) {
      jobs.hold();
      names.forEach(name -> editSpec(name, spec -> spec.setVersion("1.1.0")));
      await().atMost(TIMEOUT).until(() -> running.count() == 2 && waitingForASlot(names) == 1);
      waiter = names.stream().filter(name -> waitingForASlot(List.of(name)) == 1).findFirst().orElseThrow();
      var holder = names.stream().filter(name -> !name.equals(waiter)).findFirst().orElseThrow();

      client.resource(installation(holder).get()).delete();
      // Rechecks come every 300 s here: only the holder's deletion giving its slot away can move the waiter.
      await().atMost(TIMEOUT).until(() -> waitingForASlot(List.of(waiter)) == 0);
    } finally {
      jobs.release();
    }
    awaitVersionServed(waiter, "1.1.0");
  }

  @Test
  void aNewPodTemplateForEveryTenantRollsUnderTheCap() throws Exception {
    var names = fleet("templated");
    stopOperatorProcess();
    // What an older operator release left: another pod template (here, another config hash) and its hash.
    names.forEach(name -> client.apps().deployments().inNamespace(namespace).withName(name + "-api").edit(d -> {
      d.getMetadata().getAnnotations().put(DeploymentDependentResource.TEMPLATE_HASH_ANNOTATION, OLDER_RELEASE);
      d.getSpec().getTemplate().getMetadata().getAnnotations()
          .put(DeploymentDependentResource.CONFIG_HASH_ANNOTATION, OLDER_RELEASE);
      return d;
    }));
    await().atMost(TIMEOUT).until(() -> names.stream().map(RolloutSlotsTest::deployment).allMatch(d ->
        Objects.equals(d.getStatus().getObservedGeneration(), d.getMetadata().getGeneration())));

    deployments.hold(); // the new template's rollouts stay in progress
    startOperatorProcess();
    await().atMost(TIMEOUT).failFast(() -> rolledToTheNewTemplate(names) > 2)
        .until(() -> rolledToTheNewTemplate(names) == 2 && waitingForASlot(names) == 2);
    Thread.sleep(2000);
    assertThat(rolledToTheNewTemplate(names)).as("Deployments given the new template while two roll").isEqualTo(2);

    deployments.release();
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(rolledToTheNewTemplate(names)).isEqualTo(names.size());
      assertThat(names).allSatisfy(name -> assertThat(installation(name).get().getStatus().getPhase())
          .isEqualTo(Phase.Ready));
    });
  }

  /** Four installations serving 1.0.0. */
  private static List<String> fleet(String prefix) {
    var names = IntStream.rangeClosed(1, 4).mapToObj(i -> prefix + "-" + i).toList();
    names.forEach(name -> readyAt(name, "1.0.0"));
    return names;
  }

  private static long waitingForASlot(List<String> names) {
    return names.stream().map(name -> installation(name).get().getStatus().getConditions())
        .filter(conditions -> conditions.stream().anyMatch(c -> "Progressing".equals(c.getType())
            && "WaitingForRolloutSlot".equals(c.getReason())))
        .count();
  }

  private static long rolledToTheNewTemplate(List<String> names) {
    return names.stream().map(RolloutSlotsTest::deployment)
        .filter(d -> !OLDER_RELEASE.equals(d.getSpec().getTemplate().getMetadata().getAnnotations()
            .get(DeploymentDependentResource.CONFIG_HASH_ANNOTATION)))
        .count();
  }

  private static Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(namespace).withName(name + "-api").get();
  }
}
