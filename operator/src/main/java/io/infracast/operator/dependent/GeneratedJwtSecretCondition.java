package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Precondition of the generated JWT Secret: the spec references no Secret of its own. */
public class GeneratedJwtSecretCondition implements Condition<Secret, InfracastInstallation> {

  @Override
  public boolean isMet(DependentResource<Secret, InfracastInstallation> dependentResource,
      InfracastInstallation installation, Context<InfracastInstallation> context) {
    return installation.getSpec().getSecrets() == null || installation.getSpec().getSecrets().getJwtSecretRef() == null;
  }
}
