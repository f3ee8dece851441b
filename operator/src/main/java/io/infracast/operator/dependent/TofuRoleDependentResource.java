package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.data.terraform.TofuRunner;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * What OpenTofu's kubernetes backend does in the installation's namespace, and nothing more: it lists the state
 * Secrets (its workspaces), reads, creates and updates the state Secret, and reads, creates and updates the lock
 * Lease. No names can be given: both are created by the runner, and RBAC cannot restrict create by name.
 */
@KubernetesDependent(informer = @Informer(labelSelector = InstallationLabels.MANAGED_BY_SELECTOR))
public class TofuRoleDependentResource extends CRUDKubernetesDependentResource<Role, InfracastInstallation> {

  @Override
  protected Role desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    return new RoleBuilder()
        .withMetadata(OwnedMetadata.of(installation, TofuRunner.serviceAccount(installation), TofuRunner.COMPONENT))
        .withRules(
            new PolicyRuleBuilder().withApiGroups("").withResources("secrets")
                .withVerbs("get", "list", "create", "update").build(),
            new PolicyRuleBuilder().withApiGroups("coordination.k8s.io").withResources("leases")
                .withVerbs("get", "create", "update").build())
        .build();
  }
}
