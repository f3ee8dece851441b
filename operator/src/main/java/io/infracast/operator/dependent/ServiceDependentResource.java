package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** In-cluster address of the API; the ALB targets the pods behind it directly (IP mode). */
@KubernetesDependent(informer = @Informer(labelSelector = InstallationLabels.MANAGED_BY_SELECTOR))
public class ServiceDependentResource extends CRUDKubernetesDependentResource<Service, InfracastInstallation> {

  public static final int PORT = 80;

  @Override
  protected Service desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    return new ServiceBuilder()
        .withMetadata(OwnedMetadata.of(installation, ObjectNames.api(installation), "api"))
        .withNewSpec()
          .withType("ClusterIP")
          .withSelector(InstallationLabels.apiSelector(installation))
          .addNewPort().withName(DeploymentDependentResource.PORT_NAME).withPort(PORT).withProtocol("TCP")
            .withNewTargetPort(DeploymentDependentResource.PORT_NAME).endPort()
        .endSpec()
        .build();
  }
}
