package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Provisioner;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** Precondition of the DATABASE_URL Secret: a database ACK or OpenTofu provisioned, once it reported where it listens. */
public class DatabaseUrlCondition extends KeptOnceMadeCondition<Secret> {

  @Override
  boolean wanted(InfracastInstallation installation, ReconcileFacts facts, Context<InfracastInstallation> context) {
    var provisioner = installation.getSpec().getDatabase().getProvisioner();
    return (provisioner == Provisioner.ACK || provisioner == Provisioner.TERRAFORM)
        && facts.database().endpoint() != null;
  }
}
