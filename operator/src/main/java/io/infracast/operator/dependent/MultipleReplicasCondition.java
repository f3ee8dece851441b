package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Precondition of the PDB: the autoscaler keeps at least two API pods. */
public class MultipleReplicasCondition implements Condition<PodDisruptionBudget, InfracastInstallation> {

  @Override
  public boolean isMet(DependentResource<PodDisruptionBudget, InfracastInstallation> dependentResource,
      InfracastInstallation installation, Context<InfracastInstallation> context) {
    return ReconcileFacts.of(context).settings().getMinReplicas() >= 2;
  }
}
