package io.infracast.operator.dependent;

import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Provisioner;
import io.infracast.operator.data.ack.Bucket;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Precondition of the Bucket: the installation's bucket comes through ACK. A Bucket made before a switch to
 * another provisioner stays (it is garbage-collected, never deleted by the workflow) and goes with the
 * installation, keeping the bucket in AWS.
 */
public class AckArtifactsCondition implements Condition<Bucket, InfracastInstallation> {

  @Override
  public boolean isMet(DependentResource<Bucket, InfracastInstallation> dependentResource,
      InfracastInstallation installation, Context<InfracastInstallation> context) {
    return installation.getSpec().getArtifacts().getProvisioner() == Provisioner.ACK;
  }
}
