package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * A precondition for objects that stand for data in AWS (ACK's objects and their Secrets): made when {@link
 * #wanted} says so, and once made never deleted by the workflow, since JOSDK deletes the object of a precondition
 * that turns false. A provisioner switched away, a subnet group briefly not synced: the object stays, goes only
 * with the installation, and what it stands for in AWS is kept by ACK's retain annotation.
 */
abstract class KeptOnceMadeCondition<R extends HasMetadata> implements Condition<R, InfracastInstallation> {

  @Override
  public final boolean isMet(DependentResource<R, InfracastInstallation> dependentResource,
      InfracastInstallation installation, Context<InfracastInstallation> context) {
    // Only an object this installation controls counts: a user's Secret of the same name is not the operator's.
    var made = dependentResource.getSecondaryResource(installation, context)
        .filter(object -> object.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> Boolean.TRUE.equals(o.getController())
                && o.getUid().equals(installation.getMetadata().getUid())));
    return made.isPresent() || wanted(installation, ReconcileFacts.of(context), context);
  }

  /** Whether the object is to be made now. */
  abstract boolean wanted(InfracastInstallation installation, ReconcileFacts facts,
      Context<InfracastInstallation> context);
}
