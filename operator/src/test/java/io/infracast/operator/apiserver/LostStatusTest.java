package io.infracast.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.infracast.operator.api.v1alpha1.InfracastInstallationStatus;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.testing.EveryVersion;
import io.infracast.operator.testing.OperatorTestBase;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Status is a cache: a backup restore or a move between clusters drops it, and a migration Job goes with its TTL.
 * Neither may take a serving tenant down, nor start a migration nobody asked for.
 */
class LostStatusTest extends OperatorTestBase {

  /** "Kind/name" of every Deployment or HPA deleted while a test ran. */
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();
  private List<SharedIndexInformer<? extends HasMetadata>> informers;

  @BeforeEach
  void recordDeletions() {
    informers = List.of(
        client.apps().deployments().inNamespace(namespace)
            .inform(EveryVersion.handler(seen -> { }, this::recordDeletion)),
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace)
            .inform(EveryVersion.handler(seen -> { }, this::recordDeletion)));
  }

  private void recordDeletion(HasMetadata object) {
    deleted.add(object.getKind() + "/" + object.getMetadata().getName());
  }

  @AfterEach
  void stopRecording() {
    informers.forEach(SharedIndexInformer::close);
  }

  private static void loseStatus(String name) {
    installation(name).editStatus(i -> {
      i.setStatus(new InfracastInstallationStatus());
      return i;
    });
  }

  /** What a Job's TTL does: the migration Jobs are gone. */
  private static void expireJobs(String name) {
    client.batch().v1().jobs().inNamespace(namespace).withLabel(InstallationLabels.INSTANCE, name)
        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(client.batch().v1().jobs().inNamespace(namespace)
        .withLabel(InstallationLabels.INSTANCE, name).list().getItems()).extracting(j -> j.getMetadata().getName()
            + " created " + j.getMetadata().getCreationTimestamp()).isEmpty());
  }

  @Test
  void aLostStatusAndExpiredJobsKeepTheTenantServingWithoutANewMigration() throws InterruptedException {
    readyAt("restored", "1.1.0");
    expireJobs("restored");

    loseStatus("restored");
    awaitVersionServed("restored", "1.1.0");
    Thread.sleep(3000); // several reconciles (resync every 2 s in tests)

    assertThat(deleted).as("Deployments or HPAs deleted").isEmpty();
    assertThat(migrationJobs("restored", "1.1.0")).as("the ledger remembers the schema").isEmpty();
  }

  @Test
  void withTheLedgerLostTooTheDeploymentsVersionIsTheSchemasFloor() throws Exception {
    readyAt("bare", "1.1.0");
    expireJobs("bare");
    stopOperatorProcess();
    try {
      client.configMaps().inNamespace(namespace).withName("bare-migrations").delete();
      loseStatus("bare");
    } finally {
      startOperatorProcess();
    }
    awaitVersionServed("bare", "1.1.0");
    Thread.sleep(3000);

    assertThat(deleted).as("Deployments or HPAs deleted").isEmpty();
    assertThat(migrationJobs("bare", "1.1.0")).as("pods never run ahead of their schema").isEmpty();
    assertThat(client.configMaps().inNamespace(namespace).withName("bare-migrations").get().getData())
        .containsEntry("schemaVersion", "1.1.0");
  }

  @Test
  void aFailedMigrationIsNotRetriedWhenItsJobIsGoneOnlyWhenRetryIsRaised() throws InterruptedException {
    readyAt("stubborn", "1.0.0");
    jobs.failVersion("1.1.0");
    try {
      editSpec("stubborn", spec -> spec.setVersion("1.1.0"));
      await().atMost(TIMEOUT).until(() -> "MigrationFailed".equals(condition("stubborn", "Degraded").getReason()));
      expireJobs("stubborn");
      loseStatus("stubborn");
      Thread.sleep(4000); // several reconciles with the Job and the status gone

      assertThat(migrationJobs("stubborn", "1.1.0")).as("no attempt nobody asked for").isEmpty();
      assertThat(condition("stubborn", "Degraded").getReason()).isEqualTo("MigrationFailed");
      assertThat(condition("stubborn", "Degraded").getMessage()).contains("column \"tenant_id\" does not exist");
      assertThat(image("stubborn")).isEqualTo("infracast/vulcan-api:1.0.0");
    } finally {
      jobs.succeedVersion("1.1.0");
    }
    raiseRetry("stubborn", 1);
    awaitVersionServed("stubborn", "1.1.0");
    assertThat(migrationJobs("stubborn", "1.1.0")).extracting(j -> j.getMetadata().getName())
        .containsExactly("stubborn-migrate-1-1-0-r1");
    assertThat(deleted).isEmpty();
  }
}
