package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Scales the API on CPU, as the ECS service did; it alone owns the Deployment's replicas. */
@KubernetesDependent(informer = @Informer(labelSelector = InstallationLabels.MANAGED_BY_SELECTOR))
public class HorizontalPodAutoscalerDependentResource
    extends CRUDKubernetesDependentResource<HorizontalPodAutoscaler, InfracastInstallation> {

  @Override
  protected HorizontalPodAutoscaler desired(InfracastInstallation installation,
      Context<InfracastInstallation> context) {
    var settings = ReconcileFacts.of(context).settings();
    return new HorizontalPodAutoscalerBuilder()
        .withMetadata(OwnedMetadata.of(installation, ObjectNames.api(installation), "api"))
        .withNewSpec()
          .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment")
            .withName(ObjectNames.api(installation)).endScaleTargetRef()
          .withMinReplicas(settings.getMinReplicas())
          .withMaxReplicas(settings.getMaxReplicas())
          .addNewMetric()
            .withType("Resource")
            .withNewResource().withName("cpu")
              .withNewTarget().withType("Utilization")
                .withAverageUtilization(settings.getTargetCPUUtilizationPercentage()).endTarget()
            .endResource()
          .endMetric()
        .endSpec()
        .build();
  }
}
