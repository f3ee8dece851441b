package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Precondition of the migration Job: the schema is behind spec.version and the fleet has a slot for it. */
public class MigrationJobCondition implements Condition<Job, InfracastInstallation> {

  @Override
  public boolean isMet(DependentResource<Job, InfracastInstallation> dependentResource,
      InfracastInstallation installation, Context<InfracastInstallation> context) {
    return ReconcileFacts.of(context).migration().runsJob();
  }
}
