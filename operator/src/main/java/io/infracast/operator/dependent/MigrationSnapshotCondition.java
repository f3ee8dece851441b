package io.infracast.operator.dependent;

import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.data.ack.DBSnapshot;
import io.infracast.operator.migration.MigrationPlan;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** Precondition of the DBSnapshot: the migration to spec.version waits for its snapshot (see AckRds). */
public class MigrationSnapshotCondition extends KeptOnceMadeCondition<DBSnapshot> {

  @Override
  boolean wanted(InfracastInstallation installation, ReconcileFacts facts, Context<InfracastInstallation> context) {
    return facts.migration().step() == MigrationPlan.Step.WAITING_FOR_SNAPSHOT;
  }
}
