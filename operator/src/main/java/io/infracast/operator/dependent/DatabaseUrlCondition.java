package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Provisioner;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** Precondition of the DATABASE_URL Secret: an ACK database that reported where it listens. */
public class DatabaseUrlCondition extends KeptOnceMadeCondition<Secret> {

  @Override
  boolean wanted(InfracastInstallation installation, ReconcileFacts facts, Context<InfracastInstallation> context) {
    return installation.getSpec().getDatabase().getProvisioner() == Provisioner.ACK
        && facts.database().endpoint() != null;
  }
}
