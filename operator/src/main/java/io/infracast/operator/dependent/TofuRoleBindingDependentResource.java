package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.data.terraform.TofuRunner;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Grants the runner's ServiceAccount its Role, in the installation's namespace only. */
@KubernetesDependent(informer = @Informer(labelSelector = InstallationLabels.MANAGED_BY_SELECTOR))
public class TofuRoleBindingDependentResource
    extends CRUDKubernetesDependentResource<RoleBinding, InfracastInstallation> {

  @Override
  protected RoleBinding desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var name = TofuRunner.serviceAccount(installation);
    return new RoleBindingBuilder()
        .withMetadata(OwnedMetadata.of(installation, name, TofuRunner.COMPONENT))
        .withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
        .addNewSubject().withKind("ServiceAccount").withName(name)
          .withNamespace(installation.getMetadata().getNamespace()).endSubject()
        .build();
  }
}
