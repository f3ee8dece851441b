package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.TerraformSpec;
import io.infracast.operator.data.terraform.TofuRunner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenTofu runner's identity: in Kubernetes only the state Secret and its lock Lease (its Role), in AWS the
 * role of terraform.roleArn (IRSA), if set.
 */
public class TofuServiceAccountDependentResource
    extends CRUDKubernetesDependentResource<ServiceAccount, InfracastInstallation> {

  @Override
  protected ServiceAccount desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var metadata = OwnedMetadata.builder(installation, TofuRunner.serviceAccount(installation), TofuRunner.COMPONENT);
    Optional.ofNullable(installation.getSpec().getTerraform()).map(TerraformSpec::getRoleArn).ifPresent(role ->
        metadata.withAnnotations(Map.of(ServiceAccountDependentResource.IRSA_ROLE_ANNOTATION, role)));
    return new ServiceAccountBuilder().withMetadata(metadata.build()).build();
  }

  @Override
  protected ResourceID targetSecondaryResourceID(InfracastInstallation installation,
      Context<InfracastInstallation> context) {
    return new ResourceID(TofuRunner.serviceAccount(installation), installation.getMetadata().getNamespace());
  }
}
