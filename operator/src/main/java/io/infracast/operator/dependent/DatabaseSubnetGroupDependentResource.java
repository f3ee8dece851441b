package io.infracast.operator.dependent;

import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.data.ack.AckRds;
import io.infracast.operator.data.ack.DBSubnetGroup;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** ACK's DBSubnetGroup over the data-tier subnets the spec lists (database.subnetIds). */
@KubernetesDependent(informer = @Informer(labelSelector = InstallationLabels.MANAGED_BY_SELECTOR))
public class DatabaseSubnetGroupDependentResource
    extends CRUDKubernetesDependentResource<DBSubnetGroup, InfracastInstallation> {

  @Override
  protected DBSubnetGroup desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var group = new DBSubnetGroup();
    group.setMetadata(AckMetadata.of(installation, ObjectNames.database(installation), "database", null));
    group.setSpec(AckRds.subnetGroupSpec(installation));
    return group;
  }
}
