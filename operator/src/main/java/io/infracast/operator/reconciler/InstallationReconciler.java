package io.infracast.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.dependent.ConfigMapDependentResource;
import io.infracast.operator.dependent.DeploymentDependentResource;
import io.infracast.operator.dependent.GeneratedJwtSecretCondition;
import io.infracast.operator.dependent.HorizontalPodAutoscalerDependentResource;
import io.infracast.operator.dependent.IngressDependentResource;
import io.infracast.operator.dependent.IngressRequestedCondition;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.dependent.JwtSecretDependentResource;
import io.infracast.operator.dependent.MigrationJobCondition;
import io.infracast.operator.dependent.MigrationJobDependentResource;
import io.infracast.operator.dependent.MultipleReplicasCondition;
import io.infracast.operator.dependent.NetworkPolicyDependentResource;
import io.infracast.operator.dependent.PodDisruptionBudgetDependentResource;
import io.infracast.operator.dependent.ServiceAccountDependentResource;
import io.infracast.operator.dependent.ServiceDependentResource;
import io.infracast.operator.dependent.WorkloadCanRunCondition;
import io.infracast.operator.migration.MigrationPlan;
import io.infracast.operator.migration.RolloutLimiter;
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
 * object; this class computes the facts they share, gates the workflow (a refused downgrade touches nothing) and
 * turns what happened into status. Read the workflow top to bottom for the flow.
 */
@ControllerConfiguration(name = InstallationReconciler.NAME, fieldManager = InstallationLabels.OPERATOR_NAME)
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = "service-account", type = ServiceAccountDependentResource.class),
    @Dependent(name = "generated-jwt-secret", type = JwtSecretDependentResource.class,
        reconcilePrecondition = GeneratedJwtSecretCondition.class),
    @Dependent(name = "config", type = ConfigMapDependentResource.class),
    @Dependent(name = "migration-job", type = MigrationJobDependentResource.class,
        dependsOn = {"service-account", "config"}, reconcilePrecondition = MigrationJobCondition.class),
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
  private final RolloutLimiter rolloutLimiter;
  /** User Secrets and Jobs waiting for a slot are not event sources: look again this often. */
  private final Duration waitingRecheck;

  public InstallationReconciler(StatusAggregator statusAggregator, EventRecorder events,
      RolloutLimiter rolloutLimiter, Duration waitingRecheck) {
    this.statusAggregator = statusAggregator;
    this.events = events;
    this.rolloutLimiter = rolloutLimiter;
    this.waitingRecheck = waitingRecheck;
  }

  public static InstallationReconciler create(KubernetesClient client, int maxConcurrentRollouts,
      Duration waitingRecheck) {
    var clock = Clock.systemUTC();
    return new InstallationReconciler(new StatusAggregator(clock), new EventRecorder(client, clock),
        new RolloutLimiter(maxConcurrentRollouts), waitingRecheck);
  }

  @Override
  public UpdateControl<InfracastInstallation> reconcile(InfracastInstallation installation,
      Context<InfracastInstallation> context) {
    var facts = ReconcileFacts.compute(installation, context, rolloutLimiter);
    if (facts.migration().step() != MigrationPlan.Step.DOWNGRADE_REFUSED) {
      context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    }
    var rollout = DeploymentRollout.of(context.getSecondaryResource(Deployment.class));
    var result = statusAggregator.aggregate(installation, facts, rollout, Optional.empty());
    releaseSlotWhenSettled(installation, facts, rollout);
    var control = statusUpdate(installation, result);
    var waiting = !facts.workloadCanRun() || facts.migration().step() == MigrationPlan.Step.WAITING_FOR_SLOT;
    return waiting ? control.rescheduleAfter(waitingRecheck) : control;
  }

  @Override
  public ErrorStatusUpdateControl<InfracastInstallation> updateErrorStatus(InfracastInstallation installation,
      Context<InfracastInstallation> context, Exception error) {
    var facts = ReconcileFacts.compute(installation, context, rolloutLimiter);
    var rollout = DeploymentRollout.of(context.getSecondaryResource(Deployment.class));
    var result = statusAggregator.aggregate(installation, facts, rollout, Optional.of(error));
    if (!result.changed(installation.getStatus())) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    result.transitions().forEach(t -> events.record(installation, t));
    return ErrorStatusUpdateControl.patchStatus(statusOnly(installation, result));
  }

  /** An installation holds its rollout slot from its migration until its pods serve the new version. */
  private void releaseSlotWhenSettled(InfracastInstallation installation, ReconcileFacts facts,
      DeploymentRollout rollout) {
    var key = MigrationPlan.key(installation);
    var rollingOut = facts.migration().step() == MigrationPlan.Step.CURRENT && rollout.exists()
        && !rollout.complete() && !rollout.failed();
    if (facts.migration().inFlight() || rollingOut) {
      rolloutLimiter.hold(key);
    } else {
      rolloutLimiter.release(key);
    }
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
