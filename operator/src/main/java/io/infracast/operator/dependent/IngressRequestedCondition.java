package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Precondition of the Ingress: the spec asks for public access. */
public class IngressRequestedCondition implements Condition<Ingress, InfracastInstallation> {

  @Override
  public boolean isMet(DependentResource<Ingress, InfracastInstallation> dependentResource,
      InfracastInstallation installation, Context<InfracastInstallation> context) {
    return installation.getSpec().getIngress() != null;
  }
}
