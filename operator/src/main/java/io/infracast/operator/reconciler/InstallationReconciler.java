package io.infracast.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.dependent.ConfigMapDependentResource;
import io.infracast.operator.dependent.DeploymentDependentResource;
import io.infracast.operator.dependent.GeneratedJwtSecretCondition;
import io.infracast.operator.dependent.HorizontalPodAutoscalerDependentResource;
import io.infracast.operator.dependent.IngressDependentResource;
import io.infracast.operator.dependent.IngressRequestedCondition;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.dependent.JwtSecretDependentResource;
import io.infracast.operator.dependent.MultipleReplicasCondition;
import io.infracast.operator.dependent.NetworkPolicyDependentResource;
import io.infracast.operator.dependent.PodDisruptionBudgetDependentResource;
import io.infracast.operator.dependent.ServiceAccountDependentResource;
import io.infracast.operator.dependent.ServiceDependentResource;
import io.infracast.operator.dependent.WorkloadCanRunCondition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Turns an InfracastInstallation into its objects. The workflow below does the writing, one dependent class per
 * object; this class only turns what happened into status. Read the workflow top to bottom for the flow.
 */
@ControllerConfiguration(name = InstallationReconciler.NAME, fieldManager = InstallationLabels.OPERATOR_NAME)
@Workflow(dependents = {
    @Dependent(name = "service-account", type = ServiceAccountDependentResource.class),
    @Dependent(name = "generated-jwt-secret", type = JwtSecretDependentResource.class,
        reconcilePrecondition = GeneratedJwtSecretCondition.class),
    @Dependent(name = "config", type = ConfigMapDependentResource.class),
    @Dependent(name = "deployment", type = DeploymentDependentResource.class,
        dependsOn = {"service-account", "config"}, reconcilePrecondition = WorkloadCanRunCondition.class),
    @Dependent(name = "autoscaler", type = HorizontalPodAutoscalerDependentResource.class, dependsOn = "deployment"),
    @Dependent(name = "disruption-budget", type = PodDisruptionBudgetDependentResource.class,
        reconcilePrecondition = MultipleReplicasCondition.class),
    @Dependent(name = "service", type = ServiceDependentResource.class),
    @Dependent(name = "network-policy", type = NetworkPolicyDependentResource.class),
    @Dependent(name = "ingress", type = IngressDependentResource.class, dependsOn = "service",
        reconcilePrecondition = IngressRequestedCondition.class),
})
public class InstallationReconciler implements Reconciler<InfracastInstallation> {

  public static final String NAME = "infracastinstallation";
  private final StatusAggregator statusAggregator;
  private final EventRecorder events;
  /** User Secrets are not watched (that would cache every Secret in the cluster): look again this often. */
  private final Duration waitingRecheck;

  public InstallationReconciler(StatusAggregator statusAggregator, EventRecorder events, Duration waitingRecheck) {
    this.statusAggregator = statusAggregator;
    this.events = events;
    this.waitingRecheck = waitingRecheck;
  }

  public static InstallationReconciler create(io.fabric8.kubernetes.client.KubernetesClient client,
      Duration waitingRecheck) {
    var clock = Clock.systemUTC();
    return new InstallationReconciler(new StatusAggregator(clock), new EventRecorder(client, clock), waitingRecheck);
  }

  @Override
  public UpdateControl<InfracastInstallation> reconcile(InfracastInstallation installation,
      Context<InfracastInstallation> context) {
    var facts = ReconcileFacts.of(installation, context);
    var rollout = DeploymentRollout.of(context.getSecondaryResource(Deployment.class));
    var control = statusUpdate(installation, statusAggregator.aggregate(installation, facts, rollout,
        Optional.empty()));
    return facts.workloadCanRun() ? control : control.rescheduleAfter(waitingRecheck);
  }

  @Override
  public ErrorStatusUpdateControl<InfracastInstallation> updateErrorStatus(InfracastInstallation installation,
      Context<InfracastInstallation> context, Exception error) {
    var facts = ReconcileFacts.of(installation, context);
    var rollout = DeploymentRollout.of(context.getSecondaryResource(Deployment.class));
    var result = statusAggregator.aggregate(installation, facts, rollout, Optional.of(error));
    if (!result.changed(installation.getStatus())) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    result.transitions().forEach(t -> events.record(installation, t));
    return ErrorStatusUpdateControl.patchStatus(statusOnly(installation, result));
  }

  /** Writes status only when it differs from what is stored: an idle resync makes no write at all. */
  private UpdateControl<InfracastInstallation> statusUpdate(InfracastInstallation installation,
      StatusAggregator.Result result) {
    if (!result.changed(installation.getStatus())) {
      return UpdateControl.noUpdate();
    }
    result.transitions().forEach(t -> events.record(installation, t));
    return UpdateControl.patchStatus(statusOnly(installation, result));
  }

  /** A fresh object with only identity and status, as server-side apply of a status wants it. */
  private static InfracastInstallation statusOnly(InfracastInstallation installation,
      StatusAggregator.Result result) {
    var patch = new InfracastInstallation();
    patch.setMetadata(new ObjectMetaBuilder().withName(installation.getMetadata().getName())
        .withNamespace(installation.getMetadata().getNamespace()).build());
    patch.setStatus(result.status());
    return patch;
  }
}
