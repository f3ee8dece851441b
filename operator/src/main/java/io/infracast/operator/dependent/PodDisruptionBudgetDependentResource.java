package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * Lets node drains evict one API pod at a time. Only with at least two replicas (see
 * {@link MultipleReplicasCondition}): with one it would block every drain.
 */
@KubernetesDependent(informer = @Informer(labelSelector = InstallationLabels.MANAGED_BY_SELECTOR))
public class PodDisruptionBudgetDependentResource
    extends CRUDKubernetesDependentResource<PodDisruptionBudget, InfracastInstallation> {

  @Override
  protected PodDisruptionBudget desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(OwnedMetadata.of(installation, ObjectNames.api(installation), "api"))
        .withNewSpec()
          .withNewMaxUnavailable(1)
          .withNewSelector().withMatchLabels(InstallationLabels.apiSelector(installation)).endSelector()
        .endSpec()
        .build();
  }
}
