package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Precondition of the Deployment: it is created once a schema exists for the version it would run, the database
 * and bucket are ready and every referenced Secret is usable. An existing Deployment always stays reconciled,
 * checked first, because a precondition that turns false deletes its resource: a lost status, a Secret deleted
 * by mistake or a failed migration must degrade the status, never take the tenant down. Its pods keep serving;
 * the rolling update never replaces them with pods that cannot start.
 */
public class WorkloadCanRunCondition implements Condition<Deployment, InfracastInstallation> {

  @Override
  public boolean isMet(DependentResource<Deployment, InfracastInstallation> dependentResource,
      InfracastInstallation installation, Context<InfracastInstallation> context) {
    if (dependentResource.getSecondaryResource(installation, context).isPresent()) {
      return true;
    }
    var facts = ReconcileFacts.of(context);
    // Without a schema the first migration has not succeeded: there is no version the pods could run.
    return facts.migration().servingVersion() != null && facts.workloadCanRun();
  }
}
