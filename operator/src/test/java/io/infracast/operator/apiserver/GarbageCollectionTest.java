package io.infracast.operator.apiserver;

import static io.infracast.operator.testing.Installations.databaseSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorTestBase;
import io.infracast.operator.testing.RealApiServer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Deleting an installation deletes everything it owns, through owner references and the real garbage
 * collector (kube-controller-manager from testenv); the user's own database Secret stays, and so does the
 * generated Secret of the service's keys, which the retained data needs.
 */
class GarbageCollectionTest extends OperatorTestBase {

  private static final List<Class<? extends HasMetadata>> OWNED = List.of(ServiceAccount.class, Secret.class,
      ConfigMap.class, Job.class, Deployment.class, HorizontalPodAutoscaler.class, Service.class,
      NetworkPolicy.class);

  /** The installation's objects, but for the service's keys, which are meant to outlive it (ServiceKeysTest). */
  private static long owned(Class<? extends HasMetadata> type) {
    return client.resources(type).inNamespace(namespace).withLabel("app.kubernetes.io/instance", "gone")
        .list().getItems().stream().filter(o -> !o.getMetadata().getName().equals("gone-keys")).count();
  }

  @Test
  void deletingAnInstallationDeletesWhatItOwnsAndNothingElse() throws Exception {
    var gc = RealApiServer.startControllerManager(Files.createTempDirectory("gc-"), RealApiServer.GARBAGE_COLLECTOR);
    try {
      client.resource(databaseSecret(namespace, "gone")).serverSideApply();
      client.resource(Installations.development(namespace, "gone")).create();
      await().atMost(Duration.ofSeconds(30)).until(() -> installation("gone").get().getStatus() != null
          && installation("gone").get().getStatus().getPhase() == Phase.Ready);
      assertThat(OWNED).allSatisfy(type -> assertThat(owned(type)).as(type.getSimpleName()).isPositive());

      installation("gone").delete();

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(OWNED).allSatisfy(type -> assertThat(owned(type)).as(type.getSimpleName()).isZero()));
      assertThat(client.secrets().inNamespace(namespace).withName("gone-database").get())
          .as("the user's own Secret is not the installation's to delete").isNotNull();
      assertThat(client.secrets().inNamespace(namespace).withName("gone-keys").get())
          .as("the keys of the data the installation leaves behind").isNotNull();
    } finally {
      gc.destroy();
      gc.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
