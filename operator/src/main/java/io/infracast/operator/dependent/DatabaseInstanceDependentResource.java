package io.infracast.operator.dependent;

import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.data.ack.AckRds;
import io.infracast.operator.data.ack.DBInstance;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Optional;

/**
 * ACK's DBInstance: the tenant's RDS PostgreSQL 15 from the profile's presets and the spec's overrides, in the
 * subnet group the spec gives (its own over database.subnetIds, or database.subnetGroupName), with the master
 * password ACK reads from the operator's Secret. Retained in AWS when the object goes (see {@link AckMetadata});
 * it tells ACK whether to take a final snapshot for when the installation's deletionPolicy lets AWS delete it.
 */
@KubernetesDependent(informer = @Informer(labelSelector = InstallationLabels.MANAGED_BY_SELECTOR))
public class DatabaseInstanceDependentResource
    extends CRUDKubernetesDependentResource<DBInstance, InfracastInstallation> {

  @Override
  protected DBInstance desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var subnetGroup = AckRds.ownsSubnetGroup(installation) ? Optional.of(AckRds.instanceIdentifier(installation))
        : Optional.ofNullable(installation.getSpec().getDatabase().getSubnetGroupName());
    var settings = ReconcileFacts.of(context).settings();
    var instance = new DBInstance();
    instance.setMetadata(AckMetadata.of(installation, ObjectNames.database(installation), "database", null,
        AckRds.deletionAnnotations(installation, settings.getDeletionPolicy())));
    instance.setSpec(AckRds.instanceSpec(installation, settings, ObjectNames.databaseMasterSecret(installation),
        subnetGroup));
    return instance;
  }
}
