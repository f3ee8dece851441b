package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Precondition of the Deployment: it is created only once the first migration succeeded, the database and
 * bucket are ready and every referenced Secret is usable. An existing Deployment always stays reconciled, because a precondition that
 * turns false deletes its resource: a Secret deleted by mistake must degrade the status, not take the tenant
 * down. Its pods keep serving; the rolling update never replaces them with pods that cannot start.
 */
public class WorkloadCanRunCondition implements Condition<Deployment, InfracastInstallation> {

  @Override
  public boolean isMet(DependentResource<Deployment, InfracastInstallation> dependentResource,
      InfracastInstallation installation, Context<InfracastInstallation> context) {
    var facts = ReconcileFacts.of(context);
    if (facts.migration().servingVersion() == null) {
      return false; // no schema yet: the first migration has not succeeded
    }
    return facts.workloadCanRun() || dependentResource.getSecondaryResource(installation, context).isPresent();
  }
}
