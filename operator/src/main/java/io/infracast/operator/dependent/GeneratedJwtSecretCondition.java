package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Precondition of the generated JWT Secret: the spec names no key of its own (a Secret, or one in AWS). */
public class GeneratedJwtSecretCondition implements Condition<Secret, InfracastInstallation> {

  @Override
  public boolean isMet(DependentResource<Secret, InfracastInstallation> dependentResource,
      InfracastInstallation installation, Context<InfracastInstallation> context) {
    var secrets = installation.getSpec().getSecrets();
    return secrets == null || secrets.getJwtSecretRef() == null && secrets.getJwtSecretArn() == null;
  }
}
