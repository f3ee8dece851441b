package io.infracast.operator.apiserver;

import static io.infracast.operator.testing.Installations.databaseSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorConfig;
import io.infracast.operator.testing.OperatorTestBase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Two operator replicas elect one leader through a Lease: one reconciles, so one migration Job per version. */
@OperatorConfig(leaderElection = true)
class LeaderElectionTest extends OperatorTestBase {

  @Test
  void twoReplicasMakeOneJobPerVersion() throws Exception {
    var secondClient = newOperatorClient();
    var second = startOperator(secondClient);
    try {
      client.resource(databaseSecret(namespace, "pair")).serverSideApply();
      client.resource(Installations.development(namespace, "pair")).create();
      await().atMost(Duration.ofSeconds(60)).until(() -> installation("pair").get().getStatus() != null
          && installation("pair").get().getStatus().getPhase() == Phase.Ready);
      editSpec("pair", spec -> spec.setVersion("1.1.0"));
      await().atMost(Duration.ofSeconds(30)).until(() -> "1.1.0".equals(installation("pair").get().getStatus()
          .getVersion()));

      var lease = client.leases().inNamespace(namespace).withName("infracast-operator-leader").get();
      assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
      assertThat(client.batch().v1().jobs().inNamespace(namespace)
          .withLabel(InstallationLabels.COMPONENT, "migration").list().getItems())
          .extracting(j -> j.getMetadata().getName())
          .containsExactlyInAnyOrder("pair-migrate-1-0-0", "pair-migrate-1-1-0");
    } finally {
      second.close();
      secondClient.close();
    }
  }
}
