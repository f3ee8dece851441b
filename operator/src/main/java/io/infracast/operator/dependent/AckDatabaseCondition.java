package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Provisioner;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** Precondition of the RDS master password Secret: the database comes through ACK. */
public class AckDatabaseCondition extends KeptOnceMadeCondition<HasMetadata> {

  @Override
  boolean wanted(InfracastInstallation installation, ReconcileFacts facts, Context<InfracastInstallation> context) {
    return installation.getSpec().getDatabase().getProvisioner() == Provisioner.ACK;
  }
}
