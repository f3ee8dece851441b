package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.ServiceAccountSpec;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;
import java.util.Optional;

/** The API pods' identity; with a role ARN it is an IRSA service account for S3 and Secrets Manager. */
@KubernetesDependent(informer = @Informer(labelSelector = InstallationLabels.MANAGED_BY_SELECTOR))
public class ServiceAccountDependentResource
    extends CRUDKubernetesDependentResource<ServiceAccount, InfracastInstallation> {

  public static final String IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

  @Override
  protected ServiceAccount desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var metadata = OwnedMetadata.builder(installation, ObjectNames.api(installation), "api");
    Optional.ofNullable(installation.getSpec().getServiceAccount())
        .map(ServiceAccountSpec::getRoleArn)
        .ifPresent(role -> metadata.withAnnotations(Map.of(IRSA_ROLE_ANNOTATION, role)));
    // The API never calls the Kubernetes API; IRSA injects its own web-identity token volume.
    return new ServiceAccountBuilder().withMetadata(metadata.build()).withAutomountServiceAccountToken(false).build();
  }
}
