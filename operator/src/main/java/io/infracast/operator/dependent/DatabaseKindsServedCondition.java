package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Activation condition of ACK's RDS objects, as {@link BucketKindServedCondition} is of the Bucket: their
 * informers run only while the cluster serves ACK's RDS kinds.
 */
public class DatabaseKindsServedCondition implements Condition<HasMetadata, InfracastInstallation> {

  @Override
  public boolean isMet(DependentResource<HasMetadata, InfracastInstallation> dependentResource,
      InfracastInstallation installation, Context<InfracastInstallation> context) {
    return ReconcileFacts.of(context).ackServed().databases();
  }
}
