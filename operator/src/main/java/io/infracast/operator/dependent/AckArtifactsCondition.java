package io.infracast.operator.dependent;

import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Provisioner;
import io.infracast.operator.data.ack.Bucket;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * Precondition of the Bucket: the installation's bucket comes through ACK. A Bucket made before a switch to
 * another provisioner stays and goes with the installation, keeping the bucket in AWS.
 */
public class AckArtifactsCondition extends KeptOnceMadeCondition<Bucket> {

  @Override
  boolean wanted(InfracastInstallation installation, ReconcileFacts facts, Context<InfracastInstallation> context) {
    return installation.getSpec().getArtifacts().getProvisioner() == Provisioner.ACK;
  }
}
