package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Provisioner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Precondition of the OpenTofu runner's objects: the data plane comes from the terraform provisioner. */
public class TerraformCondition implements Condition<HasMetadata, InfracastInstallation> {

  @Override
  public boolean isMet(DependentResource<HasMetadata, InfracastInstallation> dependentResource,
      InfracastInstallation installation, Context<InfracastInstallation> context) {
    return installation.getSpec().getDatabase().getProvisioner() == Provisioner.TERRAFORM;
  }
}
