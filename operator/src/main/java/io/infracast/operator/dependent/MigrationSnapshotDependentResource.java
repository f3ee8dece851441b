package io.infracast.operator.dependent;

import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.data.ack.AckRds;
import io.infracast.operator.data.ack.DBSnapshot;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * ACK's DBSnapshot of the database before the migration to spec.version (migration.snapshotBeforeMigrate): one
 * per version, named from it, so each upgrade has its own and a restarted operator finds it. Earlier versions'
 * snapshots stay as they are; all are retained in AWS when their objects go (see {@link AckMetadata}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = InstallationLabels.MANAGED_BY_SELECTOR))
public class MigrationSnapshotDependentResource
    extends CRUDKubernetesDependentResource<DBSnapshot, InfracastInstallation> {

  @Override
  protected DBSnapshot desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var version = installation.getSpec().getVersion();
    var snapshot = new DBSnapshot();
    snapshot.setMetadata(AckMetadata.of(installation, ObjectNames.migrationSnapshot(installation, version),
        "database", null));
    snapshot.setSpec(AckRds.snapshotSpec(installation, version));
    return snapshot;
  }

  @Override
  protected ResourceID targetSecondaryResourceID(InfracastInstallation installation,
      Context<InfracastInstallation> context) {
    return new ResourceID(ObjectNames.migrationSnapshot(installation, installation.getSpec().getVersion()),
        installation.getMetadata().getNamespace());
  }
}
