package io.infracast.operator.apiserver;

import static io.infracast.operator.testing.Installations.databaseSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.infracast.operator.api.v1alpha1.ApiSpec;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorTestBase;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every object an installation owns is server-side applied by the operator's one field manager and names the
 * installation as its one controller, after creation and after updates alike.
 */
class OwnedObjectsTest extends OperatorTestBase {

  private static final List<Class<? extends HasMetadata>> KINDS = List.of(ServiceAccount.class, Secret.class,
      ConfigMap.class, Job.class, Deployment.class, HorizontalPodAutoscaler.class, PodDisruptionBudget.class,
      Service.class, NetworkPolicy.class, Ingress.class);

  @Test
  void everyOwnedObjectIsAppliedByTheOperatorAloneAndControlledByTheInstallation() {
    client.resource(databaseSecret(namespace, "owned")).serverSideApply();
    client.resource(Installations.production(namespace, "owned")).create();
    awaitVersionServed("owned", "1.0.0");
    // Updates too: a new version (a second Job, the ledger) and new settings (the ConfigMap, the pods).
    editSpec("owned", spec -> {
      spec.setVersion("1.1.0");
      spec.getApi().setContentCdnUrl("https://cdn.example.com");
    });
    awaitVersionServed("owned", "1.1.0");
    var installation = installation("owned").get();

    var owned = KINDS.stream().flatMap(type -> client.resources(type).inNamespace(namespace)
        .withLabel(InstallationLabels.INSTANCE, "owned").list().getItems().stream()).toList();

    assertThat(owned).extracting(o -> o.getClass().getSimpleName() + " " + o.getMetadata().getName())
        .containsExactlyInAnyOrder("ServiceAccount owned-api", "Secret owned-jwt", "Secret owned-keys",
            "ConfigMap owned-config",
            "ConfigMap owned-migrations", "Job owned-migrate-1-0-0", "Job owned-migrate-1-1-0",
            "Deployment owned-api", "HorizontalPodAutoscaler owned-api", "PodDisruptionBudget owned-api",
            "Service owned-api", "NetworkPolicy owned-api", "Ingress owned-api");
    assertThat(owned).allSatisfy(object -> {
      var what = object.getClass().getSimpleName() + " " + object.getMetadata().getName();
      if (what.equals("Secret owned-keys")) {
        // Kept when the installation goes: the retained database and bucket need its keys (ServiceKeysTest).
        assertThat(object.getMetadata().getOwnerReferences()).as("owner references of %s", what).isEmpty();
      } else {
        assertThat(object.getMetadata().getOwnerReferences()).as("owner references of %s", what)
          .filteredOn(r -> Boolean.TRUE.equals(r.getController())).singleElement().satisfies(owner -> {
            assertThat(owner.getUid()).isEqualTo(installation.getMetadata().getUid());
            assertThat(owner.getKind()).isEqualTo("InfracastInstallation");
            assertThat(owner.getName()).isEqualTo("owned");
            assertThat(owner.getBlockOwnerDeletion()).isTrue();
          });
      }
      // Status written by the fake Deployment and Job controllers stands in for Kubernetes' own: not ours.
      assertThat(object.getMetadata().getManagedFields()).as("field managers of %s", what)
          .filteredOn(entry -> !"status".equals(entry.getSubresource()))
          .extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
          .containsOnly(tuple(InstallationLabels.OPERATOR_NAME, "Apply"));
    });
  }
}
