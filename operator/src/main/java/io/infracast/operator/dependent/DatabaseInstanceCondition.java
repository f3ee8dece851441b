package io.infracast.operator.dependent;

import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Provisioner;
import io.infracast.operator.data.ack.AckRds;
import io.infracast.operator.data.ack.DBInstance;
import io.infracast.operator.data.ack.DBSubnetGroup;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * Precondition of the DBInstance: an ACK database, asked for once its own subnet group (if it has one) is synced,
 * since AWS refuses an instance in a subnet group it does not know yet.
 */
public class DatabaseInstanceCondition extends KeptOnceMadeCondition<DBInstance> {

  @Override
  boolean wanted(InfracastInstallation installation, ReconcileFacts facts, Context<InfracastInstallation> context) {
    return installation.getSpec().getDatabase().getProvisioner() == Provisioner.ACK
        && AckRds.subnetGroupReady(installation, context.getSecondaryResource(DBSubnetGroup.class));
  }
}
