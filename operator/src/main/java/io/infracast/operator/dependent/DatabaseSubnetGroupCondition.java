package io.infracast.operator.dependent;

import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Provisioner;
import io.infracast.operator.data.ack.AckRds;
import io.infracast.operator.data.ack.DBSubnetGroup;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** Precondition of the DBSubnetGroup: an ACK database whose spec lists its subnets (else a named group is used). */
public class DatabaseSubnetGroupCondition extends KeptOnceMadeCondition<DBSubnetGroup> {

  @Override
  boolean wanted(InfracastInstallation installation, ReconcileFacts facts, Context<InfracastInstallation> context) {
    return installation.getSpec().getDatabase().getProvisioner() == Provisioner.ACK
        && AckRds.ownsSubnetGroup(installation);
  }
}
